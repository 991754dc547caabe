"""Operator commands through the running local runtime to real WebSocket clients: every
CSMS-initiated action of each version arrives intact and its answer comes back; `ocpp`
package clients accept, reject, raise a CALLERROR, stay silent and disconnect mid-command."""

import asyncio
import json

import pytest
import websockets
from ocpp.exceptions import NotSupportedError
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call_result as result16

from shared.protocol.versions import PROFILES, OcppVersion
from tests.schema_samples import minimal, schema_of

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_every_csms_action_reaches_the_station_intact_and_is_answered(runtime, version):
    cp_id = f"E2E-WALK-{version.replace('.', '')}"
    actions = sorted(PROFILES[OcppVersion(version)].from_csms)
    received = {}

    async def station(ws):
        async for text in ws:
            frame = json.loads(text)
            if frame[0] == 2:
                received[frame[1]] = (frame[2], frame[3])
                await ws.send(json.dumps([3, frame[1], minimal(schema_of(version, frame[2], response=True))]))

    async def scenario():
        async with websockets.connect(runtime.ocpp_url(cp_id), subprotocols=[f"ocpp{version}"]) as ws:
            answering = asyncio.create_task(station(ws))
            results = []
            for action in actions:
                payload = minimal(schema_of(version, action))
                body = {"action": action, "payload": payload}
                status, done = await asyncio.to_thread(
                    runtime.api, "POST", f"/charge-points/{cp_id}/commands?wait=10", body
                )
                results.append((action, payload, status, done))
            answering.cancel()
            return results

    for action, payload, status, done in asyncio.run(scenario()):
        assert status == 200 and done["status"] == "completed", (action, done)
        assert received[done["commandId"]] == (action, payload)
        assert done["response"] == minimal(schema_of(version, action, response=True))


class Station16(ChargePoint16):
    """Accepts resets, rejects availability changes, refuses unlocking, ignores ClearCache."""

    @on("Reset")
    def on_reset(self, type):
        return result16.Reset(status="Accepted")

    @on("ChangeAvailability")
    def on_availability(self, connector_id, type):
        return result16.ChangeAvailability(status="Rejected")

    @on("UnlockConnector")
    def on_unlock(self, connector_id):
        raise NotSupportedError("This station has no lock")

    async def route_message(self, raw_msg):
        if '"ClearCache"' in raw_msg:
            return  # silence: no answer at all (the client handles calls one at a time)
        await super().route_message(raw_msg)


def test_answers_rejections_errors_silence_and_disconnects(runtime):
    cp_id = "E2E-CMD"

    def send(path, body, wait=10):
        return runtime.api("POST", f"/charge-points/{cp_id}/{path}?wait={wait}", body)

    async def scenario():
        async with websockets.connect(runtime.ocpp_url(cp_id), subprotocols=["ocpp1.6"]) as ws:
            station = Station16(cp_id, ws)
            listener = asyncio.create_task(station.start())
            accepted = await asyncio.to_thread(send, "reset", {"hard": True})
            rejected = await asyncio.to_thread(send, "availability", {"operative": False, "connectorId": 1})
            refused = await asyncio.to_thread(send, "unlock", {"connectorId": 1})
            silent = await asyncio.to_thread(
                send, "commands", {"action": "ClearCache", "payload": {}, "timeoutSeconds": 5}, 2
            )
            queued = await asyncio.to_thread(
                send, "commands", {"action": "Reset", "payload": {"type": "Soft"}}, 0
            )
            timed_out = await asyncio.to_thread(
                runtime.wait_for,
                lambda: runtime.api("GET", f"/commands/{silent[1]['commandId']}")[1]["status"] == "timeout",
                15,
            )
            after_timeout = await asyncio.to_thread(
                runtime.wait_for,
                lambda: runtime.api("GET", f"/commands/{queued[1]['commandId']}")[1]["status"] == "completed",
                10,
            )
            mid = await asyncio.to_thread(send, "commands", {"action": "ClearCache", "payload": {}}, 0)
            listener.cancel()
        return accepted, rejected, refused, silent, timed_out, after_timeout, mid

    accepted, rejected, refused, silent, timed_out, after_timeout, mid = asyncio.run(scenario())
    assert accepted[0] == 200 and accepted[1]["response"] == {"status": "Accepted"}
    assert rejected[0] == 200 and rejected[1]["response"] == {"status": "Rejected"}
    assert refused[0] == 200 and refused[1]["status"] == "failed"
    assert refused[1]["error"]["code"] == "NotSupported"
    assert silent[0] == 504 and silent[1]["status"] == "pending"
    assert timed_out and after_timeout  # the sweep timed it out and the queued Reset went out
    assert runtime.wait_for(
        lambda: runtime.api("GET", f"/commands/{mid[1]['commandId']}")[1]["status"] == "failed", 10
    )
    _, body = runtime.api("GET", f"/commands/{mid[1]['commandId']}")
    assert body["error"]["code"] == "Disconnected"
    _, cp = runtime.api("GET", f"/charge-points/{cp_id}")
    assert cp["resetResult"]["status"] == "Accepted" and cp["availabilityResult"]["status"] == "Rejected"
