"""What a site's stations are told besides their sessions' shares, and the grid: a booted station
gets its fallback and its cap; an OpenADR 3 program's capacity limit, heard from a VTN, lowers the
site's shares from its interval's start and holds while the VTN is down, until its interval ends;
the usage the program asks for is reported; an EV leaving later gets a schedule to its departure."""

from datetime import UTC, datetime, timedelta

import pytest

from functions.site_allocator.handler import lambda_handler as allocator
from functions.site_limits.handler import lambda_handler as site_limits
from local.standins.vtn import VtnFixture
from shared.aws.secrets import put_json_secret
from shared.domain.timestamps import format_timestamp, utc_now
from shared.services.smart_charging import grid
from tests.builders import CONTEXT, boot, call, call_api, event

V2 = ["2.0.1", "2.1"]


def calls(posted, action=None):
    return [f for f in posted.to("c1") if f[0] == 2 and action in (None, f[2])]


def profile_of(frame):
    profile = frame[3].get("csChargingProfiles") or frame[3]["chargingProfile"]
    schedule = profile["chargingSchedule"]
    return profile, schedule[0] if isinstance(schedule, list) else schedule


def site(**fields):
    return {
        "limit": {"amps": 32},
        "minAmpsPerSession": 6,
        "chargePoints": ["CP1"],
        "fallbackAmps": 8,
        **fields,
    }


def test_a_booted_station_of_a_site_gets_its_fallback_and_its_cap(station, posted, obey, published, version):
    assert call_api("PUT", "/sites/s1", site(stationMaxAmps=20))[0] == 201
    call(station, "BootNotification", boot(version), "b1")
    booted = [d for t, d in published.events if t == "ChargePointBooted"]
    assert booted[-1]["chargePointId"] == "CP1" and booted[-1]["siteId"] == "s1"
    allocator({"detail-type": "ChargePointBooted", "detail": booted[-1]}, CONTEXT)
    sent = {profile_of(f)[0]["chargingProfilePurpose"]: f for f in obey()}
    fallback, schedule = profile_of(sent["TxDefaultProfile"])
    assert sent["TxDefaultProfile"][3].get("connectorId", sent["TxDefaultProfile"][3].get("evseId")) == 0
    assert schedule["chargingSchedulePeriod"][0]["limit"] == 8 and fallback["stackLevel"] == 8
    cap_purpose = "ChargePointMaxProfile" if version == "1.6" else "ChargingStationMaxProfile"
    cap, schedule = profile_of(sent[cap_purpose])
    assert cap["chargingProfileKind"] == "Absolute" and "startSchedule" in schedule
    assert schedule["chargingSchedulePeriod"][0]["limit"] == 20
    kept = call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]
    assert {p["purpose"] for p in kept if p["status"] == "Accepted"} == {"TxDefaultProfile", cap_purpose}

    # The cap removed: the station's is cleared.
    assert call_api("PUT", "/sites/s1", site())[0] == 200
    changed = [d for t, d in published.events if t == "SiteChanged"][-1]
    assert changed["defaultsTo"] == ["CP1"]
    allocator({"detail-type": "SiteChanged", "detail": changed}, CONTEXT)
    assert [f[2] for f in obey(None)] == ["SetChargingProfile", "ClearChargingProfile"]
    assert 899_998 in calls(posted, "ClearChargingProfile")[0][3].values()
    kept = call_api("GET", "/charge-points/CP1/charging-profiles")[1]["items"]
    assert [p["purpose"] for p in kept] == ["TxDefaultProfile"]
    # A change that leaves the fallback and the cap alone tells the stations nothing new.
    assert call_api("PUT", "/sites/s1", site(limit={"amps": 40}))[0] == 200
    assert [d for t, d in published.events if t == "SiteChanged"][-1]["defaultsTo"] == []


def test_a_station_of_no_site_is_told_nothing_at_boot(station, posted, obey, published, version):
    call(station, "BootNotification", boot(version), "b1")
    booted = [d for t, d in published.events if t == "ChargePointBooted"][-1]
    assert booted["siteId"] is None
    assert allocator({"detail-type": "ChargePointBooted", "detail": booted}, CONTEXT)["site"] is None
    assert calls(posted, "SetChargingProfile") == []


@pytest.fixture
def vtn(aws):
    fixture = VtnFixture("ven-7", "s3cret")
    fixture.add_program("site-capacity")
    url = fixture.start()
    put_json_secret("openadr/utility", {"clientId": "ven-7", "clientSecret": "s3cret"})
    yield fixture, url
    fixture.stop()


