"""Remote maintenance end to end: the local runtime, and fleet stations (the `ocpp` package's
ChargePoint of each version) that download firmware over HTTP and upload logs over HTTP PUT,
multipart POST and FTP, checked through the operator API."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import urllib.request
from collections.abc import AsyncIterator
from typing import Any

import pytest

from local.fleet import maintenance, plan
from local.fleet.runner import Options, Outcome, run
from tests.e2e.conftest import TOKEN, Runtime, connected

pytestmark = pytest.mark.e2e

IDLE = plan.Life(
    meter_interval_s=5.0,
    session_s=(1000.0, 1000.0),
    idle_s=(10_000.0, 10_000.0),
    fault_chance=0.0,
    unknown_tag_chance=0.0,
    offline_every_s=0.0,
    call_timeout_s=15.0,
)


@contextlib.asynccontextmanager
async def fleet(
    runtime: Runtime, specs: list[plan.StationSpec], life: plan.Life, seed: int = 1
) -> AsyncIterator[Any]:
    """The stations connected and booted; on leaving, stopped (the outcome is then in .result)."""
    options = Options(
        runtime.ws_url + "/ocpp", runtime.api_url, TOKEN, specs, seed=seed, life=life, wind_down_s=5
    )
    stop = asyncio.Event()
    running = asyncio.create_task(run(options, stop))

    def online() -> bool:
        return all(runtime.api("GET", f"/charge-points/{s.id}")[1].get("online") for s in specs)

    assert await asyncio.to_thread(runtime.wait_for, online, 30)
    box: dict[str, Outcome] = {}
    try:
        yield box
    finally:
        stop.set()
        box["outcome"] = await running


def register_image(runtime: Runtime, model: str, version: str) -> str:
    status, image = runtime.api(
        "POST", "/firmware", {"vendor": "CSMS Fleet", "model": model, "version": version}
    )
    assert status == 201, image
    request = urllib.request.Request(
        image["uploadUrl"], data=maintenance.firmware_image(version), method="PUT"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200
    assert runtime.api("GET", f"/firmware/{image['firmwareId']}")[1]["uploaded"]
    return str(image["firmwareId"])


def final(runtime: Runtime, path: str, timeout: float = 30) -> Any:
    """The request once it ended: its outcome known and the station's last word on it in."""

    def done() -> Any:
        status, body = runtime.api("GET", path)
        ended = status == 200 and body["outcome"] != "pending"
        return body if ended and body["status"] not in ("Downloading", "Installing", "Uploading") else None

    return runtime.wait_for(done, timeout)


def test_an_update_of_each_version_goes_from_the_catalogue_to_installed(runtime):
    specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), "e2e-fw-", connectors=1)

    async def scenario() -> dict[str, Any]:
        results = {}
        async with fleet(runtime, specs, IDLE):
            for spec in specs:
                firmware_id = await asyncio.to_thread(
                    register_image, runtime, f"Fleet-{spec.version}-1", "fleet-2.0"
                )
                status, update = await asyncio.to_thread(
                    runtime.api,
                    "POST",
                    f"/charge-points/{spec.id}/firmware-updates",
                    {"firmwareId": firmware_id},
                )
                assert status == 202, update
                path = f"/charge-points/{spec.id}/firmware-updates/{update['requestId']}"
                results[spec.id] = await asyncio.to_thread(final, runtime, path)
        return results

    results = asyncio.run(scenario())
    for spec in specs:
        got = results[spec.id]
        assert got is not None, spec
        assert got["outcome"] == "succeeded", got
        assert [s["status"] for s in got["statuses"]] == [
            "Downloading",
            "Downloaded",
            "Installing",
            "Installed",
        ]
        assert got["firmwareVersionAfter"] == "fleet-2.0"
        assert runtime.api("GET", f"/charge-points/{spec.id}")[1]["firmwareVersion"] == "fleet-2.0"


def test_failed_downloads_and_installs_are_reported_as_such(runtime):
    specs = plan.fleet(6, plan.parse_mix("1.6,2.0.1,2.1"), "e2e-fwfail-", connectors=1)
    failing = plan.Life(**{**vars(IDLE), "firmware_failure_chance": 1.0})

    async def scenario() -> tuple[dict[str, Any], Outcome]:
        results = {}
        async with fleet(runtime, specs, failing, seed=5) as box:
            images: dict[str, str] = {}  # one image per model and version, the catalogue holds no twin
            for spec in specs:
                if spec.version not in images:
                    images[spec.version] = await asyncio.to_thread(
                        register_image, runtime, f"Fleet-{spec.version}-1", "fleet-3.0"
                    )
                firmware_id = images[spec.version]
                update = (
                    await asyncio.to_thread(
                        runtime.api,
                        "POST",
                        f"/charge-points/{spec.id}/firmware-updates",
                        {"firmwareId": firmware_id},
                    )
                )[1]
                path = f"/charge-points/{spec.id}/firmware-updates/{update['requestId']}"
                results[spec.id] = await asyncio.to_thread(final, runtime, path)
        return results, box["outcome"]

    results, outcome = asyncio.run(scenario())
    seen = set()
    for station in outcome.stations:
        got = results[station.id]
        (done,) = station.maintenance_done
        assert got["outcome"] == "failed" and got["status"] == done, (station.id, got)
        assert runtime.api("GET", f"/charge-points/{station.id}")[1]["firmwareVersion"] == "fleet-1.0"
        seen.add(done)
    assert seen == {"DownloadFailed", "InstallationFailed"}


