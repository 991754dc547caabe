"""Sessions and meter values through the router, for every version: what is answered, what is
stored, what is published, what it costs, and that resends count once."""

import json

import boto3
import pytest

from shared.services.tariff_and_cost import tariffs
from tests.builders import V2, call, call_api, event, put_token, sampled, start, stop


def get(path, query=""):
    return call_api("GET", path, query=query)


STARTED = event(
    "Started",
    0,
    "2026-11-24T10:00:00Z",
    wh=1000,
    context="Transaction.Begin",
    evse={"id": 1, "connectorId": 1},
    idToken={"idToken": "TAG1", "type": "ISO14443"},
    info={"chargingState": "Charging"},
)
UPDATED = event("Updated", 1, "2026-11-24T10:30:00Z", wh=4000, info={"chargingState": "SuspendedEV"})
ENDED = event(
    "Ended",
    2,
    "2026-11-24T11:00:00Z",
    wh=8500,
    context="Transaction.End",
    info={"stoppedReason": "Local", "chargingState": "Idle"},
)


# --- Authorize ----------------------------------------------------------------------------


# --- OCPP 1.6 sessions --------------------------------------------------------------------


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_16_session_start_to_stop(station, published):
    put_token("TAG1")
    started = call(station, "StartTransaction", start(meter=1000))
    assert started["idTagInfo"] == {"status": "Accepted"}
    transaction_id = started["transactionId"]
    assert isinstance(transaction_id, int)
    assert (
        call(
            station,
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": transaction_id,
                "meterValue": [
                    sampled("2026-11-24T10:30:00Z", "4.25", unit="kWh"),
                ],
            },
        )
        == {}
    )
    stopped = call(
        station, "StopTransaction", stop(transaction_id, meter=8500, idTag="TAG1", reason="EVDisconnected")
    )
    assert stopped == {"idTagInfo": {"status": "Accepted"}}

    status, body = get(f"/transactions/{transaction_id}")
    assert status == 200
    assert (body["meterStartWh"], body["meterStopWh"], body["energyWh"]) == (1000, 8500, 7500)
    assert (body["active"], body["stopReason"], body["idToken"], body["connectorId"]) == (
        False,
        "EVDisconnected",
        "TAG1",
        1,
    )
    assert body["meterValues"][0]["sampledValues"][0] == {
        "measurand": "Energy.Active.Import.Register",
        "value": 4250.0,
        "unit": "Wh",
        "phase": None,
        "location": "Outlet",
        "context": "Sample.Periodic",
        "raw": None,
    }
    assert [e["transactionId"] for e in published.of("SessionStarted")] == [str(transaction_id)]
    [ended] = published.of("SessionEnded")
    assert (ended["transactionId"], ended["energyWh"], ended["stopReason"]) == (
        str(transaction_id),
        7500,
        "EVDisconnected",
    )


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_resent_start_gets_the_same_transaction_id_and_a_new_one_another(station, aws_calls, published):
    put_token("TAG1")
    tariffs.all_tariffs()  # a warm function reads the tariff list once a minute, not per message
    aws_calls.reset()
    first = call(station, "StartTransaction", start(), "s1")["transactionId"]
    assert aws_calls.dynamodb_reads <= 2 and aws_calls.dynamodb_writes <= 3
    aws_calls.reset()
    assert call(station, "StartTransaction", start(), "s2")["transactionId"] == first
    assert aws_calls.dynamodb_writes == 0
    other = call(station, "StartTransaction", start(connector=2), "s3")["transactionId"]
    assert other != first
    # The resend publishes SessionStarted again: the first may have stopped before publishing.
    started = [e["transactionId"] for e in published.of("SessionStarted")]
    assert started == [str(first), str(first), str(other)]
    _, body = get("/transactions", "chargePointId=CP1")
    assert sorted(item["transactionId"] for item in body["items"]) == sorted([str(first), str(other)])


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_resent_stop_changes_nothing_and_answers_as_before(station, published):
    put_token("TAG1")
    transaction_id = call(station, "StartTransaction", start(meter=0))["transactionId"]
    data = [sampled("2026-11-24T10:59:00Z", 5000)]
    first = call(station, "StopTransaction", stop(transaction_id, meter=5200, idTag="TAG1", data=data), "x1")
    again = call(station, "StopTransaction", stop(transaction_id, meter=9999, idTag="TAG1", data=data), "x2")
    assert first == again == {"idTagInfo": {"status": "Accepted"}}
    _, body = get(f"/transactions/{transaction_id}")
    assert (body["meterStopWh"], body["energyWh"]) == (5200, 5200)
    assert len(body["meterValues"]) == 1
    # Published again, the same: the first may have stopped before it (docs/faults.md).
    first_ended, again_ended = published.of("SessionEnded")
    assert first_ended == again_ended and first_ended["energyWh"] == 5200


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_16_stop_for_an_id_not_yet_given_is_kept_apart_and_never_poisons_the_session(station, published):
    next_id = (
        int(call(station, "StartTransaction", start(connector=2, id_tag="TAG9"), "s0")["transactionId"]) + 1
    )
    data = [sampled("2026-11-24T10:30:00Z", 3000)]
    # Answered, so that the station is not stuck; no session; a security event.
    assert call(station, "StopTransaction", stop(next_id, meter=4000, data=data, idTag="TAG1"), "x1") == {
        "idTagInfo": {"status": "Invalid"}
    }
    assert get(f"/transactions/{next_id}")[0] == 404
    [event] = published.of("SecurityEvent")
    assert event["type"] == "UnknownTransactionId" and str(next_id) in event["techInfo"]
    call(station, "StopTransaction", stop(next_id, meter=4000, data=data), "x1")  # a resend: published once
    assert len(published.of("SecurityEvent")) == 1
    # The id, once given, makes a session of its own, which its real stop ends.
    put_token("TAG1")
    assert call(station, "StartTransaction", start(meter=1000), "s1")["transactionId"] == next_id
    status, body = get(f"/transactions/{next_id}")
    assert (status, body["active"], body["meterStartWh"], body["meterValues"]) == (200, True, 1000, [])
    call(station, "StopTransaction", stop(next_id, meter=8500), "s2")
    _, body = get(f"/transactions/{next_id}")
    assert (body["active"], body["meterStopWh"], body["energyWh"]) == (False, 8500, 7500)


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_16_message_naming_another_charge_points_session_alters_nothing(station, posted, published):
    from functions.connect.handler import lambda_handler as connect
    from functions.ocpp_router.handler import lambda_handler as route
    from local.runtime import events
    from shared.data import charge_points
    from shared.domain.timestamps import utc_now
    from tests.builders import CONTEXT, socket

    put_token("TAG1")
    theirs = call(station, "StartTransaction", start(meter=1000), "s1")["transactionId"]
    charge_points.register_charge_point("CP2", utc_now())
    connect(events.connect(socket("c2", "CP2"), [], []), CONTEXT)

    def as_cp2(action, payload, message_id):
        route(events.message(socket("c2", "CP2"), json.dumps([2, message_id, action, payload])), CONTEXT)
        return posted.to("c2")[-1]

    meter = {
        "connectorId": 1,
        "transactionId": theirs,
        "meterValue": [sampled("2026-11-24T10:10:00Z", 99999)],
    }
    assert as_cp2("MeterValues", meter, "m1") == [3, "m1", {}]
    assert as_cp2("StopTransaction", stop(theirs, meter=50), "m2") == [3, "m2", {}]
    status, body = get(f"/transactions/{theirs}")
    assert (status, body["chargePointId"], body["active"], body["meterValues"]) == (200, "CP1", True, [])
    assert len(published.of("SecurityEvent")) == 2
    assert get("/transactions", "chargePointId=CP2")[1]["items"] == []


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_meter_values_cost_one_write_and_a_resend_none_more(station, aws_calls):
    payload = {
        "connectorId": 1,
        "meterValue": [
            {
                "timestamp": "2026-11-24T10:00:00Z",
                "sampledValue": [
                    {"value": "1.5", "unit": "kWh"},
                    {"value": "7.2", "unit": "kW", "measurand": "Power.Active.Import", "phase": "L1"},
                    {"value": "16", "unit": "A", "measurand": "Current.Import", "phase": "L1"},
                    {"value": "signed-blob", "format": "SignedData", "context": "Sample.Clock"},
                ],
            },
        ],
    }
    aws_calls.reset()
    call(station, "MeterValues", payload, "v1")
    assert (aws_calls.dynamodb_reads, aws_calls.dynamodb_writes) == (0, 1)
    from shared.data import session_events
    from shared.domain.meter_values import MeterValuesReport

    stream = session_events.meter_stream("CP1", MeterValuesReport((), connector_id=1))
    [stored] = list(session_events.events_of(stream))
    samples = stored.meter_values[0].samples
    assert [(s.measurand, s.value, s.unit, s.raw) for s in samples] == [
        ("Energy.Active.Import.Register", 1500.0, "Wh", None),
        ("Power.Active.Import", 7200.0, "W", None),
        ("Current.Import", 16.0, "A", None),
        ("Energy.Active.Import.Register", None, "Wh", "signed-blob"),
    ]
    call(station, "MeterValues", payload, "v2")
    assert len(list(session_events.events_of(stream))) == 1


