"""Operator commands through the API handler and the router, against moto: validation,
correlation, one outstanding call with a queue, answers, errors, timeouts, disconnects, gone
connections, and what answers leave on the charge point."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from botocore.stub import Stubber

from functions.disconnect.handler import lambda_handler as disconnect
from local.fleet.samples import minimal, schema_of
from local.runtime import events
from shared.aws.connections import connections_at, endpoint_for
from shared.data import charge_points
from shared.domain.timestamps import utc_now
from shared.protocol.versions import PROFILES, OcppVersion
from shared.services import commands
from tests.builders import CONTEXT, call_api, event, socket, wire_time


def post(path, body, query=""):
    return call_api("POST", path, body, query=query)


def get(path, query=""):
    return call_api("GET", path, query=query)


def command(action, payload, **extra):
    return post("/charge-points/CP1/commands", {"action": action, "payload": payload, **extra})


def calls_to_station(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2]


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"], indirect=True)
def test_every_csms_action_goes_out_intact_and_its_answer_completes_it(station, posted, version):
    profile = PROFILES[OcppVersion(version)]
    for action in sorted(profile.from_csms):
        payload = minimal(schema_of(version, action))
        status, body = command(action, payload)
        assert status == 202, (action, body)
        sent = calls_to_station(posted)[-1]
        assert sent == [2, body["commandId"], action, payload]
        response = minimal(schema_of(version, action, response=True))
        follow_up = station([3, body["commandId"], response])  # an answer is never answered...
        while follow_up is not None:  # ...but a changed certificate store is asked for again
            assert action in ("InstallCertificate", "DeleteCertificate"), (action, follow_up)
            assert follow_up[2] == "GetInstalledCertificateIds"
            follow_up = station([3, follow_up[1], minimal(schema_of(version, follow_up[2], response=True))])
        status, done = get(f"/commands/{body['commandId']}")
        assert (done["status"], done["response"], done["error"]) == ("completed", response, None), action


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_refusals(station):
    assert command("Reset", {"type": "Sideways"})[0] == 422
    status, body = command(
        "RequestStartTransaction", {"idToken": {"idToken": "A", "type": "Central"}, "remoteStartId": 1}
    )
    assert status == 422 and "not an action a CSMS sends in OCPP 1.6" in body["error"]["message"]
    assert command("BootNotification", {})[0] == 422  # a charge point's action
    assert post("/charge-points/NOPE/commands", {"action": "Reset", "payload": {"type": "Soft"}})[0] == 404
    assert post("/charge-points/CP1/commands", {"payload": {}})[0] == 400
    disconnect(events.disconnect(socket("c1", "CP1", "1.6"), 1000, "bye"), CONTEXT)
    status, body = command("Reset", {"type": "Soft"})
    assert status == 409 and body["error"]["code"] == "NotConnected"


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_one_outstanding_call_and_the_rest_queue_in_order(station, posted):
    first = command("Reset", {"type": "OnIdle"})[1]
    second = command("TriggerMessage", {"requestedMessage": "Heartbeat"})[1]
    third = command("ClearCache", {})[1]
    assert [frame[1] for frame in calls_to_station(posted)] == [first["commandId"]]
    assert get(f"/commands/{second['commandId']}")[1]["sentAt"] is None
    station([3, first["commandId"], {"status": "Accepted"}])
    assert [frame[1] for frame in calls_to_station(posted)] == [first["commandId"], second["commandId"]]
    station([4, second["commandId"], "NotSupported", "No triggers here", {"why": "firmware"}])
    _, failed = get(f"/commands/{second['commandId']}")
    assert failed["status"] == "failed"
    assert failed["error"] == {
        "code": "NotSupported",
        "description": "No triggers here",
        "details": {"why": "firmware"},
    }
    assert calls_to_station(posted)[-1][1] == third["commandId"]
    _, history = get("/charge-points/CP1/commands", "limit=2")
    assert [item["commandId"] for item in history["items"]] == [third["commandId"], second["commandId"]]
    _, rest = get("/charge-points/CP1/commands", f"limit=2&nextToken={history['nextToken']}")
    assert [item["commandId"] for item in rest["items"]] == [first["commandId"]]


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_the_queue_costs_the_same_however_long_the_history(station, aws_calls):
    def answer_one_and_count():
        sent = command("ClearCache", {})[1]
        aws_calls.reset()
        station([3, sent["commandId"], {"status": "Accepted"}])
        return aws_calls.dynamodb_reads, aws_calls.dynamodb_writes

    first = answer_one_and_count()
    for _ in range(30):
        answer_one_and_count()
    assert answer_one_and_count() == first


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_an_answer_that_breaks_the_response_schema_fails_the_command(station):
    sent = command("Reset", {"type": "OnIdle"})[1]
    station([3, sent["commandId"], {"status": "Perhaps"}])
    _, body = get(f"/commands/{sent['commandId']}")
    assert body["status"] == "failed" and body["error"]["code"] == "InvalidResponse"
    assert "status" in body["error"]["description"]


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_silence_times_out_and_frees_the_turn(station, posted):
    first = command("Reset", {"type": "Soft"}, timeoutSeconds=5)[1]
    second = command("ClearCache", {})[1]
    assert commands.expire(utc_now()) == 0  # not yet
    assert commands.expire(utc_now() + timedelta(seconds=6)) == 1
    _, body = get(f"/commands/{first['commandId']}")
    assert body["status"] == "timeout" and body["error"]["code"] == "Timeout"
    assert calls_to_station(posted)[-1][1] == second["commandId"]
    station([3, first["commandId"], {"status": "Accepted"}])  # too late: changes nothing
    assert get(f"/commands/{first['commandId']}")[1]["status"] == "timeout"


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_disconnect_fails_what_is_pending(station):
    first = command("Reset", {"type": "Soft"})[1]
    second = command("ClearCache", {})[1]
    disconnect(events.disconnect(socket("c1", "CP1", "1.6"), 1006, "lost"), CONTEXT)
    for sent in (first, second):
        _, body = get(f"/commands/{sent['commandId']}")
        assert body["status"] == "failed" and body["error"]["code"] == "Disconnected"
    assert charge_points.find_charge_point("CP1").outstanding_command is None


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_gone_connection_fails_the_command_and_marks_the_charge_point_offline(station):
    client = connections_at(endpoint_for())._client
    with Stubber(client) as stub:
        stub.add_client_error("post_to_connection", "GoneException", http_status_code=410)
        status, body = command("Reset", {"type": "Soft"})
    assert status == 202
    _, body = get(f"/commands/{body['commandId']}")
    assert body["status"] == "failed" and body["error"]["code"] == "ConnectionGone"
    assert charge_points.find_charge_point("CP1").connection_id is None


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_wait_returns_the_answer_or_504(station):
    status, body = post(
        "/charge-points/CP1/commands", {"action": "ClearCache", "payload": {}}, query="wait=1"
    )
    assert status == 504 and body["status"] == "pending"
    assert (
        post("/charge-points/CP1/commands", {"action": "ClearCache", "payload": {}}, query="wait=26")[0]
        == 400
    )


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_16_answers_leave_configuration_and_results(station):
    sent = post("/charge-points/CP1/configuration/read", {})[1]
    assert sent["action"] == "GetConfiguration"
    station(
        [
            3,
            sent["commandId"],
            {
                "configurationKey": [
                    {"key": "HeartbeatInterval", "readonly": False, "value": "300"},
                    {"key": "NumberOfConnectors", "readonly": True, "value": "2"},
                ]
            },
        ]
    )
    sent = post("/charge-points/CP1/configuration/change", {"key": "HeartbeatInterval", "value": "120"})[1]
    assert sent["payload"] == {"key": "HeartbeatInterval", "value": "120"}
    station([3, sent["commandId"], {"status": "Accepted"}])
    _, config = get("/charge-points/CP1/configuration")
    assert {i["key"]: (i["value"], i["readonly"]) for i in config["items"]} == {
        "HeartbeatInterval": ("120", False),
        "NumberOfConnectors": ("2", True),
    }
    for path, body, action, answer in [
        ("reset", {"hard": True}, "Reset", {"status": "Accepted"}),
        (
            "availability",
            {"operative": False, "connectorId": 2},
            "ChangeAvailability",
            {"status": "Scheduled"},
        ),
        ("unlock", {"connectorId": 1}, "UnlockConnector", {"status": "Unlocked"}),
    ]:
        sent = post(f"/charge-points/CP1/{path}", body)[1]
        assert sent["action"] == action
        station([3, sent["commandId"], answer])
    sent = command("SendLocalList", {"listVersion": 7, "updateType": "Full"})[1]
    station([3, sent["commandId"], {"status": "Accepted"}])
    _, cp = get("/charge-points/CP1")
    assert cp["resetResult"]["status"] == "Accepted" and cp["resetResult"]["type"] == "Hard"
    assert (cp["availabilityResult"]["status"], cp["availabilityResult"]["requested"]) == (
        "Scheduled",
        "Inoperative",
    )
    assert cp["availabilityResult"]["connectorId"] == 2
    assert cp["unlockResult"]["status"] == "Unlocked"
    assert cp["localListVersion"] == 7


@pytest.mark.parametrize("version", ["2.0.1", "2.1"], indirect=True)
def test_2x_friendly_endpoints_and_reports(station, version):
    sent = post("/charge-points/CP1/remote-start", {"idToken": "TAG1", "evseId": 1})[1]
    assert sent["action"] == "RequestStartTransaction"
    assert (
        sent["payload"]["idToken"] == {"idToken": "TAG1", "type": "Central"}
        and sent["payload"]["evseId"] == 1
    )
    station([3, sent["commandId"], {"status": "Accepted"}])
    sent = post("/charge-points/CP1/remote-stop", {"transactionId": "T-1"})[1]
    assert (sent["action"], sent["payload"]) == ("RequestStopTransaction", {"transactionId": "T-1"})
    station([3, sent["commandId"], {"status": "Accepted"}])
    sent = post("/charge-points/CP1/configuration/read", {})[1]
    assert sent["action"] == "GetBaseReport"
    station([3, sent["commandId"], {"status": "Accepted"}])
    report = {
        "requestId": sent["payload"]["requestId"],
        "generatedAt": "2026-11-24T10:00:00Z",
        "seqNo": 0,
        "reportData": [
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": "HeartbeatInterval"},
                "variableAttribute": [{"value": "300", "mutability": "ReadWrite"}],
            },
            {
                "component": {"name": "EVSE", "evse": {"id": 1}},
                "variable": {"name": "Power"},
                "variableAttribute": [{"type": "MaxSet", "value": "22000", "mutability": "ReadOnly"}],
            },
        ],
    }
    assert station([2, "r1", "NotifyReport", report]) == [3, "r1", {}]
    sent = post(
        "/charge-points/CP1/configuration/change", {"key": "OCPPCommCtrlr/HeartbeatInterval", "value": "60"}
    )[1]
    assert sent["action"] == "SetVariables"
    station(
        [
            3,
            sent["commandId"],
            {
                "setVariableResult": [
                    {
                        "attributeStatus": "Accepted",
                        "component": {"name": "OCPPCommCtrlr"},
                        "variable": {"name": "HeartbeatInterval"},
                    }
                ]
            },
        ]
    )
    _, config = get("/charge-points/CP1/configuration")
    assert {i["key"]: (i["value"], i["readonly"]) for i in config["items"]} == {
        "OCPPCommCtrlr/HeartbeatInterval": ("60", False),
        "EVSE@1/Power/MaxSet": ("22000", True),
    }
    sent = post(
        "/charge-points/CP1/trigger", {"message": "StatusNotification", "evseId": 1, "connectorId": 1}
    )[1]
    assert sent["payload"] == {"requestedMessage": "StatusNotification", "evse": {"id": 1, "connectorId": 1}}
    assert post("/charge-points/CP1/trigger", {"message": "Nonsense"})[0] == 422


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_16_a_remote_start_is_linked_to_the_session_it_began(station):
    earlier = station(
        [
            2,
            "s0",
            "StartTransaction",
            {"connectorId": 1, "idTag": "TAG1", "meterStart": 0, "timestamp": wire_time(-600)},
        ]
    )[2]["transactionId"]
    sent = post("/charge-points/CP1/remote-start", {"idToken": "TAG1", "connectorId": 1})[1]
    assert get(f"/commands/{sent['commandId']}")[1]["transactionId"] is None  # not answered yet
    station([3, sent["commandId"], {"status": "Accepted"}])
    assert get(f"/commands/{sent['commandId']}")[1]["transactionId"] is None  # no session yet
    begun = station(
        [
            2,
            "s1",
            "StartTransaction",
            {"connectorId": 1, "idTag": "TAG1", "meterStart": 0, "timestamp": wire_time(45)},
        ]
    )[2]["transactionId"]
    assert get(f"/commands/{sent['commandId']}")[1]["transactionId"] == str(begun)
    assert get(f"/transactions/{begun}")[1]["remoteStartCommandId"] == sent["commandId"]
    assert get(f"/transactions/{earlier}")[1]["remoteStartCommandId"] is None
    rejected = post("/charge-points/CP1/remote-start", {"idToken": "TAG1", "connectorId": 1})[1]
    station([3, rejected["commandId"], {"status": "Rejected"}])
    assert get(f"/commands/{rejected['commandId']}")[1]["transactionId"] is None
    [history] = [
        c for c in get("/charge-points/CP1/commands")[1]["items"] if c["commandId"] == sent["commandId"]
    ]
    assert history["transactionId"] == str(begun)


@pytest.mark.parametrize("version", ["2.0.1", "2.1"], indirect=True)
def test_2x_a_remote_start_is_linked_by_its_remote_start_id(station):
    sent = post("/charge-points/CP1/remote-start", {"idToken": "TAG1", "evseId": 1})[1]
    station([3, sent["commandId"], {"status": "Accepted"}])
    started = {
        "eventType": "Started",
        "timestamp": wire_time(5),
        "triggerReason": "RemoteStart",
        "seqNo": 0,
        "transactionInfo": {"transactionId": "RS-1", "remoteStartId": sent["payload"]["remoteStartId"]},
        "idToken": {"idToken": "TAG1", "type": "Central"},
        "evse": {"id": 1, "connectorId": 1},
    }
    station([2, "e0", "TransactionEvent", started])
    assert get(f"/commands/{sent['commandId']}")[1]["transactionId"] == "RS-1"
    assert get("/transactions/RS-1")[1]["remoteStartCommandId"] == sent["commandId"]
    # Cable first, then the app: the answer names the session already under way.
    station(
        [
            2,
            "e1",
            "TransactionEvent",
            {**started, "triggerReason": "CablePluggedIn", "transactionInfo": {"transactionId": "CABLE-1"}},
        ]
    )
    sent = post("/charge-points/CP1/remote-start", {"idToken": "TAG2", "evseId": 2})[1]
    station([3, sent["commandId"], {"status": "Accepted", "transactionId": "CABLE-1"}])
    assert get(f"/commands/{sent['commandId']}")[1]["transactionId"] == "CABLE-1"
    assert get("/transactions/CABLE-1")[1]["remoteStartCommandId"] == sent["commandId"]


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"], indirect=True)
def test_every_request_example_in_the_openapi_is_accepted(station, version):
    _, spec = get("/openapi.json")
    tried = 0
    for path, operations in spec["paths"].items():
        if "Commands" not in operations.get("post", {}).get("tags", []):
            continue  # examples naming images, rollouts: test_firmware_management.py, test_diagnostics.py
        body = operations.get("post", {}).get("requestBody", {})
        for example in body.get("content", {}).get("application/json", {}).get("examples", {}).values():
            label = example["summary"].split(":")[0]
            if label in ("1.6", "2.x") and label != ("1.6" if version == "1.6" else "2.x"):
                continue
            status, answer = post(path.replace("{charge_point_id}", "CP1"), example["value"])
            assert status == 202, (path, example, answer)
            tried += 1
            for command in answer if isinstance(answer, list) else [answer]:  # done with: the next may go
                station([4, command["commandId"], "GenericError", "an example, not carried out", {}])
    assert tried >= 12  # the friendly endpoints and the generic one all show examples


@pytest.mark.parametrize("version", ["1.6", "2.0.1"], indirect=True)
def test_a_history_page_costs_the_same_however_many_remote_starts_it_links(station, aws_calls, version):
    def remote_starts(count):
        for n in range(count):
            sent = post(
                "/charge-points/CP1/remote-start", {"idToken": f"TAG{n}", "connectorId": 1, "evseId": 1}
            )
            station([3, sent[1]["commandId"], {"status": "Accepted"}])

    def page_reads():
        aws_calls.reset()
        status, body = get("/charge-points/CP1/commands", "limit=50")
        assert status == 200
        return aws_calls.dynamodb_reads, len(body["items"])

    remote_starts(1)
    one = page_reads()
    remote_starts(9)
    ten = page_reads()
    assert (one[1], ten[1]) == (1, 10)
    assert ten[0] == one[0]  # a query for the page and one for the sessions around it, not one per row


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_command_another_caller_is_sending_is_not_sent_again(station, posted, monkeypatch):
    from shared.data import commands as stored_commands

    first = command("Reset", {"type": "Soft"})[1]
    queued = command("ClearCache", {})[1]
    assert [frame[1] for frame in calls_to_station(posted)] == [first["commandId"]]
    # Callers racing on a stale view of the queue: each sees a command that is no longer
    # waiting (the first, sent and holding the turn), and one still waiting behind it.
    stale = [
        stored_commands.find_command(first["commandId"]),
        stored_commands.find_command(queued["commandId"]),
    ]
    monkeypatch.setattr(stored_commands, "oldest_queued", lambda charge_point_id, count: stale)
    for _ in range(3):
        commands.send_next("CP1", "c1", utc_now())
    assert [frame[1] for frame in calls_to_station(posted)] == [first["commandId"]]  # nothing twice
    station([3, first["commandId"], {"status": "Accepted"}])
    assert [frame[1] for frame in calls_to_station(posted)] == [first["commandId"], queued["commandId"]]


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_turn_left_held_by_a_settled_command_is_released(station, posted):
    from shared.data.charge_points import ChargePointRecord

    first = command("Reset", {"type": "Soft"})[1]
    station([3, first["commandId"], {"status": "Accepted"}])
    # Settling was cut short before the turn went back.
    ChargePointRecord("CP1").update(actions=[ChargePointRecord.outstanding_command.set(first["commandId"])])
    second = command("ClearCache", {})[1]
    assert calls_to_station(posted)[-1][1] == second["commandId"]


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_command_larger_than_a_frame_is_refused_before_it_is_stored(station, posted):
    status, body = command("DataTransfer", {"vendorId": "com.example", "data": "x" * 200_000})
    assert status == 413 and body["error"]["code"] == "PayloadTooLarge"
    assert get("/charge-points/CP1/commands")[1]["items"] == []
    after = command("ClearCache", {})[1]  # the queue is not blocked
    assert calls_to_station(posted)[-1][1] == after["commandId"]


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_post_the_gateway_refuses_fails_that_command_and_the_next_goes(station, posted):
    client = connections_at(endpoint_for())._client
    with Stubber(client) as stub:
        stub.add_client_error("post_to_connection", "PayloadTooLargeException", http_status_code=413)
        stub.add_response("post_to_connection", {})
        refused = command("Reset", {"type": "Soft"})[1]
        following = command("ClearCache", {})[1]  # the refused one gave the turn back
    assert get(f"/commands/{refused['commandId']}")[1]["error"]["code"] == "SendFailed"
    assert get(f"/commands/{following['commandId']}")[1]["sentAt"] is not None


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_the_sweep_times_out_the_others_when_one_fails(station, monkeypatch):
    from shared.data import commands as stored_commands

    first = command("Reset", {"type": "Soft"}, timeoutSeconds=5)[1]
    settle = stored_commands.settle

    def settle_breaking_on_first(command_id, *args, **kwargs):
        if command_id == first["commandId"]:
            raise RuntimeError("a fault with this one command")
        return settle(command_id, *args, **kwargs)

    charge_points.register_charge_point("CP2", utc_now())
    from functions.connect.handler import lambda_handler as connect

    connect(events.connect(socket("c2", "CP2", "1.6"), [], []), CONTEXT)
    other = post(
        "/charge-points/CP2/commands", {"action": "Reset", "payload": {"type": "Soft"}, "timeoutSeconds": 5}
    )[1]
    monkeypatch.setattr(stored_commands, "settle", settle_breaking_on_first)
    assert commands.expire(utc_now() + timedelta(seconds=6)) == 1
    assert get(f"/commands/{other['commandId']}")[1]["status"] == "timeout"


@pytest.mark.parametrize("version", ["2.0.1", "2.1"], indirect=True)
def test_a_remote_started_session_without_a_token_takes_the_requests(station, aws_calls):
    sent = post(
        "/charge-points/CP1/remote-start", {"idToken": "APP-USER-7", "idTokenType": "Central", "evseId": 1}
    )[1]
    # The station starts before it answers, and its Started event names no token.
    remote_start_id = sent["payload"]["remoteStartId"]
    started = event(
        "Started",
        0,
        wire_time(2),
        transaction="RS-9",
        triggerReason="RemoteStart",
        info={"remoteStartId": remote_start_id},
        evse={"id": 1, "connectorId": 1},
    )
    aws_calls.reset()
    assert station([2, "e0", "TransactionEvent", started]) == [3, "e0", {}]
    assert aws_calls.dynamodb_reads <= 2  # the Started budget holds
    _, session = get("/transactions/RS-9")
    assert (session["idToken"], session["idTokenType"]) == ("APP-USER-7", "Central")


def report_part(request_id, seq_no, tbc, variable="HeartbeatInterval", value="300", **extra):
    return {
        "requestId": request_id,
        "generatedAt": "2026-11-24T10:00:00Z",
        "seqNo": seq_no,
        "tbc": tbc,
        "reportData": [
            {
                "component": {"name": "OCPPCommCtrlr"},
                "variable": {"name": variable},
                "variableAttribute": [{"value": value}],
                **extra,
            }
        ],
    }


@pytest.mark.parametrize("version", ["2.0.1", "2.1"], indirect=True)
def test_a_report_with_a_part_lost_says_so_on_the_charge_point(station):
    for seq_no, tbc in ((0, True), (2, True), (3, False)):  # part 1 never comes
        assert station([2, f"r{seq_no}", "NotifyReport", report_part(7, seq_no, tbc, f"V{seq_no}")])[:2] == [
            3,
            f"r{seq_no}",
        ]
    _, body = get("/charge-points/CP1/configuration")
    assert body["report"] == {
        "requestId": 7,
        "partsReceived": [0, 2, 3],
        "lastPart": 3,
        "complete": False,
        "missing": [1],
    }
    assert get("/charge-points/CP1")[1]["configurationReport"]["missing"] == [1]
    station([2, "r1", "NotifyReport", report_part(7, 1, True, "V1")])  # it comes after all
    assert get("/charge-points/CP1/configuration")[1]["report"]["complete"] is True
    station([2, "n0", "NotifyReport", report_part(8, 0, True)])  # a new report starts anew
    assert get("/charge-points/CP1/configuration")[1]["report"] == {
        "requestId": 8,
        "partsReceived": [0],
        "lastPart": None,
        "complete": False,
        "missing": [],
    }


@pytest.mark.parametrize("version", ["2.0.1", "2.1"], indirect=True)
def test_a_part_number_no_report_can_have_is_refused_and_nothing_of_it_kept(station):
    """A station's seqNo once made the CSMS list every number up to it as missing (memory, and a
    body of hundreds of megabytes): it is refused, and the report stays as it was."""
    assert station([2, "r0", "NotifyReport", report_part(7, 0, True)])[:2] == [3, "r0"]
    for seq_no in (2147483647, 10_000, -1):
        answer = station([2, "big", "NotifyReport", report_part(7, seq_no, False)])
        assert answer[:3] == [4, "big", "PropertyConstraintViolation"] and "seqNo" in answer[3]
    report = get("/charge-points/CP1/configuration")[1]["report"]
    assert (report["partsReceived"], report["missing"], report["lastPart"]) == ([0], [], None)


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_report_naming_a_variable_twice_keeps_one_value(station):
    part = report_part(9, 0, False)
    attributes = [{"value": "300"}, {"type": "Actual", "value": "301"}, {"type": "Target", "value": "60"}]
    part["reportData"][0]["variableAttribute"] = attributes
    part["reportData"].append(dict(part["reportData"][0]))
    assert station([2, "d0", "NotifyReport", part]) == [3, "d0", {}]
    items = {item["key"]: item["value"] for item in get("/charge-points/CP1/configuration")[1]["items"]}
    assert items == {"OCPPCommCtrlr/HeartbeatInterval": "301", "OCPPCommCtrlr/HeartbeatInterval/Target": "60"}


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_the_settings_a_station_reports_are_read_a_page_at_a_time(station):
    """A station chooses how many settings it reports; one GET once read them all into one body."""
    for seq_no in range(5):
        part = report_part(11, seq_no, seq_no < 4)
        part["reportData"] = [
            {
                "component": {"name": f"Part{seq_no}"},
                "variable": {"name": f"V{n:03d}"},
                "variableAttribute": [{"value": str(n)}],
            }
            for n in range(500)
        ]
        assert station([2, f"p{seq_no}", "NotifyReport", part])[:2] == [3, f"p{seq_no}"]
    first = get("/charge-points/CP1/configuration")[1]
    assert len(first["items"]) == 1000 and first["nextToken"] and first["report"]["complete"] is True
    keys, token = [item["key"] for item in first["items"]], first["nextToken"]
    while token:
        page = get("/charge-points/CP1/configuration", f"limit=700&nextToken={quote(token)}")[1]
        keys += [item["key"] for item in page["items"]]
        token = page.get("nextToken")
    assert len(keys) == len(set(keys)) == 2500 and keys == sorted(keys)
    assert get("/charge-points/CP1/configuration", "nextToken=made-up")[0] == 400
    assert get("/charge-points/CP1/configuration", "limit=1001")[0] == 400


@pytest.mark.parametrize(
    ("version", "sent", "read"),
    [
        ("1.6", {"listVersion": 4, "updateType": "Full"}, {"listVersion": 5}),
        ("2.0.1", {"versionNumber": 4, "updateType": "Full"}, {"versionNumber": 5}),
        ("2.1", {"versionNumber": 4, "updateType": "Full"}, {"versionNumber": 5}),
    ],
    indirect=["version"],
)
def test_the_local_list_version_is_kept_in_each_version(station, version, sent, read):
    command_sent = command("SendLocalList", sent)[1]
    station([3, command_sent["commandId"], {"status": "Accepted"}])
    assert get("/charge-points/CP1")[1]["localListVersion"] == 4
    asked = command("GetLocalListVersion", {})[1]
    station([3, asked["commandId"], read])
    assert get("/charge-points/CP1")[1]["localListVersion"] == 5


@pytest.mark.parametrize(
    ("version", "action", "required"), [("1.6", "Reset", ["type"]), ("2.1", "Reset", ["type"])]
)
def test_the_generic_form_reads_each_versions_actions_and_their_schemas(aws, version, action, required):
    actions = call_api("GET", f"/ocpp-versions/{version}/actions")[1]["actions"]
    assert action in actions and "BootNotification" not in actions
    assert ("SetVariables" in actions) is (version != "1.6")
    assert call_api("GET", f"/ocpp-versions/{version}/actions/{action}")[1]["required"] == required
    assert call_api("GET", f"/ocpp-versions/{version}/actions/Heartbeat")[0] == 404
    assert call_api("GET", "/ocpp-versions/3.0/actions")[0] == 400
