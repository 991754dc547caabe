"""Operator commands through the running local runtime to real WebSocket clients: every
CSMS-initiated action of each version arrives intact and its answer comes back; `ocpp`
package clients accept, reject, raise a CALLERROR, stay silent and disconnect mid-command."""

import asyncio
import json
from datetime import UTC, datetime

import pytest
import websockets
from ocpp.exceptions import NotSupportedError
from ocpp.routing import after, on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from local.fleet.samples import minimal, schema_of
from shared.protocol.versions import PROFILES, OcppVersion
from tests.e2e.conftest import CLIENT_CLASSES, connected

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


RESULTS = {"1.6": result16, "2.0.1": result201, "2.1": result21}


def behaving_station(version):
    """A station of that version that accepts resets, rejects availability changes, refuses
    unlocking with a CALLERROR and ignores ClearCache."""
    results = RESULTS[version]

    class Station(CLIENT_CLASSES[version]):
        @on("Reset")
        def on_reset(self, **_):
            return results.Reset(status="Accepted")

        @on("ChangeAvailability")
        def on_availability(self, **_):
            return results.ChangeAvailability(status="Rejected")

        @on("UnlockConnector")
        def on_unlock(self, **_):
            raise NotSupportedError("This station has no lock")

        async def route_message(self, raw_msg):
            if '"ClearCache"' in raw_msg:
                return  # silence: no answer at all (the client handles calls one at a time)
            await super().route_message(raw_msg)

    return Station


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_answers_rejections_errors_silence_and_disconnects(runtime, version):
    cp_id = f"E2E-CMD-{version.replace('.', '')}"

    def send(path, body, wait=10):
        return runtime.api("POST", f"/charge-points/{cp_id}/{path}?wait={wait}", body)

    def status_of(command):
        return runtime.api("GET", f"/commands/{command[1]['commandId']}")[1]["status"]

    async def scenario():
        async with connected(runtime, cp_id, version, behaving_station(version)):
            accepted = await asyncio.to_thread(send, "reset", {"hard": True})
            rejected = await asyncio.to_thread(send, "availability", {"operative": False, "connectorId": 1})
            refused = await asyncio.to_thread(send, "unlock", {"connectorId": 1})
            silent = await asyncio.to_thread(
                send, "commands", {"action": "ClearCache", "payload": {}, "timeoutSeconds": 5}, 2
            )
            queued = await asyncio.to_thread(send, "reset", {"hard": False}, 0)
            timed_out = await asyncio.to_thread(runtime.wait_for, lambda: status_of(silent) == "timeout", 15)
            after_timeout = await asyncio.to_thread(
                runtime.wait_for, lambda: status_of(queued) == "completed", 10
            )
            mid = await asyncio.to_thread(send, "commands", {"action": "ClearCache", "payload": {}}, 0)
        return accepted, rejected, refused, silent, timed_out, after_timeout, mid

    accepted, rejected, refused, silent, timed_out, after_timeout, mid = asyncio.run(scenario())
    assert accepted[0] == 200 and accepted[1]["response"] == {"status": "Accepted"}
    assert rejected[0] == 200 and rejected[1]["response"] == {"status": "Rejected"}
    assert refused[0] == 200 and refused[1]["status"] == "failed"
    assert refused[1]["error"]["code"] == "NotSupported"
    assert silent[0] == 504 and silent[1]["status"] == "pending"
    assert timed_out and after_timeout  # the sweep timed it out and the queued Reset went out
    assert runtime.wait_for(lambda: status_of(mid) == "failed", 10)
    _, body = runtime.api("GET", f"/commands/{mid[1]['commandId']}")
    assert body["error"]["code"] == "Disconnected"
    _, cp = runtime.api("GET", f"/charge-points/{cp_id}")
    assert cp["resetResult"]["status"] == "Accepted" and cp["availabilityResult"]["status"] == "Rejected"