# --- OCPP 2.x sessions --------------------------------------------------------------------


@pytest.mark.parametrize("version", V2, indirect=True)
def test_a_2x_session_started_updated_ended(station, published, aws_calls):
    put_token("TAG1")
    aws_calls.reset()
    assert call(station, "TransactionEvent", STARTED, "e0") == {"idTokenInfo": {"status": "Accepted"}}
    assert aws_calls.dynamodb_reads <= 2 and aws_calls.dynamodb_writes <= 3
    aws_calls.reset()
    assert call(station, "TransactionEvent", UPDATED, "e1") == {}
    assert aws_calls.dynamodb_reads <= 1 and aws_calls.dynamodb_writes <= 1

    status, body = get("/transactions/T-1")
    assert (status, body["active"], body["chargingState"], body["energyWh"]) == (
        200,
        True,
        "SuspendedEV",
        3000,
    )

    call(station, "TransactionEvent", ENDED, "e2")
    _, body = get("/transactions/T-1")
    assert (body["evseId"], body["connectorId"], body["idToken"], body["idTokenType"]) == (
        1,
        1,
        "TAG1",
        "ISO14443",
    )
    assert (body["meterStartWh"], body["meterStopWh"], body["energyWh"]) == (1000, 8500, 7500)
    assert (body["active"], body["stopReason"], body["chargingState"]) == (False, "Local", "Idle")
    assert [e["seqNo"] for e in body["events"]] == [0, 1, 2]
    assert [mv["sampledValues"][0]["value"] for mv in body["meterValues"]] == [1000, 4000, 8500]
    assert len(published.of("SessionStarted")) == 1
    [ended] = published.of("SessionEnded")
    assert (ended["transactionId"], ended["energyWh"], ended["chargePointId"]) == ("T-1", 7500, "CP1")


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_start_resent_after_its_stop_publishes_no_second_start(station, published):
    put_token("TAG1")
    first = call(station, "StartTransaction", start(), "s1")["transactionId"]
    call(station, "StopTransaction", stop(first, meter=2000, idTag="TAG1"), "x1")
    assert call(station, "StartTransaction", start(), "s2")["transactionId"] == first
    assert [e["transactionId"] for e in published.of("SessionStarted")] == [str(first)]