def capacity_event(start, minutes, kw, report=False):
    event = {
        "programID": "program-1",
        "eventName": "evening peak",
        "intervalPeriod": {"start": format_timestamp(start), "duration": f"PT{minutes}M"},
        "payloadDescriptors": [{"payloadType": "IMPORT_CAPACITY_LIMIT", "units": "KW"}],
        "intervals": [{"id": 0, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [kw]}]}],
    }
    if report:
        event["reportDescriptors"] = [{"payloadType": "USAGE", "readingType": "DIRECT_READ"}]
    return event


def two_sessions(station, obey):
    for evse in (1, 2):
        started = event(
            "Started", 0, format_timestamp(utc_now()), f"T-{evse}", evse={"id": evse, "connectorId": 1}
        )
        call(station, "TransactionEvent", started, f"s{evse}")
    allocator({"detail-type": "SessionStarted", "detail": {"chargePointId": "CP1"}}, CONTEXT)
    return sorted(profile_of(f)[1]["chargingSchedulePeriod"][0]["limit"] for f in obey())


@pytest.mark.parametrize("version", V2, indirect=True)
def test_a_grid_limit_lowers_the_shares_from_its_start_and_holds_while_the_vtn_is_down(
    station, posted, obey, vtn
):
    fixture, url = vtn
    link = {"vtnUrl": url, "programName": "site-capacity", "credentials": "utility"}
    assert call_api("PUT", "/sites/s1", site(openadr=link))[0] == 201
    assert call_api("GET", "/sites/s1")[1]["openadr"]["programName"] == "site-capacity"
    assert two_sessions(station, obey) == [16.0, 16.0]
    now = utc_now()
    # 11.04 kW on three phases at 230 V: 16 A per phase, from a minute from now, for an hour.
    fixture.add_event(capacity_event(now + timedelta(minutes=1), 60, 11.04))

    assert grid.run(now).polled == 1
    assert obey() == []  # not yet in force
    assert grid.run(now + timedelta(minutes=1)).reallocated == 1
    assert sorted(profile_of(f)[1]["chargingSchedulePeriod"][0]["limit"] for f in obey()) == [
        8.0,
        8.0,
    ]
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert (allocation["limitAmps"], allocation["siteLimitAmps"], allocation["reason"]) == (
        16.0,
        32.0,
        "grid limit",
    )
    assert allocation["gridLimit"]["watts"] == 11040 and allocation["grid"]["failures"] == 0

    fixture.down = True  # the limit known holds until its interval ends...
    assert grid.run(now + timedelta(minutes=30)).failed == 1
    assert obey() == []
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert allocation["limitAmps"] == 16.0 and allocation["grid"]["failures"] == 1
    assert "503" in allocation["grid"]["error"]
    # ...then the site's own limit is back.
    assert grid.run(now + timedelta(minutes=61)).reallocated == 1
    assert sorted(profile_of(f)[1]["chargingSchedulePeriod"][0]["limit"] for f in obey()) == [
        16.0,
        16.0,
    ]


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_the_usage_an_event_asks_for_is_reported_once_when_its_interval_ends(station, posted, obey, vtn):
    fixture, url = vtn
    link = {"vtnUrl": url, "programName": "site-capacity", "credentials": "utility", "venName": "depot-ven"}
    assert call_api("PUT", "/sites/s1", site(openadr=link))[0] == 201
    start = datetime(2026, 11, 30, 10, tzinfo=UTC)
    began = event("Started", 0, "2026-11-30T09:30:00Z", "T-1", evse={"id": 1, "connectorId": 1})
    began["meterValue"] = [
        {
            "timestamp": "2026-11-30T09:30:00Z",
            "sampledValue": [{"value": 1000, "measurand": "Energy.Active.Import.Register"}],
        }
    ]
    call(station, "TransactionEvent", began, "s1")
    for seq, (at, wh) in enumerate(
        (("2026-11-30T10:30:00Z", 6000), ("2026-11-30T11:30:00Z", 11000)), start=1
    ):
        update = event("Updated", seq, at, "T-1")
        update["meterValue"] = [
            {"timestamp": at, "sampledValue": [{"value": wh, "measurand": "Energy.Active.Import.Register"}]}
        ]
        call(station, "TransactionEvent", update, f"u{seq}")
    fixture.add_event(capacity_event(start, 60, 22, report=True))  # 10:00 to 11:00
    assert grid.run(datetime(2026, 11, 30, 11, 5, tzinfo=UTC)).reported == 1
    assert grid.run(datetime(2026, 11, 30, 11, 6, tzinfo=UTC)).reported == 0  # once
    (report,) = fixture.reports
    assert (report["programID"], report["eventID"], report["clientName"]) == (
        "program-1",
        "event-1",
        "depot-ven",
    )
    # 5 kWh an hour from 09:30 to 11:30: 5 kWh between 10:00 and 11:00.
    assert report["resources"][0]["intervals"][0]["payloads"] == [{"type": "USAGE", "values": [5.0]}]


