"""DER control (2.1) through the router and the API: alarms and starts and stops kept once and
published, reports kept, and DER controls as resources, set, kept with the answer and cleared;
a station before 2.1 is told why not."""

import pytest

from tests.builders import call, call_api

LIMIT = {
    "isDefault": False,
    "controlType": "LimitMaxDischarge",
    "limitMaxDischarge": {"priority": 1, "pctMaxDischargePower": 50},
}


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_alarms_and_starts_and_stops_are_kept_once_and_published(station, published):
    alarm = {
        "controlType": "FreqWatt",
        "gridEventFault": "OverFrequency",
        "timestamp": "2026-12-01T10:00:00Z",
    }
    assert call(station, "NotifyDERAlarm", alarm) == {}
    assert call(station, "NotifyDERAlarm", alarm, "again") == {}  # a resend
    ended = {**alarm, "alarmEnded": True, "timestamp": "2026-12-01T10:05:00Z"}
    assert call(station, "NotifyDERAlarm", ended, "m2") == {}
    kept = call_api("GET", "/charge-points/CP1/der-events", query="kind=alarm")[1]["items"]
    assert [(a["controlType"], a.get("alarmEnded", False)) for a in kept] == [
        ("FreqWatt", True),
        ("FreqWatt", False),
    ]
    alarms = published.of("DERAlarm")
    assert len(alarms) == 2 and alarms[0]["gridEventFault"] == "OverFrequency"
    assert alarms[0]["chargePointId"] == "CP1" and alarms[0]["kind"] == "der-alarm"

    started = {
        "controlId": "LMD-1",
        "started": True,
        "timestamp": "2026-12-01T11:00:00Z",
        "supersededIds": ["OLD"],
    }
    call(station, "NotifyDERStartStop", started, "m3")
    call(station, "NotifyDERStartStop", started, "m3")
    [kept_start] = call_api("GET", "/charge-points/CP1/der-events", query="kind=start-stop")[1]["items"]
    assert (kept_start["controlId"], kept_start["supersededIds"]) == ("LMD-1", ["OLD"])
    [event] = published.of("DERStartStop")
    assert (event["controlId"], event["started"]) == ("LMD-1", True)


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_report_of_the_controls_held_is_kept_part_by_part_once(station, published):
    held = {"id": "LMD-1", "isDefault": False, "isSuperseded": False, "limitMaxDischarge": {"priority": 1}}
    part = {"requestId": 9, "tbc": True, "limitMaxDischarge": [held]}
    last = {
        "requestId": 9,
        "fixedVar": [
            {
                "id": "FV",
                "isDefault": True,
                "isSuperseded": False,
                "fixedVar": {"priority": 2, "setpoint": 10, "unit": "PctMaxVar"},
            }
        ],
    }
    for message_id, payload in (("r1", part), ("r1", part), ("r2", last)):
        assert call(station, "ReportDERControl", payload, message_id) == {}
    kept = call_api("GET", "/charge-points/CP1/der-events", query="kind=report")[1]["items"]
    assert sorted(("limitMaxDischarge" in r, r["requestId"]) for r in kept) == [(False, 9), (True, 9)]
    assert published.of("DERAlarm") == [] and published.of("DeviceEvent") == []


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_der_control_is_set_kept_with_the_answer_and_cleared(station, posted):
    assert call_api("GET", "/charge-points/CP1/der-controls/LMD-1")[0] == 404
    status, command = call_api("PUT", "/charge-points/CP1/der-controls/LMD-1", LIMIT)
    assert status == 202 and command["action"] == "SetDERControl"
    assert command["payload"] == {**LIMIT, "controlId": "LMD-1"}
    assert call_api("GET", "/charge-points/CP1/der-controls/LMD-1")[0] == 404  # not until answered
    station([3, command["commandId"], {"status": "Accepted", "supersededIds": ["LMD-0"]}])
    status, kept = call_api("GET", "/charge-points/CP1/der-controls/LMD-1")
    assert status == 200
    assert (kept["controlType"], kept["isDefault"], kept["status"], kept["supersededIds"]) == (
        "LimitMaxDischarge",
        False,
        "Accepted",
        ["LMD-0"],
    )
    assert kept["control"] == LIMIT

    status, refused = call_api(
        "PUT",
        "/charge-points/CP1/der-controls/VV",
        {
            "isDefault": True,
            "controlType": "VoltVar",
            "curve": {"priority": 1, "yUnit": "PctMaxVar", "curveData": [{"x": 1, "y": 2}]},
        },
    )
    station([3, refused["commandId"], {"status": "NotSupported", "statusInfo": {"reasonCode": "NoVoltVar"}}])
    kept = call_api("GET", "/charge-points/CP1/der-controls/VV")[1]
    assert (kept["status"], kept["statusInfo"]) == ("NotSupported", "NoVoltVar")

    status, cleared = call_api("DELETE", "/charge-points/CP1/der-controls/LMD-1")
    assert status == 202 and cleared["payload"] == {"isDefault": False, "controlId": "LMD-1"}
    station([3, cleared["commandId"], {"status": "Accepted"}])
    assert call_api("GET", "/charge-points/CP1/der-controls/LMD-1")[0] == 404
    assert call_api("DELETE", "/charge-points/CP1/der-controls/LMD-1")[0] == 404


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"isDefault": False, "controlType": "LimitMaxDischarge"}, "given by limitMaxDischarge"),
        ({**LIMIT, "curve": {"priority": 1}}, "not curve"),
        ({**LIMIT, "controlId": "X"}, "controlId"),
        ({**LIMIT, "controlType": "Lightning"}, "controlType"),
    ],
)
def test_a_control_not_of_its_type_s_form_gets_a_4xx_with_why(station, body, reason):
    status, error = call_api("PUT", "/charge-points/CP1/der-controls/LMD-1", body)
    assert status in (400, 422) and reason in error["error"]["message"]


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_control_its_schema_refuses_gets_422_with_why(station):
    wrong = {**LIMIT, "limitMaxDischarge": {"pctMaxDischargePower": 50}}  # no priority
    status, error = call_api("PUT", "/charge-points/CP1/der-controls/LMD-1", wrong)
    assert status == 422 and "priority" in error["error"]["message"]


@pytest.mark.parametrize("version", ["1.6", "2.0.1"], indirect=True)
def test_stations_before_2_1_have_no_der_controls(station, posted):
    status, error = call_api("PUT", "/charge-points/CP1/der-controls/LMD-1", LIMIT)
    assert status == 422 and "came with OCPP 2.1" in error["error"]["message"]
    assert [f for f in posted.to("c1") if f[0] == 2 and f[2] == "SetDERControl"] == []
    answer = station(
        [2, "d1", "NotifyDERAlarm", {"controlType": "FreqWatt", "timestamp": "2026-12-01T10:00:00Z"}]
    )
    assert answer[0] == 4
