"""Charging profiles through the API and the router, for every version: installed and kept
with the answer, refused when the version or the stack level says no, cleared, reported back
by 2.x stations; the composite schedule normalised; limits set at the station kept."""

import pytest

from shared.data import commands as stored_commands
from shared.services import commands
from tests.builders import V2, call, call_api


def last_call(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2][-1]


def profile(version, profile_id, stack=1, purpose="TxDefaultProfile", kind="Absolute", limit=16):
    period = [{"startPeriod": 0, "limit": limit}]
    if version == "1.6":
        return {
            "chargingProfileId": profile_id,
            "stackLevel": stack,
            "chargingProfilePurpose": purpose,
            "chargingProfileKind": kind,
            "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": period},
        }
    return {
        "id": profile_id,
        "stackLevel": stack,
        "chargingProfilePurpose": purpose,
        "chargingProfileKind": kind,
        "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": period}],
    }


def where(version, place):
    return {"connectorId": place} if version == "1.6" else {"evseId": place}


def test_profiles_are_installed_kept_refused_on_a_clash_and_cleared(station, posted, version):
    body = {**where(version, 1), "profile": profile(version, 7)}
    status, command = call_api("PUT", "/charge-points/CP1/charging-profiles/7", body)
    assert status == 202 and command["action"] == "SetChargingProfile"
    sent = command["payload"]
    schedule = (
        sent["csChargingProfiles"]["chargingSchedule"]
        if version == "1.6"
        else sent["chargingProfile"]["chargingSchedule"][0]
    )
    assert "startSchedule" in schedule  # an absolute profile always carries its start
    assert call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"] == []  # not until answered
    station([3, command["commandId"], {"status": "Accepted"}])
    [kept] = call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]
    assert (kept["profileId"], kept["evseId"], kept["purpose"], kept["stackLevel"], kept["status"]) == (
        7,
        1,
        "TxDefaultProfile",
        1,
        "Accepted",
    )

    clash = {**where(version, 1), "profile": profile(version, 8)}
    status, error = call_api("PUT", "/charge-points/CP1/charging-profiles/8", clash)
    assert status == 422 and "is profile 7's" in error["error"]["message"]
    elsewhere = {**where(version, 2), "profile": profile(version, 8)}
    status, second = call_api("PUT", "/charge-points/CP1/charging-profiles/8", elsewhere)
    assert status == 202
    station([3, second["commandId"], {"status": "Rejected"}])
    items = call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]
    assert [(p["profileId"], p["status"]) for p in items] == [(7, "Accepted"), (8, "Rejected")]

    status, cleared = call_api("DELETE", "/charge-points/CP1/charging-profiles/7")
    assert status == 202 and cleared["action"] == "ClearChargingProfile"
    assert cleared["payload"] == ({"id": 7} if version == "1.6" else {"chargingProfileId": 7})
    station([3, cleared["commandId"], {"status": "Accepted"}])
    assert [p["profileId"] for p in call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]] == [
        8
    ]


def test_a_profile_its_version_lacks_or_misnamed_is_refused(station, version):
    wrong = "ChargingStationMaxProfile" if version == "1.6" else "ChargePointMaxProfile"
    body = {**where(version, 0), "profile": profile(version, 3, purpose=wrong)}
    status, error = call_api("PUT", "/charge-points/CP1/charging-profiles/3", body)
    assert status == 422 and "SetChargingProfile payload is not valid" in error["error"]["message"]
    status, error = call_api(
        "PUT", "/charge-points/CP1/charging-profiles/4", {**where(version, 0), "profile": profile(version, 3)}
    )
    assert status == 400 and "the path names 4" in error["error"]["message"]
    status, error = call_api(
        "PUT", "/charge-points/CP1/charging-profiles/3", {**where(version, 0), "profile": {"limit": 1}}
    )
    assert status == 422 and "Not a charging profile" in error["error"]["message"]


def test_a_profile_against_the_rules_of_ocpp_is_refused_with_why_and_never_sent(station, posted, version):
    """Only the schema was checked: these were accepted and sent, for a station to refuse or misread."""

    def with_periods(periods, **extra):
        body = profile(version, 5)
        schedule = body["chargingSchedule"] if version == "1.6" else body["chargingSchedule"][0]
        schedule["chargingSchedulePeriod"] = periods
        return {**where(version, 0), "profile": {**body, **extra}}

    cases = [
        (with_periods([{"startPeriod": 0, "limit": -6}]), "negative limit"),
        (with_periods([{"startPeriod": 60, "limit": 6}]), "not 0"),
        (with_periods([{"startPeriod": 0, "limit": 6}, {"startPeriod": 0, "limit": 8}]), "in order"),
        (
            with_periods(
                [
                    {"startPeriod": 0, "limit": 6},
                    {"startPeriod": 900, "limit": 8},
                    {"startPeriod": 600, "limit": 7},
                ]
            ),
            "in order",
        ),
        (with_periods([{"startPeriod": 0, "limit": 6, "numberPhases": 7}]), "7 phases"),
        (
            with_periods(
                [],
            ),
            "no periods",
        ),
        (
            with_periods(
                [{"startPeriod": 0, "limit": 6}],
                validFrom="2026-12-08T00:00:00.000Z",
                validTo="2026-12-07T00:00:00.000Z",
            ),
            "not before validTo",
        ),
    ]
    for body, reason in cases:
        status, error = call_api("PUT", "/charge-points/CP1/charging-profiles/5", body)
        assert status == 422 and reason in error["error"]["message"], (body, error)
    reserved = {**where(version, 0), "profile": profile(version, 900_001)}
    status, error = call_api("PUT", "/charge-points/CP1/charging-profiles/900001", reserved)
    assert status == 422 and "site allocator's" in error["error"]["message"]
    assert [f for f in posted.to("c1") if f[0] == 2] == []


