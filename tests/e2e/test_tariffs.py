"""What a session costs, end to end: a tariff put through the API prices sessions of `ocpp`
package clients of every version. 2.x stations see the tariff's text when they authorize, the
running cost in CostUpdated and the final cost in the answer that ends the session; a 1.6
station that says it shows costs gets OCA's California pricing DataTransfer messages. The
operator API shows the same cost on the transaction and in the CDR."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from tests.e2e.conftest import CLIENT_CLASSES, connected

pytestmark = pytest.mark.e2e

CALLS = {"1.6": call16, "2.0.1": call201, "2.1": call21}
RESULTS = {"1.6": result16, "2.0.1": result201, "2.1": result21}
# 12 kWh at 0.40 and a 0.50 fee: 5.30 before tax, 5.83 with 10 % VAT; 5 kWh so far: 2.75.
TARIFF = {
    "currency": "EUR",
    "vatRate": 10,
    "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.4}, {"type": "FLAT", "price": 0.5}]}],
    "text": [{"language": "en", "text": "0.40 EUR/kWh and 0.50 EUR a session"}],
}
FINAL, RUNNING = 5.83, 2.75


def at(hours_ago: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()


def costing_station(version: str, heard: list[Any]) -> type:
    """A station of that version that keeps the cost messages it is sent."""
    results = RESULTS[version]

    class Station(CLIENT_CLASSES[version]):  # type: ignore[misc, valid-type]
        if version == "1.6":

            @on("GetConfiguration")
            def on_get_configuration(self, **_: Any) -> Any:
                key = {"key": "CustomDisplayCostAndPrice", "readonly": True, "value": "true"}
                return results.GetConfiguration(configuration_key=[key])

            @on("DataTransfer")
            def on_data_transfer(self, vendor_id: str, message_id: str = "", data: str = "", **_: Any) -> Any:
                heard.append((message_id, json.loads(data)))
                return results.DataTransfer(status="Accepted")

        else:

            @on("CostUpdated")
            def on_cost_updated(self, total_cost: float, transaction_id: str, **_: Any) -> Any:
                heard.append(("CostUpdated", {"totalCost": total_cost, "transactionId": transaction_id}))
                return results.CostUpdated()

    return Station


def meter(version: str, wh: int, when: str, context: str) -> list[dict[str, Any]]:
    if version == "1.6":
        return [{"timestamp": when, "sampled_value": [{"value": str(wh), "context": context}]}]
    return [{"timestamp": when, "sampled_value": [{"value": wh, "context": context}]}]


async def charge_2x(runtime: Any, station: Any, version: str, heard: list[Any], tid: str) -> dict[str, Any]:
    calls = CALLS[version]
    token = {"id_token": "E2E-COST", "type": "ISO14443"}
    authorized = await station.call(calls.Authorize(id_token=token))
    events = [("Started", 0, 2.0, "Transaction.Begin"), ("Updated", 5000, 1.0, "Sample.Periodic")]
    for seq, (kind, wh, hours_ago, context) in enumerate(events):
        await station.call(
            calls.TransactionEvent(
                event_type=kind,
                timestamp=at(hours_ago),
                trigger_reason="Authorized" if kind == "Started" else "MeterValuePeriodic",
                seq_no=seq,
                transaction_info={"transaction_id": tid, "charging_state": "Charging"},
                meter_value=meter(version, wh, at(hours_ago), context),
                **({"evse": {"id": 1, "connector_id": 1}, "id_token": token} if kind == "Started" else {}),
            )
        )
    await wait_until(lambda: heard)
    ended = await station.call(
        calls.TransactionEvent(
            event_type="Ended",
            timestamp=at(0),
            trigger_reason="EVCommunicationLost",
            seq_no=2,
            transaction_info={
                "transaction_id": tid,
                "charging_state": "Idle",
                "stopped_reason": "EVDisconnected",
            },
            meter_value=meter(version, 12000, at(0), "Transaction.End"),
        )
    )
    return {"authorized": authorized.id_token_info, "total_cost": ended.total_cost}


async def charge_16(runtime: Any, station: Any, cp_id: str, heard: list[Any]) -> dict[str, Any]:
    await asyncio.to_thread(
        runtime.api, "POST", f"/charge-points/{cp_id}/configuration/read?wait=10", {"keys": []}
    )
    started = await station.call(
        call16.StartTransaction(connector_id=1, id_tag="E2E-COST", meter_start=0, timestamp=at(2))
    )
    tid = started.transaction_id
    await station.call(
        call16.MeterValues(
            connector_id=1, transaction_id=tid, meter_value=meter("1.6", 5000, at(1), "Sample.Periodic")
        )
    )
    await wait_until(lambda: heard)
    await station.call(call16.StopTransaction(transaction_id=tid, meter_stop=12000, timestamp=at(0)))
    await wait_until(lambda: len(heard) > 1)
    return {"transaction_id": str(tid)}


async def wait_until(predicate: Any, timeout: float = 10) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_session_shows_its_running_and_final_cost(runtime, version):
    cp_id = f"E2E-COST-{version.replace('.', '')}"
    tariff_id = f"e2e-{version.replace('.', '')}"
    assert runtime.api("PUT", f"/charge-points/{cp_id}", {})[0] in (200, 201)
    assert runtime.api("PUT", "/id-tokens/E2E-COST", {"status": "Accepted"})[0] in (200, 201)
    body = {**TARIFF, "assignedTo": {"chargePoints": [cp_id]}}
    assert runtime.api("PUT", f"/tariffs/{tariff_id}", body)[0] in (200, 201)
    heard: list[Any] = []

    async def scenario() -> dict[str, Any]:
        async with connected(runtime, cp_id, version, costing_station(version, heard)) as station:
            if version == "1.6":
                return await charge_16(runtime, station, cp_id, heard)
            return await charge_2x(runtime, station, version, heard, f"{cp_id}-T1")

    try:
        outcome = asyncio.run(scenario())
    finally:
        runtime.api("DELETE", f"/tariffs/{tariff_id}")
    if version == "1.6":
        tid = outcome["transaction_id"]
        assert [m for m, _ in heard] == ["RunningCost", "FinalCost"]
        assert (heard[0][1]["cost"], heard[0][1]["meterValue"]) == (RUNNING, 5000)
        assert heard[1][1] == {
            "transactionId": int(tid),
            "cost": FINAL,
            "priceText": TARIFF["text"][0]["text"],
        }
    else:
        tid = f"{cp_id}-T1"
        assert outcome["authorized"]["personal_message"]["content"] == TARIFF["text"][0]["text"]
        assert heard == [("CostUpdated", {"totalCost": RUNNING, "transactionId": tid})]
        assert outcome["total_cost"] == FINAL
    status, session = runtime.api("GET", f"/transactions/{tid}?chargePointId={cp_id}")
    assert status == 200 and session["tariffId"] == tariff_id
    assert (session["cost"]["energyWh"], session["cost"]["totalInclVat"]) == (12000, FINAL)
    cdrs = runtime.api("GET", "/cdrs?limit=100")[1]["items"]
    [cdr] = [c for c in cdrs if c["session_id"] == tid and c["cdr_location"]["id"] == cp_id]
    assert (cdr["total_cost"]["incl_vat"], cdr["total_energy"], cdr["currency"]) == (FINAL, 12.0, "EUR")
