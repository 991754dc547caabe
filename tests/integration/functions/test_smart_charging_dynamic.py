"""2.1 smart charging through the router: priority charging kept on its session (a resend
writes nothing), and PullDynamicScheduleUpdate answered from the dynamic profile the station
was given, Rejected when it has none."""

import pytest

from tests.builders import call, call_api, event


def dynamic_profile(profile_id, kind="Dynamic"):
    period = {"startPeriod": 0, "limit": 11000, "dischargeLimit": -3000, "setpoint": 5000}
    return {
        "id": profile_id,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": kind,
        "chargingSchedule": [{"id": 1, "chargingRateUnit": "W", "chargingSchedulePeriod": [period]}],
    }


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_priority_charging_is_kept_on_the_session_once(station, aws_calls):
    call(station, "TransactionEvent", event("Started", 0, "2026-12-01T10:00:00Z", wh=0), "e0")
    assert call_api("GET", "/transactions/T-1")[1]["priorityCharging"] is None
    assert call(station, "NotifyPriorityCharging", {"transactionId": "T-1", "activated": True}) == {}
    assert call_api("GET", "/transactions/T-1")[1]["priorityCharging"] is True

    aws_calls.reset()
    assert call(station, "NotifyPriorityCharging", {"transactionId": "T-1", "activated": True}) == {}
    assert aws_calls.dynamodb_writes == 1  # tried, and refused by its condition: nothing changed

    call(station, "NotifyPriorityCharging", {"transactionId": "T-1", "activated": False}, "m2")
    assert call_api("GET", "/transactions/T-1")[1]["priorityCharging"] is False
    assert call(station, "NotifyPriorityCharging", {"transactionId": "NOPE", "activated": True}, "m3") == {}
    assert call_api("GET", "/transactions/NOPE")[0] == 404  # no session made up for it


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_dynamic_profile_s_limits_are_pulled(station):
    assert call(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 30}) == {
        "status": "Rejected",
        "statusInfo": {"reasonCode": "UnknownProfile", "additionalInfo": "No dynamic profile with this id"},
    }
    for profile_id, kind in ((30, "Dynamic"), (31, "Absolute")):
        status, command = call_api(
            "PUT",
            f"/charge-points/CP1/charging-profiles/{profile_id}",
            {"evseId": 1 if kind == "Dynamic" else 2, "profile": dynamic_profile(profile_id, kind)},
        )
        assert status == 202, command
        station([3, command["commandId"], {"status": "Accepted"}])

    answer = call(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 30}, "p2")
    assert answer == {
        "status": "Accepted",
        "scheduleUpdate": {"limit": 11000, "dischargeLimit": -3000, "setpoint": 5000},
    }
    assert call(station, "PullDynamicScheduleUpdate", {"chargingProfileId": 31}, "p3")["status"] == "Rejected"


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_2_0_1_does_not_pull(station):
    assert station([2, "p", "PullDynamicScheduleUpdate", {"chargingProfileId": 1}])[0] == 4
