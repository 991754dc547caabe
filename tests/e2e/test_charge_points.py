"""Real OCPP clients of every version against the running local runtime, watched through the API."""

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest
import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v21 import ChargePoint as ChargePoint21
from ocpp.v21 import call as call21
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201

pytestmark = pytest.mark.e2e

NOW = datetime.now(UTC).isoformat()


def v2_client(cls, calls, version, second_status):
    """OCPP 2.0.1 and 2.1 share these messages; each has its own client package."""
    return (
        cls,
        calls.BootNotification(
            charging_station={"vendor_name": "Acme", "model": f"Volt{version}", "firmware_version": version},
            reason="PowerUp",
        ),
        [
            calls.StatusNotification(timestamp=NOW, connector_status="Available", evse_id=1, connector_id=1),
            calls.StatusNotification(
                timestamp=NOW, connector_status=second_status, evse_id=2, connector_id=1
            ),
        ],
        calls.Heartbeat(),
    )


CLIENTS = {
    "1.6": (
        ChargePoint16,
        call16.BootNotification(
            charge_point_vendor="Acme", charge_point_model="Volt16", firmware_version="1.6.0"
        ),
        [
            call16.StatusNotification(
                connector_id=1, error_code="NoError", status="Available", timestamp=NOW
            ),
            call16.StatusNotification(
                connector_id=2, error_code="GroundFailure", status="Faulted", timestamp=NOW
            ),
        ],
        call16.Heartbeat(),
    ),
    "2.0.1": v2_client(ChargePoint201, call201, "2.0.1", second_status="Unavailable"),
    "2.1": v2_client(ChargePoint21, call21, "2.1", second_status="Occupied"),
}


async def run_station(url, charge_point_id, version, offered):
    cls, boot, statuses, heartbeat = CLIENTS[version]
    async with websockets.connect(url, subprotocols=offered) as ws:
        station = cls(charge_point_id, ws)
        listener = asyncio.create_task(station.start())
        try:
            booted = await station.call(boot)
            beat = await station.call(heartbeat)
            for status in statuses:
                await station.call(status)
            return ws.subprotocol, booted, beat
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_station_boots_reports_and_shows_up_in_the_api(runtime, version):
    cp_id = f"E2E-{version.replace('.', '')}"
    offered = ["ocpp1.6", f"ocpp{version}"]
    protocol, booted, beat = asyncio.run(run_station(runtime.ocpp_url(cp_id), cp_id, version, offered))
    assert protocol == f"ocpp{version}"
    assert booted.status == "Accepted" and booted.interval == 540
    assert beat.current_time.endswith("Z")

    # It has disconnected by now; the API shows what it reported and that it is offline.
    status, body = runtime.api("GET", f"/charge-points/{cp_id}")
    assert status == 200
    assert body["ocppVersion"] == version and body["vendor"] == "Acme"
    assert body["firmwareVersion"] == {"1.6": "1.6.0", "2.0.1": "2.0.1", "2.1": "2.1"}[version]
    assert body["lastBootAt"] is not None
    reported = {(c["evseId"], c["connectorId"]): (c["status"], c["errorCode"]) for c in body["connectors"]}
    if version == "1.6":
        assert reported == {(None, 1): ("Available", "NoError"), (None, 2): ("Faulted", "GroundFailure")}
    else:
        second = "Unavailable" if version == "2.0.1" else "Occupied"
        assert reported == {(1, 1): ("Available", None), (2, 1): (second, None)}
    assert runtime.wait_for(lambda: runtime.api("GET", f"/charge-points/{cp_id}")[1]["online"] is False)


def test_a_connected_station_is_online_with_last_seen_from_the_gateway(runtime):
    async def scenario():
        async with websockets.connect(runtime.ocpp_url("E2E-LIVE"), subprotocols=["ocpp2.0.1"]) as ws:
            station = ChargePoint201("E2E-LIVE", ws)
            listener = asyncio.create_task(station.start())
            await station.call(call201.Heartbeat())
            status, body = await asyncio.to_thread(runtime.api, "GET", "/charge-points/E2E-LIVE")
            listener.cancel()
            return status, body

    status, body = asyncio.run(scenario())
    assert status == 200 and body["online"] is True
    assert body["lastSeenAt"] >= body["connectedAt"]
    listed = runtime.api("GET", "/charge-points?limit=100")[1]["items"]
    assert "E2E-LIVE" in {item["id"] for item in listed}


def test_deregistering_closes_the_connection(runtime):
    async def scenario():
        async with websockets.connect(runtime.ocpp_url("E2E-DEL"), subprotocols=["ocpp1.6"]) as ws:
            await ws.send('[2,"h","Heartbeat",{}]')
            await ws.recv()
            status, _ = await asyncio.to_thread(runtime.api, "DELETE", "/charge-points/E2E-DEL")
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            return status

    assert asyncio.run(scenario()) == 204
    assert runtime.api("GET", "/charge-points/E2E-DEL")[0] == 404


def test_a_second_connection_under_one_id_wins_and_the_first_is_closed(runtime):
    async def scenario():
        url = runtime.ocpp_url("E2E-TWICE")
        async with websockets.connect(url, subprotocols=["ocpp1.6"]) as first:
            await first.send('[2,"a","Heartbeat",{}]')
            await first.recv()
            # The link is lost without a close; the station reconnects while the old socket lives.
            async with websockets.connect(url, subprotocols=["ocpp1.6"]) as second:
                with pytest.raises(websockets.ConnectionClosed):
                    await asyncio.wait_for(first.recv(), 5)
                await second.send('[2,"b","Heartbeat",{}]')
                answer = await second.recv()
                online = await asyncio.to_thread(runtime.api, "GET", "/charge-points/E2E-TWICE")
            offline = await asyncio.to_thread(
                runtime.wait_for, lambda: not runtime.api("GET", "/charge-points/E2E-TWICE")[1]["online"]
            )
            return answer, online, offline

    answer, (status, body), offline = asyncio.run(scenario())
    assert answer.startswith('[3,"b"') and status == 200 and body["online"] is True
    assert offline  # once the newer one closes, the station is offline


def test_blocking_a_connected_station_closes_it(runtime):
    async def scenario():
        async with websockets.connect(runtime.ocpp_url("E2E-BLOCK"), subprotocols=["ocpp2.0.1"]) as ws:
            await ws.send('[2,"h","Heartbeat",{}]')
            await ws.recv()
            status, _ = await asyncio.to_thread(
                runtime.api, "PUT", "/charge-points/E2E-BLOCK", {"blocked": True}
            )
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            return status

    assert asyncio.run(scenario()) == 200
