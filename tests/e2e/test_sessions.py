"""Drivers charging at stations of every version, through the running local runtime: the
sessions and energy the operator API shows, including after an offline period whose queued
messages arrive twice."""

import asyncio
import random

import pytest
from ocpp.v16 import call as call16
from ocpp.v21 import call as call21
from ocpp.v201 import call as call201

from tests.e2e.conftest import connected

pytestmark = pytest.mark.e2e

V2_CALLS = {"2.0.1": call201, "2.1": call21}


def at(minute):
    return f"2026-11-24T10:{minute:02d}:00Z"


def transaction_events(version, transaction_id, tag, registers, offline=False):
    """A 2.x session: Started, one Updated per middle register, Ended; registers in Wh."""
    calls = V2_CALLS[version]
    last = len(registers) - 1
    messages = []
    for seq, wh in enumerate(registers):
        kind = "Started" if seq == 0 else "Ended" if seq == last else "Updated"
        context = {"Started": "Transaction.Begin", "Ended": "Transaction.End"}.get(kind, "Sample.Periodic")
        info = {"transaction_id": transaction_id, "charging_state": "Idle" if kind == "Ended" else "Charging"}
        if kind == "Ended":
            info["stopped_reason"] = "EVDisconnected"
        extra = {"evse": {"id": 1, "connector_id": 1}, "id_token": {"id_token": tag, "type": "ISO14443"}}
        messages.append(
            calls.TransactionEvent(
                event_type=kind,
                timestamp=at(seq),
                trigger_reason={"Started": "Authorized", "Ended": "EVCommunicationLost"}.get(
                    kind, "MeterValuePeriodic"
                ),
                seq_no=seq,
                transaction_info=info,
                offline=offline,
                meter_value=[
                    {
                        "timestamp": at(seq),
                        "sampled_value": [
                            {"value": wh / 1000, "context": context, "unit_of_measure": {"unit": "kWh"}}
                        ],
                    }
                ],
                **(extra if kind == "Started" else {}),
            )
        )
    return messages


async def charge_16(station, tag, registers):
    """Authorize, start, meter values, stop: what a 1.6 station sends for one session."""
    authorized = await station.call(call16.Authorize(id_tag=tag))
    started = await station.call(
        call16.StartTransaction(connector_id=1, id_tag=tag, meter_start=registers[0], timestamp=at(0))
    )
    for minute, wh in enumerate(registers[1:-1], start=1):
        await station.call(
            call16.MeterValues(
                connector_id=1,
                transaction_id=started.transaction_id,
                meter_value=[
                    {"timestamp": at(minute), "sampled_value": [{"value": f"{wh / 1000}", "unit": "kWh"}]}
                ],
            )
        )
    stopped = await station.call(
        call16.StopTransaction(
            transaction_id=started.transaction_id,
            meter_stop=registers[-1],
            timestamp=at(len(registers)),
            id_tag=tag,
            reason="EVDisconnected",
        )
    )
    return authorized.id_tag_info["status"], started, stopped


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_driver_authorizes_charges_and_stops(runtime, version):
    cp_id, tag = f"E2E-S{version.replace('.', '')}", f"TAG-{version}"
    assert runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})[0] == 201
    registers = [10_000, 12_500, 15_000, 17_250]

    async def scenario():
        async with connected(runtime, cp_id, version) as station:
            if version == "1.6":
                status, started, _ = await charge_16(station, tag, registers)
                return status, str(started.transaction_id)
            calls = V2_CALLS[version]
            authorized = await station.call(calls.Authorize(id_token={"id_token": tag, "type": "ISO14443"}))
            for message in transaction_events(version, f"tx-{cp_id}", tag, registers):
                await station.call(message)
            return authorized.id_token_info["status"], f"tx-{cp_id}"

    status, transaction_id = asyncio.run(scenario())
    assert status == "Accepted"
    code, body = runtime.api("GET", f"/transactions/{transaction_id}")
    assert code == 200, body
    assert (body["chargePointId"], body["idToken"], body["active"]) == (cp_id, tag, False)
    assert (body["meterStartWh"], body["meterStopWh"], body["energyWh"]) == (10_000, 17_250, 7_250)
    assert body["stopReason"] == "EVDisconnected"
    code, page = runtime.api("GET", f"/transactions?chargePointId={cp_id}")
    assert [item["transactionId"] for item in page["items"]] == [transaction_id]


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_an_offline_session_replayed_twice_counts_once(runtime, version):
    """The station charged while offline, then reconnects and sends its queue; it loses the
    connection before all answers arrive and sends the whole queue again, partly reordered."""
    cp_id, tag = f"E2E-R{version.replace('.', '')}", "TAG-OFFLINE"
    runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})
    registers = [50_000, 51_000, 53_500, 56_000, 58_000]

    async def replay(shuffle):
        async with connected(runtime, cp_id, version) as station:
            if version == "1.6":
                _, started, _ = await charge_16(station, tag, registers)
                return str(started.transaction_id)
            messages = transaction_events(version, "offline-1", tag, registers, offline=True)
            if shuffle:
                random.Random(7).shuffle(messages)
            for message in messages:
                await station.call(message)
            return "offline-1"

    first = asyncio.run(replay(shuffle=False))
    second = asyncio.run(replay(shuffle=True))
    assert first == second  # a resent 1.6 start gets its transaction id back

    _, page = runtime.api("GET", f"/transactions?chargePointId={cp_id}")
    assert [item["transactionId"] for item in page["items"]] == [first]
    # Other stations of this run use the same 2.x transaction id: name the charge point.
    _, body = runtime.api("GET", f"/transactions/{first}?chargePointId={cp_id}")
    assert body["energyWh"] == 8_000 and body["active"] is False
    assert len(body["meterValues"]) == (3 if version == "1.6" else 5)
    if version != "1.6":
        assert [event["seqNo"] for event in body["events"]] == [0, 1, 2, 3, 4]
        assert all(event["offline"] for event in body["events"])