def test_the_composite_schedule_comes_back_in_amps_and_watts(station, posted, version, monkeypatch):
    if version == "1.6":
        answer = {
            "status": "Accepted",
            "connectorId": 1,
            "scheduleStart": "2026-12-02T10:00:00Z",
            "chargingSchedule": {
                "duration": 3600,
                "chargingRateUnit": "W",
                "chargingSchedulePeriod": [
                    {"startPeriod": 0, "limit": 11040, "numberPhases": 3},
                    {"startPeriod": 1800, "limit": 3680, "numberPhases": 1},
                ],
            },
        }
    else:
        answer = {
            "status": "Accepted",
            "schedule": {
                "evseId": 1,
                "duration": 3600,
                "scheduleStart": "2026-12-02T10:00:00Z",
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [
                    {"startPeriod": 0, "limit": 16},
                    {"startPeriod": 1800, "limit": 16, "numberPhases": 1},
                ],
            },
        }
    waited = commands.wait_for

    def station_answers_meanwhile(command, seconds):
        station([3, command.command_id, answer])
        return waited(stored_commands.find_command(command.command_id), seconds)

    monkeypatch.setattr(commands, "wait_for", station_answers_meanwhile)
    status, body = call_api("GET", "/charge-points/CP1/composite-schedule", query="evseId=1&duration=3600")
    assert status == 200
    asked = last_call(posted)
    assert asked[2] == "GetCompositeSchedule" and asked[3]["duration"] == 3600
    assert (body["status"], body["evseId"], body["durationS"]) == ("Accepted", 1, 3600)
    assert [(p["start"], p["limitA"], p["limitW"], p["phases"]) for p in body["periods"]] == [
        ("2026-12-02T10:00:00Z", 16.0, 11040.0, 3),
        ("2026-12-02T10:30:00Z", 16.0, 3680.0, 1),
    ]


@pytest.mark.parametrize("version", V2, indirect=True)
def test_2x_reports_its_profiles_and_the_limits_set_at_it(station, posted, published, version):
    status, body = call_api("GET", "/charge-points/CP1/charging-profiles", query="refresh=true")
    assert status == 200 and body["command"]["action"] == "GetChargingProfiles"
    request_id = body["command"]["payload"]["requestId"]
    station([3, body["command"]["commandId"], {"status": "Accepted"}])
    report = {
        "requestId": request_id,
        "chargingLimitSource": "EMS",
        "evseId": 0,
        "chargingProfile": [profile(version, 90, purpose="ChargingStationMaxProfile", limit=32)],
    }
    assert call(station, "ReportChargingProfiles", report) == {}
    [reported] = call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]
    assert (reported["profileId"], reported["status"], reported["source"]) == (90, "Reported", "reported")

    limit = {"chargingLimit": {"chargingLimitSource": "SO", "isGridCritical": True}, "evseId": 1}
    assert call(station, "NotifyChargingLimit", limit) == {}
    assert call(station, "NotifyChargingLimit", limit, "again") == {}  # a resend
    assert call(station, "ClearedChargingLimit", {"chargingLimitSource": "SO", "evseId": 1}) == {}
    items = call_api("GET", "/charge-points/CP1/charging-limits")[1]["items"]
    assert sorted(i["cleared"] for i in items) == [False, True]
    assert len(published.of("ChargingLimitChanged")) == 2


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_1_6_cannot_report_its_profiles(station, version):
    status, body = call_api("GET", "/charge-points/CP1/charging-profiles", query="refresh=true")
    assert status == 422 and "2.0.1" in body["error"]["message"]


def test_a_profile_set_by_hand_over_the_site_limit_is_refused(station, version):
    assert call_api("PUT", "/sites/s1", {"limit": {"watts": 3 * 230 * 20}, "chargePoints": ["CP1"]})[0] == 201
    over = {**where(version, 0), "profile": profile(version, 5, limit=24)}
    status, error = call_api("PUT", "/charge-points/CP1/charging-profiles/5", over)
    assert (
        status == 422
        and error["error"]["message"] == "The profile allows 24 A per phase; site s1's limit is 20 A"
    )
    within = {**where(version, 0), "profile": profile(version, 5, limit=20)}
    assert call_api("PUT", "/charge-points/CP1/charging-profiles/5", within)[0] == 202
