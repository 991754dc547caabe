"""Two tenants on one running local runtime: each one's key registers a charge point, a station
of each connects and charges, and each tenant sees its own session and none of the other's; the
exports say whose each session is, and keep each change in the audit trail."""

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.e2e.conftest import Runtime, connected, start_runtime
from tests.e2e.test_sessions import V2_CALLS, charge_16, transaction_events

pytestmark = pytest.mark.e2e


def tenant_key(runtime, tenant_id):
    """A new tenant (made by the platform admin) and an admin key of it."""
    assert runtime.api("POST", "/tenants", {"tenantId": tenant_id, "name": tenant_id.title()})[0] == 201
    status, made = runtime.api(
        "POST", "/api-keys", {"name": "integration", "role": "admin", "tenantId": tenant_id}
    )
    assert status == 201, made
    return made["key"]


def every_page(runtime: Any, path: str, key: str) -> list[dict[str, Any]]:
    """A listing's items, page after page (a tenant's page may come back short, or empty, where
    other tenants' items fill the listing: its token goes on)."""
    items: list[dict[str, Any]] = []
    token = None
    while True:
        query = f"?{urlencode({'nextToken': token})}" if token else ""
        status, page = runtime.api("GET", path + query, token=key)
        assert status == 200, page
        items += page["items"]
        token = page.get("nextToken")
        if not token:
            return items


def test_each_tenant_sees_only_its_own_charge_point_and_session(runtime):
    keys = {"e2e-north": tenant_key(runtime, "e2e-north"), "e2e-south": tenant_key(runtime, "e2e-south")}
    stations = {
        "e2e-north": ("E2E-TN-NORTH", "1.6", "TAG-NORTH"),
        "e2e-south": ("E2E-TN-SOUTH", "2.0.1", "TAG-SOUTH"),
    }
    for tenant, (cp_id, _, tag) in stations.items():
        assert runtime.api("PUT", f"/charge-points/{cp_id}", {}, token=keys[tenant])[0] == 201
        assert runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"}, token=keys[tenant])[0] == 201

    async def charge(cp_id, version, tag):
        async with connected(runtime, cp_id, version) as station:
            if version == "1.6":
                _, started, _ = await charge_16(station, tag, [1_000, 2_000, 4_000])
                return str(started.transaction_id)
            await station.call(V2_CALLS[version].Authorize(id_token={"id_token": tag, "type": "ISO14443"}))
            for message in transaction_events(version, f"tx-{cp_id}", tag, [1_000, 2_000, 4_000]):
                await station.call(message)
            return f"tx-{cp_id}"

    sessions = {tenant: asyncio.run(charge(*station)) for tenant, station in stations.items()}

    for tenant, other in (("e2e-north", "e2e-south"), ("e2e-south", "e2e-north")):
        key, (cp_id, _, _), (other_cp, _, _) = keys[tenant], stations[tenant], stations[other]
        _, listed = runtime.api("GET", "/charge-points", token=key)
        assert [item["id"] for item in listed["items"]] == [cp_id]
        listed_sessions = every_page(runtime, "/transactions", key)
        assert [(item["transactionId"], item["chargePointId"]) for item in listed_sessions] == [
            (sessions[tenant], cp_id)
        ]
        status, body = runtime.api(
            "GET", f"/transactions/{sessions[tenant]}?chargePointId={cp_id}", token=key
        )
        assert (status, body["energyWh"], body["active"]) == (200, 3_000, False)
        assert runtime.api("GET", f"/charge-points/{other_cp}", token=key)[0] == 404
        status, body = runtime.api(
            "GET", f"/transactions/{sessions[other]}?chargePointId={other_cp}", token=key
        )
        assert (status, body["error"]["code"]) == (404, "NotFound")
    for tenant, (cp_id, _, _) in stations.items():  # the platform sees every tenant's
        _, everyone = runtime.api("GET", f"/transactions?chargePointId={cp_id}")
        assert [item["transactionId"] for item in everyone["items"]] == [sessions[tenant]]


@pytest.fixture(scope="module")
def exporting_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Path]]:
    """A runtime of its own, with its data folder where the test can read the exports."""
    data = tmp_path_factory.mktemp("tenants-data")
    launched, runtime = start_runtime(data, "--data-dir", str(data))
    yield runtime, data
    assert launched.stop() == 0, runtime.log.read_text()


def exported(data: Path, export: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for file in sorted((data / "exports" / export).rglob("*.jsonl"))
        for line in file.read_text().splitlines()
    ]


def test_the_exports_say_whose_each_session_is_and_keep_every_change(exporting_runtime):
    runtime, data = exporting_runtime
    key = tenant_key(runtime, "e2e-west")
    assert runtime.api("PUT", "/charge-points/E2E-TN-WEST", {}, token=key)[0] == 201

    async def charge():
        async with connected(runtime, "E2E-TN-WEST", "2.0.1") as station:
            for message in transaction_events("2.0.1", "tx-west", "TAG-WEST", [1_000, 4_000]):
                await station.call(message)

    asyncio.run(charge())
    sessions = runtime.wait_for(lambda: exported(data, "sessions"), timeout=10)
    assert [(s["transactionId"], s["tenantId"], s["energyWh"]) for s in sessions] == [
        ("tx-west", "e2e-west", 3_000)
    ]
    _, kept = runtime.api("GET", "/audit")
    audit = runtime.wait_for(
        lambda: len(exported(data, "audit")) >= len(kept["items"]) and exported(data, "audit")
    )
    assert sorted(entry["requestId"] for entry in audit) == sorted(e["requestId"] for e in kept["items"])
    whose = {(entry["method"], entry["path"]): entry["tenantId"] for entry in audit}
    assert whose[("POST", "/tenants")] is None  # the platform admin's
    assert whose[("PUT", "/charge-points/E2E-TN-WEST")] == "e2e-west"