def starting_station(version):
    """A station that accepts a remote start and then begins the session it asked for."""
    base = CLIENT_CLASSES[version]
    if version == "1.6":

        class Station16(base):
            @on("RemoteStartTransaction")
            def on_remote_start(self, **_):
                return result16.RemoteStartTransaction(status="Accepted")

            @after("RemoteStartTransaction")
            async def begin(self, id_tag, connector_id=1, **_):
                await self.call(
                    call16.StartTransaction(
                        connector_id=connector_id, id_tag=id_tag, meter_start=0, timestamp=now()
                    )
                )

        return Station16
    calls, results = (call201, result201) if version == "2.0.1" else (call21, result21)

    class Station2(base):
        @on("RequestStartTransaction")
        def on_remote_start(self, **_):
            return results.RequestStartTransaction(status="Accepted")

        @after("RequestStartTransaction")
        async def begin(self, id_token, remote_start_id, evse_id=1, **_):
            await self.call(
                calls.TransactionEvent(
                    event_type="Started",
                    timestamp=now(),
                    trigger_reason="RemoteStart",
                    seq_no=0,
                    transaction_info={
                        "transaction_id": f"RS-{remote_start_id}",
                        "remote_start_id": remote_start_id,
                    },
                    id_token=id_token,
                    evse={"id": evse_id, "connector_id": 1},
                )
            )

    return Station2


def now():
    return datetime.now(UTC).isoformat()


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_remote_start_is_linked_to_the_session_it_began(runtime, version):
    cp_id = f"E2E-RS-{version.replace('.', '')}"
    assert runtime.api("PUT", "/id-tokens/APP-USER-7", {"status": "Accepted"})[0] in (200, 201)

    def started(command_id):
        return runtime.api("GET", f"/commands/{command_id}")[1]["transactionId"]

    async def scenario():
        async with connected(runtime, cp_id, version, starting_station(version)):
            status, sent = await asyncio.to_thread(
                runtime.api,
                "POST",
                f"/charge-points/{cp_id}/remote-start?wait=10",
                {"idToken": "APP-USER-7", "connectorId": 1, "evseId": None if version == "1.6" else 1},
            )
            transaction_id = await asyncio.to_thread(runtime.wait_for, lambda: started(sent["commandId"]), 10)
            return status, sent, transaction_id

    status, sent, transaction_id = asyncio.run(scenario())
    assert status == 200 and sent["response"]["status"] == "Accepted"
    assert transaction_id
    _, session = runtime.api("GET", f"/transactions/{transaction_id}?chargePointId={cp_id}")
    assert session["remoteStartCommandId"] == sent["commandId"]
    assert (session["chargePointId"], session["idToken"]) == (cp_id, "APP-USER-7")


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_fifty_commands_at_once_each_reach_the_station_once_in_order(runtime, version):
    cp_id = f"E2E-RUSH-{version.replace('.', '')}"
    received = []

    async def station(ws):
        async for text in ws:
            frame = json.loads(text)
            if frame[0] == 2:
                received.append(frame[1])
                await asyncio.sleep(0.01)  # a station takes a moment to answer
                await ws.send(json.dumps([3, frame[1], minimal(schema_of(version, frame[2], response=True))]))

    def submit(n):
        body = {"action": "DataTransfer", "payload": {"vendorId": "com.example", "messageId": f"m{n}"}}
        return runtime.api("POST", f"/charge-points/{cp_id}/commands", body)

    async def scenario():
        async with websockets.connect(runtime.ocpp_url(cp_id), subprotocols=[f"ocpp{version}"]) as ws:
            answering = asyncio.create_task(station(ws))
            submitted = await asyncio.gather(*(asyncio.to_thread(submit, n) for n in range(50)))
            ids = [body["commandId"] for status, body in submitted if status == 202]
            assert len(ids) == 50, submitted
            settled = await asyncio.to_thread(
                runtime.wait_for,
                lambda: all(runtime.api("GET", f"/commands/{i}")[1]["status"] == "completed" for i in ids),
                30,
            )
            answering.cancel()
            return ids, settled

    ids, settled = asyncio.run(scenario())
    assert settled, "not every command completed"
    assert sorted(received) == sorted(ids) and len(received) == 50  # each once, none twice
    made = {i: runtime.api("GET", f"/commands/{i}")[1]["createdAt"] for i in ids}
    assert received == sorted(ids, key=lambda i: made[i])  # in the order they were made
