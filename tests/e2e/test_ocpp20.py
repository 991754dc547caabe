"""A station that announces only `ocpp2.0` and speaks 2.0's wording (transactionData, not
transactionInfo) boots, authorizes, charges and obeys a Reset sent through the operator API."""

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
import websockets
from ocpp.routing import on
from ocpp.v201 import ChargePoint, call, call_result

pytestmark = pytest.mark.e2e


@dataclass
class TransactionEvent:
    """OCPP 2.0's TransactionEvent: the session in `transactionData`, named by `id`."""

    event_type: str
    timestamp: str
    trigger_reason: str
    seq_no: int
    transaction_data: dict[str, Any]
    meter_value: list[dict[str, Any]]
    evse: dict[str, Any] | None = None
    id_token: dict[str, Any] | None = None


class Station20(ChargePoint):
    """The package's 2.0.1 station, speaking 2.0: no 2.0 schemas exist to check against."""

    resets: list[str]

    @on("Reset", skip_schema_validation=True)
    def on_reset(self, type, **_):
        self.resets.append(type)
        return call_result.Reset(status="Accepted")


def at(minute):
    return f"2026-11-24T11:{minute:02d}:00Z"


def test_a_2_0_station_boots_authorizes_charges_and_obeys_a_reset(runtime):
    cp_id, tag, transaction_id = "E2E-OCPP20", "TAG-2.0", "tx-e2e-20"
    assert runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})[0] == 201
    registers = [1_000, 4_000, 6_500]

    async def scenario():
        async with websockets.connect(runtime.ocpp_url(cp_id), subprotocols=["ocpp2.0"]) as ws:
            assert ws.subprotocol == "ocpp2.0"
            station = Station20(cp_id, ws)
            station.resets = []
            listener = asyncio.create_task(station.start())
            try:
                boot = await station.call(
                    call.BootNotification(
                        charging_station={"model": "Early2x", "vendor_name": "Acme"}, reason="PowerUp"
                    ),
                    skip_schema_validation=True,
                )
                authorized = await station.call(
                    call.Authorize(id_token={"id_token": tag, "type": "ISO14443"}),
                    skip_schema_validation=True,
                )
                answers = []
                for seq, wh in enumerate(registers):
                    kind = ("Started", "Updated", "Ended")[seq]
                    data = {"id": transaction_id, "charging_state": "Idle" if kind == "Ended" else "Charging"}
                    if kind == "Ended":
                        data["stopped_reason"] = "EVDisconnected"
                    started = kind == "Started"
                    event = TransactionEvent(
                        event_type=kind,
                        timestamp=at(seq),
                        trigger_reason=("Authorized", "MeterValuePeriodic", "EVCommunicationLost")[seq],
                        seq_no=seq,
                        transaction_data=data,
                        meter_value=[{"timestamp": at(seq), "sampled_value": [{"value": wh}]}],
                        evse={"id": 1, "connector_id": 1} if started else None,
                        id_token={"id_token": tag, "type": "ISO14443"} if started else None,
                    )
                    answers.append(await station.call(event, skip_schema_validation=True))
                code, command = await asyncio.to_thread(
                    runtime.api,
                    "POST",
                    f"/charge-points/{cp_id}/commands?wait=10",
                    {"action": "Reset", "payload": {"type": "OnIdle"}},
                )
                return boot, authorized, answers, code, command, station.resets
            finally:
                listener.cancel()

    boot, authorized, answers, code, command, resets = asyncio.run(scenario())
    assert boot.status == "Accepted"
    assert authorized.id_token_info["status"] == "Accepted"
    assert answers[0].id_token_info["status"] == "Accepted"
    assert (code, command["status"], command["response"]) == (200, "completed", {"status": "Accepted"})
    assert resets == ["OnIdle"]

    code, charge_point = runtime.api("GET", f"/charge-points/{cp_id}")
    assert (code, charge_point["ocppVersion"], charge_point["model"]) == (200, "2.0", "Early2x")
    code, session = runtime.api("GET", f"/transactions/{transaction_id}")
    assert code == 200, session
    assert (session["chargePointId"], session["idToken"], session["active"]) == (cp_id, tag, False)
    assert (session["meterStartWh"], session["meterStopWh"], session["energyWh"]) == (1_000, 6_500, 5_500)
    assert session["stopReason"] == "EVDisconnected"


def test_a_reset_of_one_evse_is_refused_for_a_2_0_station_before_it_is_queued(runtime):
    cp_id = "E2E-OCPP20-EVSE"

    async def scenario():
        async with websockets.connect(runtime.ocpp_url(cp_id), subprotocols=["ocpp2.0"]) as ws:
            station = Station20(cp_id, ws)
            station.resets = []
            listener = asyncio.create_task(station.start())
            try:
                await station.call(
                    call.BootNotification(
                        charging_station={"model": "Early2x", "vendor_name": "Acme"}, reason="PowerUp"
                    ),
                    skip_schema_validation=True,
                )
                return await asyncio.to_thread(
                    runtime.api,
                    "POST",
                    f"/charge-points/{cp_id}/commands",
                    {"action": "Reset", "payload": {"type": "OnIdle", "evseId": 1}},
                )
            finally:
                listener.cancel()

    code, body = asyncio.run(scenario())
    assert code == 422, body
    assert "OCPP 2.0 cannot say this" in body["error"]["message"]