def test_logs_arrive_over_put_post_and_ftp_and_are_downloadable(runtime):
    specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), "e2e-logs-", connectors=1)

    async def scenario() -> dict[str, list[Any]]:
        results: dict[str, list[Any]] = {}
        async with fleet(runtime, specs, IDLE):
            for spec in specs:
                for asked in (
                    {"type": "Diagnostics"},  # the station's first upload: multipart POST
                    {"type": "SecurityLog"},  # its second: PUT
                    {"type": "Diagnostics", "via": "ftp"},
                ):
                    status, log = await asyncio.to_thread(
                        runtime.api, "POST", f"/charge-points/{spec.id}/logs", asked
                    )
                    assert status == 202, log
                    path = f"/charge-points/{spec.id}/logs/{log['requestId']}"
                    results.setdefault(spec.id, []).append(await asyncio.to_thread(final, runtime, path))
        return results

    results = asyncio.run(scenario())
    for spec in specs:
        ways = []
        for got in results[spec.id]:
            assert got is not None and got["outcome"] == "succeeded", got
            assert got["status"] == "Uploaded"
            ways.append(got["upload"]["via"])
            with urllib.request.urlopen(got["downloadUrl"], timeout=10) as answer:
                body = answer.read()
            kind = "security" if got["details"]["logType"] == "SecurityLog" else "diagnostics"
            assert body == maintenance.log_file(spec.id, kind)
        assert ways == ["http-post", "http-put", "ftp"]


def test_a_rollout_over_fifty_stations_goes_in_waves_and_pauses_at_its_failure_rate(runtime):
    specs = plan.fleet(50, plan.parse_mix("1.6,2.0.1,2.1"), "e2e-roll-", connectors=1)
    flaky = plan.Life(**{**vars(IDLE), "firmware_failure_chance": 0.3})

    async def scenario() -> tuple[Any, Outcome]:
        async with fleet(runtime, specs, flaky, seed=11) as box:
            ids = [s.id for s in specs]
            images = {
                v: await asyncio.to_thread(register_image, runtime, f"Fleet-{v}-1", "fleet-4.0")
                for v in plan.VERSIONS
            }
            # One image per model: a rollout per version's model would do; here one rollout,
            # forced across the three models, is the operator's choice.
            status, rollout = await asyncio.to_thread(
                runtime.api,
                "POST",
                "/firmware-rollouts",
                {
                    "firmwareId": images["1.6"],
                    "chargePoints": ids,
                    "waveSize": 10,
                    "maxFailureRate": 0.2,
                    "force": True,
                },
            )
            assert status == 201, rollout

            def settled() -> Any:  # paused or done, and the last wave's updates all ended
                body = runtime.api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]
                return body if body["state"] != "running" and "sent" not in body["counts"] else None

            done = await asyncio.to_thread(runtime.wait_for, settled, 240)
            last = runtime.api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]
        return done or last, box["outcome"]

    rollout, outcome = asyncio.run(scenario())
    stuck = [m for m in rollout["members"] if m["outcome"] == "sent"]
    assert rollout["state"] != "running" and not stuck, (rollout["state"], rollout["counts"], stuck[:3])
    assert rollout["state"] == "paused" and rollout["failureRate"] > 0.2, rollout
    by_id = {m["chargePointId"]: m for m in rollout["members"]}
    sent = [m for m in rollout["members"] if m["outcome"] in ("succeeded", "failed")]
    assert len(sent) == 10 * rollout["wavesSent"] and rollout["counts"]["waiting"] == 50 - len(sent)
    for station in outcome.stations:
        member = by_id[station.id]
        if member["outcome"] == "waiting":
            assert station.maintenance_done == []
        else:
            (done,) = station.maintenance_done
            assert (member["outcome"] == "succeeded") == (done == "Installed"), (member, done)


CALLS = {"1.6": "ocpp.v16.call", "2.0.1": "ocpp.v201.call", "2.1": "ocpp.v21.call"}


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_security_events_and_vendor_data_from_each_version_are_listed(runtime, version):
    calls = importlib.import_module(CALLS[version])
    station_id = f"e2e-events-{version}"
    assert runtime.api("PUT", "/data-transfer/vendors/com.e2e", {"messageIds": ["reading"]})[0] == 200

    async def scenario() -> list[Any]:
        async with connected(runtime, station_id, version) as station:
            return [
                await station.call(
                    calls.SecurityEventNotification(
                        type="TamperDetectionActivated", timestamp="2026-12-01T10:00:00Z", tech_info="lid"
                    )
                ),
                await station.call(calls.DataTransfer(vendor_id="com.e2e", message_id="reading", data="42")),
                await station.call(calls.DataTransfer(vendor_id="com.e2e", message_id="other")),
                await station.call(calls.DataTransfer(vendor_id="com.nobody")),
            ]

    answers = asyncio.run(scenario())
    assert [getattr(a, "status", None) for a in answers[1:]] == [
        "Accepted",
        "UnknownMessageId",
        "UnknownVendorId",
    ]
    events = runtime.api("GET", f"/charge-points/{station_id}/security-events")[1]["items"]
    assert [(e["type"], e["critical"], e["techInfo"]) for e in events] == [
        ("TamperDetectionActivated", True, "lid")
    ]
    transfers = runtime.api("GET", f"/charge-points/{station_id}/data-transfers")[1]["items"]
    assert sorted((t["vendorId"], t["status"]) for t in transfers) == [
        ("com.e2e", "Accepted"),
        ("com.e2e", "UnknownMessageId"),
        ("com.nobody", "UnknownVendorId"),
    ]
