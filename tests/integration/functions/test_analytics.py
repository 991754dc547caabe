"""The console's analytics for every version: an ended session and a fault are added once per
event, read back per day and broken down by charge point, site, model and connector; connectors'
states across the fleet and their status history."""

from __future__ import annotations

import pytest

from functions.analytics.handler import lambda_handler as analytics_function
from tests.builders import CONTEXT, V2, boot, call, call_api, event, put_token, start, status, stop


def react(published, kinds=("SessionEnded", "ConnectorStatusChanged")):
    """Run the analytics function on each event of these kinds, as the bus's rule would."""
    counted = []
    for kind in kinds:
        for detail in published.of(kind):
            counted.append(analytics_function({"detail-type": kind, "detail": detail}, CONTEXT)["counted"])
    return counted


def get(path, query=""):
    status_code, body = call_api("GET", path, query=query)
    assert status_code == 200, body
    return body


def charge(station, version, begin="2026-11-24T23:00:00Z", end="2026-11-25T01:00:00Z"):
    """A session of 7,500 Wh on connector 1 over midnight."""
    put_token("TAG1")
    if version == "1.6":
        transaction_id = call(station, "StartTransaction", start(at=begin, meter=1000), "s1")["transactionId"]
        call(station, "StopTransaction", stop(transaction_id, meter=8500, at=end), "s2")
        return
    evse = {"id": 1, "connectorId": 1}
    token = {"idToken": "TAG1", "type": "ISO14443"}
    begun = event("Started", 0, begin, wh=1000, context="Transaction.Begin", evse=evse, idToken=token)
    call(station, "TransactionEvent", begun, "s1")
    call(station, "TransactionEvent", event("Ended", 1, end, wh=8500, context="Transaction.End"), "s2")


def test_an_ended_session_is_counted_once_per_day_and_member(station, version, published):
    call(station, "BootNotification", boot(version), "b1")
    assert call_api("PUT", "/charge-points/CP1", {"siteId": "depot"})[0] == 200
    charge(station, version)
    assert react(published, ("SessionEnded",)) == [True]
    assert react(published, ("SessionEnded",)) == [False]  # the bus delivered it again

    days = get("/analytics/daily", "from=2026-11-24&to=2026-11-26")["items"]
    assert [(d["date"], d["energyWh"], d["sessions"], d["busyHours"]) for d in days] == [
        ("2026-11-24", 0, 0, 1.0),
        ("2026-11-25", 7500, 1, 1.0),
        ("2026-11-26", 0, 0, 0),
    ]
    for by, key in (("chargePoint", "CP1"), ("site", "depot"), ("model", "Volt")):
        body = get("/analytics/breakdown", f"by={by}&from=2026-11-01&to=2026-11-30")
        assert body["count"] == 1
        [row] = body["items"]
        assert (row["key"], row["energyWh"], row["sessions"], row["busyHours"]) == (key, 7500, 1, 2.0)
    connector = "1" if version == "1.6" else "1/1"
    [row] = get("/analytics/breakdown", "by=connector&from=2026-11-25&to=2026-11-25")["items"]
    assert (row["key"], row["utilisation"]) == (f"CP1#{connector}", pytest.approx(1 / 24))


def test_a_month_is_read_whole_and_the_days_around_it_one_by_one(station, version, published):
    """Sessions in October, November and December: a range from mid-October to early December
    adds November's month to the days either side of it."""
    call(station, "BootNotification", boot(version), "b1")
    for n, day in enumerate(("2026-10-10", "2026-10-20", "2026-11-15", "2026-12-01", "2026-12-05")):
        put_token("TAG1")
        begin, end = f"{day}T10:00:00Z", f"{day}T11:00:00Z"
        if version == "1.6":
            tid = call(station, "StartTransaction", start(at=begin, meter=0), f"a{n}")["transactionId"]
            call(station, "StopTransaction", stop(tid, meter=1000, at=end), f"b{n}")
        else:
            evse = {"id": 1, "connectorId": 1}
            token = {"idToken": "TAG1", "type": "ISO14443"}
            tid = f"T-{n}"
            call(
                station,
                "TransactionEvent",
                event("Started", 0, begin, tid, wh=0, evse=evse, idToken=token),
                f"a{n}",
            )
            call(station, "TransactionEvent", event("Ended", 1, end, tid, wh=1000), f"b{n}")
    react(published, ("SessionEnded",))
    [row] = get("/analytics/breakdown", "from=2026-10-15&to=2026-12-02")["items"]
    assert (row["energyWh"], row["sessions"]) == (3000, 3)
    [row] = get("/analytics/breakdown", "from=2026-10-01&to=2026-12-31")["items"]
    assert row["sessions"] == 5


