"""The rest of OCPP 2.1 end to end: an `ocpp` 2.1 client sends each of the ten messages the
CSMS used to answer NotImplemented (NotifyPeriodicEventStream as a raw SEND frame: the package
has no SEND), each twice, and is answered; the API shows each fact kept once (a VAT check is
one per message id). A DER control
round-trips through the API: set, kept with the station's answer, cleared."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v21 import call as calls
from ocpp.v21 import call_result as results

from tests.e2e.conftest import CLIENT_CLASSES, connected

pytestmark = pytest.mark.e2e

CP = "E2E-OCPP21"
NOW = "2026-12-01T10:00:00Z"
CONTROL = {
    "isDefault": False,
    "controlType": "LimitMaxDischarge",
    "limitMaxDischarge": {"priority": 1, "pctMaxDischargePower": 50},
}


class DerStation(CLIENT_CLASSES["2.1"]):  # type: ignore[misc, valid-type]
    """Holds the DER controls it is given."""

    held: dict[str, Any]

    @on("SetDERControl")
    def on_set(self, control_id: str, **control: Any) -> Any:
        self.held[control_id] = control
        return results.SetDERControl(status="Accepted")

    @on("ClearDERControl")
    def on_clear(self, control_id: str, **request: Any) -> Any:
        found = self.held.pop(control_id, None)
        return results.ClearDERControl(status="Accepted" if found else "NotFound")


def ten_messages() -> list[Any]:
    battery = {"evse_id": 1, "serial_number": "B-1", "so_c": 20, "so_h": 95}
    held = {"id": "LMD-0", "is_default": True, "is_superseded": False, "limit_max_discharge": {"priority": 0}}
    return [
        calls.OpenPeriodicEventStream(
            constant_stream_data={"id": 3, "variable_monitoring_id": 8, "params": {"interval": 10}}
        ),
        calls.NotifyDERAlarm(control_type="VoltVar", grid_event_fault="OverVoltage", timestamp=NOW),
        calls.NotifyDERStartStop(control_id="LMD-0", started=True, timestamp=NOW),
        calls.ReportDERControl(request_id=4, limit_max_discharge=[held]),
        calls.BatterySwap(
            event_type="BatteryIn",
            request_id=6,
            id_token={"id_token": "T1", "type": "ISO14443"},
            battery_data=[battery],
        ),
        calls.VatNumberValidation(vat_number="FR AB 123456789", evse_id=1),
        calls.NotifyPriorityCharging(transaction_id="TX-21", activated=True),
        calls.PullDynamicScheduleUpdate(charging_profile_id=77),
        calls.ClosePeriodicEventStream(id=3),
    ]


def test_the_ten_are_answered_and_kept_once_and_a_der_control_round_trips(runtime):
    def api(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return runtime.api(method, f"/charge-points/{CP}{path}", body)

    async def scenario() -> dict[str, Any]:
        async with connected(runtime, CP, "2.1", DerStation) as station:
            station.held = {}
            await station.call(
                calls.TransactionEvent(
                    event_type="Started",
                    timestamp=NOW,
                    trigger_reason="Authorized",
                    seq_no=0,
                    transaction_info={"transaction_id": "TX-21"},
                    evse={"id": 1, "connector_id": 1},
                )
            )
            answers = []
            for message in ten_messages():
                answers.append(await station.call(message))
                await station.call(message)  # a resend
            stream = {"id": 3, "pending": 0, "basetime": NOW, "data": [{"t": 0, "v": "231.2"}]}
            for message_id in ("s1", "s1"):
                await station._connection.send(
                    json.dumps([6, message_id, "NotifyPeriodicEventStream", stream])
                )

            put = await asyncio.to_thread(api, "PUT", "/der-controls/LMD-1?wait=10", CONTROL)
            kept = await asyncio.to_thread(api, "GET", "/der-controls/LMD-1")
            held = dict(station.held)
            cleared = await asyncio.to_thread(api, "DELETE", "/der-controls/LMD-1?wait=10")
            gone = await asyncio.to_thread(api, "GET", "/der-controls/LMD-1")
            return {
                "answers": answers,
                "put": put,
                "kept": kept,
                "held": held,
                "cleared": cleared,
                "gone": gone,
            }

    r = asyncio.run(scenario())
    answers = r["answers"]  # each the action's CALLRESULT, none a CALLERROR
    assert [type(a).__name__ for a in answers] == [type(m).__name__ for m in ten_messages()]
    opened, vat, pull = answers[0], answers[5], answers[7]
    assert opened.status == "Accepted" and vat.status == "Accepted" and vat.vat_number == "FR AB 123456789"
    assert pull.status == "Rejected"  # no dynamic profile 77
    assert r["put"][0] == 200 and r["put"][1]["response"]["status"] == "Accepted", r["put"]
    assert r["held"] == {
        "LMD-1": {
            "is_default": False,
            "control_type": "LimitMaxDischarge",
            "limit_max_discharge": {"priority": 1, "pct_max_discharge_power": 50},
        }
    }
    assert r["kept"][0] == 200 and (r["kept"][1]["status"], r["kept"][1]["control"]) == ("Accepted", CONTROL)
    assert r["cleared"][0] == 200 and r["gone"][0] == 404

    def items(path: str) -> list[dict[str, Any]]:
        status, page = api("GET", path)
        assert status == 200, page
        return page["items"]

    assert len(items("/der-events?kind=alarm")) == 1
    assert len(items("/der-events?kind=start-stop")) == 1
    assert len(items("/der-events?kind=report")) == 1
    assert [s["opened"] for s in items("/events?kind=event-stream")] == [False, True]
    [values] = runtime.wait_for(lambda: items("/events?kind=stream-data"))  # the SEND is unanswered
    assert values["data"] == [{"t": 0, "v": "231.2"}]
    assert [(s["requestId"], s["eventType"]) for s in items("/battery-swaps")] == [(6, "BatteryIn")]
    # The client gives each call a new message id: two checks, each kept (a resend keeps its id).
    assert [v["status"] for v in items("/vat-numbers")] == ["Accepted", "Accepted"]
    status, session = runtime.api("GET", f"/transactions/TX-21?chargePointId={CP}")
    assert status == 200 and session["priorityCharging"] is True
