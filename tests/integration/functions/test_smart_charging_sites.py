"""Sites through the API, and the allocator reacting to sessions: each charging session gets a
TxProfile with its share, the shares never pass the limit, and a session that ends gives its
share to the others; one allocation per site at a time."""

from datetime import timedelta

import pytest

from functions.site_allocator.handler import lambda_handler as allocator
from shared.data import charge_points
from shared.data import sites as site_records
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, call, call_api, event, put_token, start, stop


def site(limit=32, **fields):
    return {"limit": {"amps": limit}, "minAmpsPerSession": 6, "chargePoints": ["CP1"], **fields}


def test_sites_are_created_listed_and_refused_when_they_cannot_be(aws):
    for cp in ("CP1", "CP2"):
        charge_points.register_charge_point(cp, utc_now())
    status, body = call_api("PUT", "/sites/s1", site())
    assert status == 201 and (body["siteId"], body["limit"]["amps"], body["chargePoints"]) == (
        "s1",
        32,
        ["CP1"],
    )
    assert call_api("GET", "/charge-points/CP1")[1]["siteId"] == "s1"
    status, body = call_api("PUT", "/sites/s2", {**site(), "chargePoints": ["CP2", "CP1"]})
    assert status == 409 and "CP1 belongs to site s1" in body["error"]["message"]
    assert call_api("PUT", "/sites/s1", {**site(), "chargePoints": ["CP2"]})[0] == 200  # CP1 leaves
    assert call_api("GET", "/charge-points/CP1")[1]["siteId"] is None
    assert call_api("PUT", "/sites/s3", {"limit": {}, "chargePoints": []})[0] == 400
    assert call_api("PUT", "/sites/s3", {"limit": {"amps": 16}, "phases": 2})[0] == 400
    assert call_api("PUT", "/sites/s3", {"limit": {"watts": 22080}, "chargePoints": ["NOPE"]})[0] == 404
    assert [s["siteId"] for s in call_api("GET", "/sites")[1]["items"]] == ["s1"]
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert (allocation["limitAmps"], allocation["sessions"]) == (32.0, [])


def test_a_number_json_cannot_carry_back_is_refused_and_nothing_stored(aws):
    """1e400 reads as infinity: stored, it made GET /sites answer with a body that is not JSON
    and the allocator fail."""
    for body in (
        '{"limit": {"amps": 1e400}, "chargePoints": []}',
        '{"limit": {"amps": 32}, "fallbackAmps": 1e400, "chargePoints": []}',
        '{"limit": {"watts": -1e400}, "chargePoints": []}',
    ):
        status, answer = call_api("PUT", "/sites/s9", body)
        assert status == 400 and "finite" in answer["error"]["message"], (body, answer)
    assert call_api("GET", "/sites/s9")[0] == 404
    assert call_api("GET", "/sites")[1]["items"] == []


def limit_of(frame):
    profile = frame[3].get("csChargingProfiles") or frame[3]["chargingProfile"]
    schedule = profile["chargingSchedule"]
    schedule = schedule[0] if isinstance(schedule, list) else schedule
    where = frame[3].get("connectorId", frame[3].get("evseId"))
    return where, profile["chargingProfilePurpose"], schedule["chargingSchedulePeriod"][0]["limit"]


def accept_all(obey):
    """The station accepts each profile as it comes; the held-back shares follow the lowered."""
    return [limit_of(frame) for frame in obey()]


def test_the_limit_is_shared_and_a_session_that_ends_gives_its_share_back(station, obey, version):
    put_token("TAG1")
    assert call_api("PUT", "/sites/s1", site(limit=32))[0] == 201
    ids = []
    for connector in (1, 2):
        if version == "1.6":
            ids.append(
                call(station, "StartTransaction", start(connector=connector), f"s{connector}")[
                    "transactionId"
                ]
            )
        else:
            tid = f"T-{connector}"
            started = event(
                "Started", 0, "2026-11-24T10:00:00Z", tid, evse={"id": connector, "connectorId": 1}
            )
            call(station, "TransactionEvent", started, f"s{connector}")
            ids.append(tid)
        allocator({"detail-type": "SessionStarted", "detail": {"chargePointId": "CP1"}}, CONTEXT)
        sent = accept_all(obey)
        if connector == 1:
            assert sent == [(1, "TxProfile", 32.0)]  # alone on the site
        else:
            assert sorted(sent) == [(1, "TxProfile", 16.0), (2, "TxProfile", 16.0)]
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    # The first session fell to 16 A, then the second rose once that was taken.
    assert allocation["perPhaseAmps"] == [32.0, 32.0, 32.0] and allocation["reason"] == "SiteSharesLowered"
    assert allocation["heldBack"] == 0
    kept = call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]
    assert {(p["evseId"], p["status"]) for p in kept} == {(1, "Accepted"), (2, "Accepted")}

    if version == "1.6":
        call(station, "StopTransaction", stop(ids[0]), "x1")
    else:
        call(station, "TransactionEvent", event("Ended", 1, "2026-11-24T11:00:00Z", ids[0]), "x1")
    allocator({"detail-type": "SessionEnded", "detail": {"chargePointId": "CP1"}}, CONTEXT)
    assert accept_all(obey) == [(2, "TxProfile", 32.0)]
    sessions = call_api("GET", "/sites/s1/allocation")[1]["sessions"]
    assert [(s["transactionId"], s["amps"]) for s in sessions] == [(str(ids[1]), 32.0)]


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_one_allocation_at_a_time_and_no_ask_is_lost(station):
    assert call_api("PUT", "/sites/s1", site())[0] == 201
    now = utc_now()
    site_records.ask("s1")
    seen = site_records.take_turn("s1", now, timedelta(seconds=30))
    assert seen is not None
    assert site_records.take_turn("s1", now, timedelta(seconds=30)) is None  # held
    site_records.ask("s1")  # an event while it runs
    assert site_records.end_turn("s1", seen, {"sessions": []}) is False  # so it runs again
    assert (
        site_records.take_turn("s1", now + timedelta(seconds=31), timedelta(seconds=30)) is not None
    )  # expired