def test_a_fault_is_counted_once_by_model_and_kept_in_the_history(station, version, published):
    call(station, "BootNotification", boot(version), "b1")
    call(station, "StatusNotification", status(version, 1, "Available", "2026-11-24T09:00:00Z"), "n1")
    faulted = status(version, 1, "Faulted", "2026-11-24T10:00:00Z", error="GroundFailure")
    call(station, "StatusNotification", faulted, "n2")
    call(station, "StatusNotification", faulted, "n3")  # resent
    react(published)
    react(published)  # and every event delivered twice
    [row] = get("/analytics/breakdown", "by=model&sort=faults&from=2026-11-24&to=2026-11-24")["items"]
    assert (row["key"], row["faults"]) == ("Volt", 1)
    assert get("/analytics/daily", "from=2026-11-24&to=2026-11-24")["items"][0]["faults"] == 1

    history = get("/charge-points/CP1/status-history")["items"]
    assert [(h["status"], h["at"]) for h in history] == [
        ("Faulted", "2026-11-24T10:00:00.000Z"),
        ("Available", "2026-11-24T09:00:00.000Z"),
    ]
    assert history[0]["connector"] == ("1" if version == "1.6" else "1/1")
    if version == "1.6":
        assert history[0]["errorCode"] == "GroundFailure"


def test_bottom_ranks_start_with_what_had_nothing_in_the_range(station, version, published):
    """An idle charge point, its site and a connector nobody used are what an operator looks for
    at the bottom: they rank at zero, not left out."""
    call(station, "BootNotification", boot(version), "b1")
    call(station, "StatusNotification", status(version, 2, "Available"), "n1")
    assert call_api("PUT", "/charge-points/CP1", {"siteId": "depot"})[0] == 200
    assert call_api("PUT", "/charge-points/IDLE", {"siteId": "car-park"})[0] in (200, 201)
    charge(station, version)
    react(published, ("SessionEnded",))
    month = "from=2026-11-01&to=2026-11-30"

    def ranks(by, sort="energyWh"):
        body = get("/analytics/breakdown", f"by={by}&sort={sort}&order=asc&{month}")
        return body["count"], [(row["key"], row[sort]) for row in body["items"]]

    assert ranks("chargePoint") == (2, [("IDLE", 0), ("CP1", 7500)])
    assert ranks("site") == (2, [("car-park", 0), ("depot", 7500)])
    assert ranks("model") == (1, [("Volt", 7500)])  # IDLE never said what it is
    used, unused = ("1", "2") if version == "1.6" else ("1/1", "1/2")
    assert ranks("connector", "utilisation") == (
        2,
        [(f"CP1#{unused}", 0), (f"CP1#{used}", pytest.approx(2 / 720))],
    )


@pytest.mark.parametrize("version", [V2[0]], indirect=True)
def test_every_connector_of_the_fleet_in_pages(station, version):
    for connector in (1, 2, 3):
        call(station, "StatusNotification", status(version, connector, "Available"), f"n{connector}")
    first = get("/connectors", "limit=2")
    rest = get("/connectors", f"limit=2&nextToken={first['nextToken']}")
    listed = [(c["chargePointId"], c["connectorId"], c["status"]) for c in first["items"] + rest["items"]]
    assert sorted(listed) == [("CP1", n, "Available") for n in (1, 2, 3)]
    assert get("/charge-points", "limit=1000")["items"][0]["id"] == "CP1"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("from=2026-11-02&to=2026-11-01", "'to' is before 'from'"),
        ("from=2025-01-01&to=2026-11-01", "at most 366 days"),
        ("from=yesterday", "from"),
        ("by=planet", "by"),
        ("sort=cost", "sort"),
    ],
)
def test_a_bad_range_or_breakdown_is_a_400_with_the_reason(aws, query, reason):
    status_code, body = call_api("GET", "/analytics/breakdown", query=query)
    assert status_code == 400
    assert reason in body["error"]["message"]