@pytest.mark.parametrize("version", V2, indirect=True)
def test_events_resent_and_out_of_order_merge_into_one_session(station, published):
    for message_id, payload in enumerate([ENDED, UPDATED, ENDED, STARTED, UPDATED, STARTED]):
        call(station, "TransactionEvent", payload, f"m{message_id}")
    _, page = get("/transactions", "chargePointId=CP1")
    assert len(page["items"]) == 1
    _, body = get("/transactions/T-1")
    assert (body["energyWh"], body["active"], body["startedAt"]) == (7500, False, "2026-11-24T10:00:00Z")
    assert [e["seqNo"] for e in body["events"]] == [0, 1, 2]
    assert (body["chargingState"], body["evseId"], body["idToken"]) == ("Idle", 1, "TAG1")
    # The resent Ended publishes SessionEnded again (its reactions count a session once).
    assert [ended["transactionId"] for ended in published.of("SessionEnded")] == ["T-1", "T-1"]
    assert len(published.of("SessionStarted")) == 1


@pytest.mark.parametrize("version", V2, indirect=True)
def test_an_ended_event_alone_makes_the_session_from_its_samples(station):
    ended = event(
        "Ended", 7, "2026-11-24T11:00:00Z", transaction="T-9", info={"stoppedReason": "EVDisconnected"}
    )
    ended["meterValue"] = [
        {
            "timestamp": "2026-11-24T10:00:00Z",
            "sampledValue": [{"value": 2, "unitOfMeasure": {"unit": "kWh"}}],
        },
        {
            "timestamp": "2026-11-24T11:00:00Z",
            "sampledValue": [
                {"value": 95, "unitOfMeasure": {"unit": "Wh", "multiplier": 2}, "context": "Transaction.End"}
            ],
        },
    ]
    call(station, "TransactionEvent", ended)
    _, body = get("/transactions/T-9")
    assert (body["meterStartWh"], body["meterStopWh"], body["energyWh"]) == (2000, 9500, 7500)
    assert (body["active"], body["stopReason"]) == (False, "EVDisconnected")


