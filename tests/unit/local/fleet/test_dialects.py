"""The older versions' wording: what a 1.5 and a 2.0 station say where 1.6 and 2.0.1 differ,
read back through the CSMS's own rules so that the two sides agree."""

from __future__ import annotations

import asyncio

from ocpp.charge_point import remove_nones, serialize_as_dict, snake_to_camel_case
from ocpp.messages import Call, validate_payload

from local.fleet.dialects import Session, State, StopKind, dialect_for
from shared.protocol import v20
from shared.protocol.v20 import CALL


def session() -> Session:
    return Session(
        connector=1, tag="CARD-1", local_id="1-1-ab", meter_start_wh=100, started_at="2026-01-01T10:00:00Z"
    )


def wire(message) -> dict:
    return snake_to_camel_case(remove_nones(serialize_as_dict(message)))


def test_a_15_station_says_occupied_reports_no_stop_reason_and_only_15_statuses():
    dialect = dialect_for("1.5")
    assert dialect.version == "1.5" and dialect.schemas == "1.6"
    assert [dialect.status(1, s).status for s in (State.PREPARING, State.CHARGING, State.FINISHING)] == [
        "Occupied"
    ] * 3
    assert dialect.status(1, State.AVAILABLE).status == "Available"
    ended = session()
    ended.transaction_id, ended.stop_kind, ended.stopped_at = "7", StopKind.REMOTE, "2026-01-01T11:00:00Z"
    assert "reason" not in wire(dialect.ended(ended, False))
    assert dialect.firmware_status("Downloading", None) is None
    assert dialect.firmware_status("Installed", None).status == "Installed"
    assert dialect.log_status("Uploading", None) is None
    assert dialect.log_status("UploadFailed", None).status == "UploadFailed"
    assert "SecurityProfile" not in dialect.configuration(2, 60, 10)


def test_a_20_station_words_its_transactions_as_20_and_the_csms_reads_them_as_201():
    dialect = dialect_for("2.0")
    assert (dialect.version, dialect.schemas, dialect.validates) == ("2.0", "2.0.1", False)
    began = session()
    began.transaction_id = began.local_id
    started = dialect.started(began, offline=False)
    assert type(started).__name__ == "TransactionEvent"
    payload = wire(started)
    assert payload["transactionData"] == {"id": "1-1-ab", "chargingState": "Charging"}
    assert "transactionInfo" not in payload
    read = v20.read("TransactionEvent", CALL, payload)
    assert read["transactionInfo"]["transactionId"] == "1-1-ab"
    asyncio.run(validate_payload(Call("1", "TransactionEvent", read), "2.0.1"))  # raises if not


def test_a_20_station_may_name_its_evse_in_authorize_which_the_csms_leaves_out():
    dialect = dialect_for("2.0")
    authorize = dialect.authorize("CARD-1")
    assert type(authorize).__name__ == "Authorize"
    authorize.evse_id = [1]
    read = v20.read("Authorize", CALL, wire(authorize))
    assert read == {"idToken": {"idToken": "CARD-1", "type": "ISO14443"}}


def test_a_20_composite_schedule_nests_the_charging_schedule_beside_the_evse():
    answer = dialect_for("2.0").composite_answer(2, 600, 7400.0)
    assert answer["evse_id"] == 2
    assert answer["schedule"]["charging_schedule"]["charging_schedule_period"] == [
        {"start_period": 0, "limit": 7400.0}
    ]
    request = {"duration": 600, "evseId": 2}
    read = v20.read("GetCompositeSchedule", 3, snake_to_camel_case(answer), request)
    assert read["schedule"]["evseId"] == 2 and read["schedule"]["duration"] == 600
