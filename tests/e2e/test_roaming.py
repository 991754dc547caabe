"""Roaming end to end: an HTTP client playing an eMSP registers at the local runtime's OCPI
interface with the token A an operator made, and pulls the location of a site whose 1.6
station charged a session, and that session's CDR; once suspended, it is refused."""

from __future__ import annotations

import asyncio
import base64
import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from ocpp.v16 import call as call16

from tests.e2e.conftest import Runtime, connected

pytestmark = pytest.mark.e2e

TOKEN_B = "e2e-emsp-token-b"


def header(token: str) -> str:
    return "Token " + base64.b64encode(token.encode()).decode()


@pytest.fixture
def emsp() -> Iterator[str]:
    """The eMSP's versions, for the CSMS to fetch with token B."""

    class Emsp(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://127.0.0.1:{self.server.server_port}"
            ok = self.headers.get("Authorization") == header(TOKEN_B)
            data: Any = (
                [{"version": "2.2.1", "url": f"{base}/2.2.1"}]
                if self.path == "/versions"
                else {
                    "version": "2.2.1",
                    "endpoints": [{"identifier": "cdrs", "role": "RECEIVER", "url": f"{base}/cdrs"}],
                }
            )
            body = json.dumps(
                {"data": data, "status_code": 1000, "timestamp": "2026-01-01T00:00:00Z"}
            ).encode()
            self.send_response(200 if ok else 401)
            self.end_headers()
            self.wfile.write(body if ok else b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Emsp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def ocpi(runtime: Runtime, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any, Any]:
    request = urllib.request.Request(
        runtime.api_url + path, data=None if body is None else json.dumps(body).encode(), method=method
    )
    request.add_header("Authorization", header(token))
    request.add_header("Content-Type", "application/json")
    request.add_header("X-Request-ID", "e2e-1")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read()), answer.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


async def charge(runtime: Runtime) -> None:
    started = datetime.now(UTC) - timedelta(hours=1)
    async with connected(runtime, "ROAM-16", "1.6") as station:
        await station.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="R16"))
        await station.call(
            call16.StatusNotification(
                connector_id=1, error_code="NoError", status="Available", timestamp=started.isoformat()
            )
        )
        begun = await station.call(
            call16.StartTransaction(
                connector_id=1, id_tag="ROAMER1", meter_start=0, timestamp=started.isoformat()
            )
        )
        await station.call(
            call16.StopTransaction(
                transaction_id=begun.transaction_id, meter_stop=9000, timestamp=datetime.now(UTC).isoformat()
            )
        )


def test_an_emsp_registers_pulls_locations_and_cdrs_and_is_refused_once_suspended(runtime, emsp):
    code, made = runtime.api(
        "POST",
        "/roaming/partners",
        {"name": "E2E Roamer", "countryCode": "DE", "partyId": "RMR", "role": "EMSP"},
    )
    assert code == 201, made
    assert made["versionsUrl"] == f"{runtime.api_url}/ocpi/versions"
    code, versions, headers = ocpi(runtime, "GET", "/ocpi/versions", made["tokenA"])
    assert code == 200 and versions["data"][0]["version"] == "2.2.1" and headers["X-Request-ID"] == "e2e-1"
    theirs = {
        "token": TOKEN_B,
        "url": f"{emsp}/versions",
        "roles": [
            {"role": "EMSP", "business_details": {"name": "E2E"}, "party_id": "RMR", "country_code": "DE"}
        ],
    }
    code, registered, _ = ocpi(runtime, "POST", "/ocpi/2.2.1/credentials", made["tokenA"], theirs)
    assert code == 200, registered
    token_c = registered["data"]["token"]

    asyncio.run(charge(runtime))
    place = {
        "address": "Roamweg 2",
        "city": "Utrecht",
        "country": "NLD",
        "latitude": 52.09,
        "longitude": 5.12,
        "timeZone": "Europe/Amsterdam",
    }
    code, _ = runtime.api(
        "PUT", "/sites/roam-site", {"limit": {"amps": 32}, "chargePoints": ["ROAM-16"], "place": place}
    )
    assert code == 201

    code, locations, headers = ocpi(runtime, "GET", "/ocpi/2.2.1/locations", token_c)
    mine = [loc for loc in locations["data"] if loc["id"] == "roam-site"]
    assert code == 200 and int(headers["X-Total-Count"]) >= 1 and headers["X-Limit"]
    assert mine[0]["evses"][0]["uid"] == "ROAM-16-1" and mine[0]["evses"][0]["status"] == "AVAILABLE"
    code, cdrs, _ = ocpi(runtime, "GET", "/ocpi/2.2.1/cdrs", token_c)
    [cdr] = [c for c in cdrs["data"] if c["cdr_location"]["id"] == "roam-site"]
    assert cdr["total_energy"] == 9.0 and cdr["cdr_token"]["uid"] == "ROAMER1"

    assert runtime.api("PATCH", f"/roaming/partners/{made['partnerId']}", {"suspended": True})[0] == 200
    code, refused, _ = ocpi(runtime, "GET", "/ocpi/2.2.1/cdrs", token_c)
    assert code == 401 and refused["status_code"] == 2000