@pytest.mark.parametrize("version", V2, indirect=True)
def test_transaction_events_answer_the_token_they_carry(station):
    put_token("TAG1", "Blocked")
    assert call(station, "TransactionEvent", STARTED) == {"idTokenInfo": {"status": "Blocked"}}


@pytest.mark.parametrize("version", V2, indirect=True)
def test_2x_meter_values_outside_a_session_cost_one_write(station, aws_calls):
    payload = {
        "evseId": 0,
        "meterValue": [{"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": 1.0}]}],
    }
    aws_calls.reset()
    assert call(station, "MeterValues", payload) == {}
    assert (aws_calls.dynamodb_reads, aws_calls.dynamodb_writes) == (0, 1)


def test_connectors_show_the_session_in_progress(station, version):
    put_token("TAG1")
    if version == "1.6":
        transaction_id = str(call(station, "StartTransaction", start())["transactionId"])
        status = {"connectorId": 1, "errorCode": "NoError", "status": "Charging"}
    else:
        transaction_id = "T-1"
        call(station, "TransactionEvent", STARTED)
        status = {
            "evseId": 1,
            "connectorId": 1,
            "connectorStatus": "Occupied",
            "timestamp": "2026-11-24T10:00:01Z",
        }
    call(station, "StatusNotification", status)
    _, body = get("/charge-points/CP1")
    assert [c["activeTransactionId"] for c in body["connectors"]] == [transaction_id]


@pytest.mark.parametrize("version", V2, indirect=True)
def test_a_session_that_names_only_its_evse_shows_on_the_evses_occupied_connector(station):
    put_token("TAG1")
    call(station, "TransactionEvent", {**STARTED, "evse": {"id": 1}})  # connectorId is optional
    for connector, state in ((1, "Available"), (2, "Occupied")):
        status = {"evseId": 1, "connectorId": connector, "connectorStatus": state}
        call(station, "StatusNotification", {**status, "timestamp": "2026-11-24T10:00:01Z"})
    _, body = get("/charge-points/CP1")
    assert {c["connectorId"]: c["activeTransactionId"] for c in body["connectors"]} == {1: None, 2: "T-1"}


# --- Domain events ------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_events_reach_a_rule_on_the_bus(station):
    """Through moto's EventBridge: a rule on the bus forwards session events to a queue."""
    from shared.settings import get_settings

    sqs = boto3.client("sqs", region_name="eu-west-1")
    queue = sqs.create_queue(QueueName="billing")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bridge = boto3.client("events", region_name="eu-west-1")
    bus = get_settings().event_bus
    bridge.put_rule(Name="sessions", EventBusName=bus, EventPattern=json.dumps({"source": ["csms"]}))
    bridge.put_targets(Rule="sessions", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])

    call(station, "TransactionEvent", STARTED, "e0")
    call(station, "TransactionEvent", ENDED, "e2")
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    bodies = [json.loads(m["Body"]) for m in messages]
    assert [b["detail-type"] for b in bodies] == ["SessionStarted", "SessionEnded"]
    assert bodies[1]["detail"]["energyWh"] == 7500 and bodies[1]["source"] == "csms"


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_16_start_with_an_empty_tag_is_answered_invalid_and_kept(station):
    answer = call(station, "StartTransaction", start(id_tag=""), "s1")
    assert answer["idTagInfo"] == {"status": "Invalid"}
    assert get(f"/transactions/{answer['transactionId']}")[1]["idToken"] == ""


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timestamp", '"0001-01-01T00:00:00+01:00"'),
        ("timestamp", '"9999-12-31T23:59:59-01:00"'),
        ("meterStart", "1e400"),
    ],
)
def test_a_16_start_the_schema_allows_but_no_session_can_hold_is_refused_by_field(station, field, value):
    fields = {"connectorId": "1", "idTag": '"TAG1"', "timestamp": '"2026-11-24T10:00:00Z"', "meterStart": "0"}
    fields[field] = value
    text = '[2, "x1", "StartTransaction", {' + ", ".join(f'"{k}": {v}' for k, v in fields.items()) + "}]"
    answer = station(text)
    assert answer[:3] == [4, "x1", "PropertyConstraintViolation"] and answer[3].startswith(f"{field}:")


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_16_reading_of_nan_is_kept_as_text_and_the_api_stays_json(station):
    put_token("TAG1")
    transaction_id = call(station, "StartTransaction", start(), "s1")["transactionId"]
    meter = {
        "connectorId": 1,
        "transactionId": transaction_id,
        "meterValue": [sampled("2026-11-24T10:10:00Z", "NaN")],
    }
    assert call(station, "MeterValues", meter, "m1") == {}
    from functions.operator_api.handler import lambda_handler as api
    from tests.builders import CONTEXT, http

    body = api(http("GET", f"/transactions/{transaction_id}"), CONTEXT)["body"]
    [reading] = json.loads(body, parse_constant=lambda token: pytest.fail(f"{token} in the API's JSON"))[
        "meterValues"
    ]
    assert reading["sampledValues"][0]["value"] is None and reading["sampledValues"][0]["raw"] == "NaN"