@pytest.mark.parametrize("version", ["2.0.1", "2.1"], indirect=True)
def test_an_ev_that_takes_less_gives_the_rest_to_the_others(station, obey):
    """Two sessions on a 32 A site; the EV on EVSE 1 says it takes 10 A at most: 10 and 22."""
    assert call_api("PUT", "/sites/s1", site(limit=32))[0] == 201
    for evse in (1, 2):
        started = event(
            "Started", 0, "2026-11-24T10:00:00Z", f"T-{evse}", evse={"id": evse, "connectorId": 1}
        )
        call(station, "TransactionEvent", started, f"s{evse}")
    allocator({"detail-type": "SessionStarted", "detail": {"chargePointId": "CP1"}}, CONTEXT)
    assert sorted(accept_all(obey)) == [(1, "TxProfile", 16.0), (2, "TxProfile", 16.0)]
    needs = {
        "evseId": 1,
        "chargingNeeds": {
            "requestedEnergyTransfer": "AC_three_phase",
            "departureTime": "2026-11-24T18:00:00Z",
            "acChargingParameters": {
                "energyAmount": 20000,
                "evMinCurrent": 6,
                "evMaxCurrent": 10,
                "evMaxVoltage": 400,
            },
        },
    }
    assert call(station, "NotifyEVChargingNeeds", needs, "n1") == {"status": "Accepted"}
    assert call(station, "NotifyEVChargingNeeds", {**needs, "evseId": 3}, "n2") == {
        "status": "Rejected"
    }  # no session
    allocator({"detail-type": "EVChargingNeeds", "detail": {"chargePointId": "CP1"}}, CONTEXT)
    assert sorted(accept_all(obey)) == [(1, "TxProfile", 10.0), (2, "TxProfile", 22.0)]

    schedule = {
        "timeBase": "2026-11-24T10:00:00Z",
        "evseId": 1,
        "chargingSchedule": {
            "id": 1,
            "chargingRateUnit": "A",
            "chargingSchedulePeriod": [{"startPeriod": 0, "limit": 10}],
        },
    }
    assert call(station, "NotifyEVChargingSchedule", schedule, "c1") == {"status": "Accepted"}
    assert call(station, "NotifyEVChargingSchedule", schedule, "c2") == {"status": "Accepted"}  # a resend
    items = call_api("GET", "/charge-points/CP1/events", query="kind=ev-charging-schedule")
    assert items[0] == 200 and len(items[1]["items"]) == 1


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_fall_never_taken_holds_the_others_back_again_when_looked_at_again(station, obey, posted):
    """A session told to fall whose station never answers (a post lost, a timeout) may still
    draw its old share: looked at again, the allocation tells it again and keeps the new one
    held back, rather than raising it past the limit (make chaos saw a site 1.4 kW over)."""
    put_token("TAG1")
    assert call_api("PUT", "/sites/s1", site(limit=32))[0] == 201
    for connector in (1, 2):
        started = event(
            "Started", 0, "2026-11-24T10:00:00Z", f"T-{connector}", evse={"id": connector, "connectorId": 1}
        )
        call(station, "TransactionEvent", started, f"s{connector}")
        allocator({"detail-type": "SessionStarted", "detail": {"chargePointId": "CP1"}}, CONTEXT)
        if connector == 1:
            assert accept_all(obey) == [(1, "TxProfile", 32.0)]
    # T-1 is told 16 A; the station does not answer. T-2 is held at the fallback.
    (fall,) = [f for f in posted.to("c1") if f[0] == 2 and limit_of(f) == (1, "TxProfile", 16.0)]
    held = call_api("GET", "/sites/s1/allocation")[1]
    shares = [(s["transactionId"], s["amps"]) for s in held["sessions"]]
    assert held["heldBack"] == 1 and shares[0] == ("T-1", 16.0) and shares[1][1] < 16

    allocator({"detail-type": "SiteChanged", "detail": {"siteId": "s1"}}, CONTEXT)  # the revisit
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert allocation["heldBack"] == 1
    assert [(s["transactionId"], s["amps"]) for s in allocation["sessions"]] == shares
    # Once the station takes its fall, the held-back session rises.
    station([3, fall[1], {"status": "Accepted"}])
    sent = accept_all(obey)
    assert (2, "TxProfile", 16.0) in sent
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert [(s["transactionId"], s["amps"]) for s in allocation["sessions"]] == [("T-1", 16.0), ("T-2", 16.0)]