def test_a_vtn_refusing_the_credentials_is_a_failure_kept_on_the_site(aws, vtn):
    _, url = vtn
    put_json_secret("openadr/wrong", {"clientId": "ven-7", "clientSecret": "nope"})
    link = {"vtnUrl": url, "programName": "site-capacity", "credentials": "wrong"}
    assert call_api("PUT", "/sites/s1", {**site(openadr=link), "chargePoints": []})[0] == 201
    assert site_limits({}, CONTEXT) == {"polled": 1, "failed": 1, "reallocated": 0, "reported": 0}
    assert "401" in call_api("GET", "/sites/s1/allocation")[1]["grid"]["error"]
    bad = {**link, "vtnUrl": "ftp://vtn"}
    status, body = call_api("PUT", "/sites/s1", {**site(openadr=bad), "chargePoints": []})
    assert status in (400, 422) and "vtnUrl" in str(body)


@pytest.mark.parametrize("version", V2, indirect=True)
def test_an_ev_leaving_later_gets_a_schedule_to_its_departure_and_the_others_the_rest(station, posted, obey):
    assert call_api("PUT", "/sites/s1", site())[0] == 201
    assert two_sessions(station, obey) == [16.0, 16.0]
    departure = (utc_now() + timedelta(hours=4)).replace(microsecond=0)
    needs = {
        "evseId": 1,
        "chargingNeeds": {
            "requestedEnergyTransfer": "AC_three_phase",
            "departureTime": format_timestamp(departure),
            # 22.08 kWh in 4 h on three phases at 230 V: 8 A.
            "acChargingParameters": {
                "energyAmount": 22080,
                "evMinCurrent": 6,
                "evMaxCurrent": 32,
                "evMaxVoltage": 400,
            },
        },
    }
    assert call(station, "NotifyEVChargingNeeds", needs, "n1") == {"status": "Accepted"}
    allocator({"detail-type": "EVChargingNeeds", "detail": {"chargePointId": "CP1"}}, CONTEXT)
    sent = {f[3]["evseId"]: profile_of(f) for f in obey()}
    profile, schedule = sent[1]
    assert (
        profile["chargingProfileKind"] == "Absolute" and schedule["chargingSchedulePeriod"][0]["limit"] == 8.1
    )
    assert abs(schedule["duration"] - 4 * 3600) < 60
    assert sent[2][1]["chargingSchedulePeriod"][0]["limit"] == 23.9
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert allocation["revisitAt"].startswith(departure.isoformat()[:16])
    # At the departure the shares are worked out again, without the schedule: the other session
    # falls to 16 A first, and this one rises once that is taken (SiteSharesLowered).
    seen = {f[1] for f in calls(posted)}
    assert grid.run(departure + timedelta(seconds=1)).reallocated == 1
    [lowered] = [f for f in calls(posted) if f[1] not in seen]
    assert lowered[3]["evseId"] == 2 and profile_of(lowered)[1]["chargingSchedulePeriod"][0]["limit"] == 16.0
    allocation = call_api("GET", "/sites/s1/allocation")[1]
    assert allocation["heldBack"] == 1 and [s["amps"] for s in allocation["sessions"]] == [8.1, 16.0]


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_an_event_an_allocation_has_seen_already_costs_nothing(station, posted, obey):
    """A backlog of events after one allocation: those published a second or more before it
    was computed are spared; one published since runs it again."""
    assert call_api("PUT", "/sites/s1", site())[0] == 201
    assert two_sessions(station, obey) == [16.0, 16.0]
    first = call_api("GET", "/sites/s1/allocation")[1]["computedAt"]
    computed = datetime.fromisoformat(first)
    old = {"detail-type": "SessionStarted", "detail": {"chargePointId": "CP1"}}
    stale = (computed - timedelta(seconds=1)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    assert allocator({**old, "time": stale}, CONTEXT)["site"] is None
    assert call_api("GET", "/sites/s1/allocation")[1]["computedAt"] == first
    fresh = (computed + timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert allocator({**old, "time": fresh}, CONTEXT)["site"] == "s1"
    assert call_api("GET", "/sites/s1/allocation")[1]["computedAt"] > first