@pytest.mark.parametrize("version", V2, indirect=True)
@pytest.mark.parametrize("order", [("first", "second"), ("second", "first")])
def test_a_second_started_never_moves_the_start_the_earliest_seq_no_set(station, published, order):
    first = STARTED
    second = event(
        "Started",
        1,
        "2026-11-24T10:05:00Z",
        wh=1300,
        context="Transaction.Begin",
        evse={"id": 1, "connectorId": 1},
        idToken={"idToken": "TAG2", "type": "ISO14443"},
    )
    starts = {"first": first, "second": second}
    for name in order:
        call(station, "TransactionEvent", starts[name], name)
    call(station, "TransactionEvent", ENDED, "e2")
    _, body = get("/transactions/T-1")
    assert (body["startedAt"], body["meterStartWh"], body["idToken"]) == (
        "2026-11-24T10:00:00Z",
        1000,
        "TAG1",
    )
    assert (body["energyWh"], body["active"]) == (7500, False)
    assert [e["seqNo"] for e in body["events"]] == [0, 1, 2]
    assert published.of("SessionStarted")[-1]["startedAt"] == "2026-11-24T10:00:00.000Z"


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_started_after_the_end_and_a_later_started_keep_the_earliest_start(station):
    later = event("Started", 1, "2026-11-24T10:05:00Z", wh=1300, context="Transaction.Begin")
    for message_id, payload in enumerate([ENDED, later, STARTED, later]):
        call(station, "TransactionEvent", payload, f"m{message_id}")
    _, body = get("/transactions/T-1")
    assert (body["startedAt"], body["meterStartWh"], body["active"]) == ("2026-11-24T10:00:00Z", 1000, False)


# --- 2.1 battery swaps ----------------------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_battery_swap_is_kept_as_a_swap_not_a_session(station, published):
    battery = {"evseId": 1, "serialNumber": "B-77", "soC": 12.5, "soH": 97}
    swap_in = {
        "eventType": "BatteryIn",
        "requestId": 5,
        "idToken": {"idToken": "TAG1", "type": "ISO14443"},
        "batteryData": [battery],
    }
    assert call(station, "BatterySwap", swap_in) == {}
    assert call(station, "BatterySwap", swap_in) == {}  # a resend
    swap_out = {
        **swap_in,
        "eventType": "BatteryOut",
        "batteryData": [{**battery, "serialNumber": "B-12", "soC": 98}],
    }
    assert call(station, "BatterySwap", swap_out, "m2") == {}

    swaps = call_api("GET", "/charge-points/CP1/battery-swaps")[1]["items"]
    assert sorted((s["requestId"], s["eventType"], s["batteryData"][0]["serialNumber"]) for s in swaps) == [
        (5, "BatteryIn", "B-77"),
        (5, "BatteryOut", "B-12"),
    ]
    assert swaps[0]["idToken"] == "TAG1" and swaps[0]["idTokenType"] == "ISO14443"
    assert call_api("GET", "/transactions")[1]["items"] == [] and published.of("SessionStarted") == []
