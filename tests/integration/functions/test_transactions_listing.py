"""/transactions and /id-tokens through the operator API handler, against moto."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from shared.data import transactions
from shared.domain.authorization import IdToken
from shared.domain.timestamps import utc_now
from shared.domain.transactions import SessionStart, SessionStop
from tests.builders import call_api


def session(charge_point, transaction_id, started, minutes=None, meter_start=0.0, energy=1000.0, token="TAG"):
    start = SessionStart(
        started,
        connector_id=1,
        id_token=IdToken(token),
        meter_start_wh=meter_start,
        transaction_id=transaction_id,
    )
    transactions.record_start(charge_point, "2.0.1", start, utc_now())
    if minutes is not None:
        stop = SessionStop(
            transaction_id, started + timedelta(minutes=minutes), meter_stop_wh=meter_start + energy
        )
        transactions.record_stop(charge_point, "2.0.1", stop, utc_now())


@pytest.fixture
def sessions(aws):
    """Six sessions over three years and two charge points; the newest two still active."""
    base = datetime(2024, 6, 1, tzinfo=UTC)
    session("CP1", "a", base, 60)
    session("CP2", "b", base + timedelta(days=200), 30, energy=500)
    session("CP1", "c", base + timedelta(days=400), 45, token="OTHER")
    session("CP2", "d", base + timedelta(days=500), 10)
    session("CP1", "e", base + timedelta(days=600))
    session("CP2", "f", base + timedelta(days=601))
    return ["f", "e", "d", "c", "b", "a"]


def walk(query, limit):
    """Every page of a listing; each page at most `limit`."""
    seen, token = [], None
    while True:
        page_query = f"{query}&limit={limit}" + (f"&nextToken={token}" if token else "")
        status, body = call_api("GET", "/transactions", query=page_query.lstrip("&"))
        assert status == 200, body
        assert len(body["items"]) <= limit
        seen += [item["transactionId"] for item in body["items"]]
        token = body["nextToken"]
        if token is None:
            return seen


@pytest.mark.parametrize("limit", [1, 2, 4, 50])
def test_all_sessions_newest_first_across_years_and_pages(sessions, limit):
    assert walk("", limit) == sessions


def test_filters(sessions):
    assert walk("chargePointId=CP1", 2) == ["e", "c", "a"]
    assert walk("active=true", 1) == ["f", "e"]
    assert walk("active=false", 3) == ["d", "c", "b", "a"]
    assert walk("chargePointId=CP2&active=false", 5) == ["d", "b"]
    assert walk("from=2024-12-01T00:00:00Z&to=2025-07-31T23:59:59Z", 1) == ["c", "b"]
    assert walk("from=2026-01-01T00:00:00Z", 10) == ["f", "e"]
    assert walk("idToken=OTHER", 1) == ["c"]
    assert walk("idToken=TAG&chargePointId=CP1", 1) == ["e", "a"]
    assert walk("idToken=TAG&active=false", 2) == ["d", "b", "a"]


def test_a_listed_session_has_its_energy(sessions):
    _, body = call_api("GET", "/transactions", query="chargePointId=CP2&active=false")
    item = body["items"][1]
    assert (item["transactionId"], item["energyWh"], item["meterStartWh"], item["meterStopWh"]) == (
        "b",
        500,
        0,
        500,
    )
    assert item["startedAt"] == "2024-12-18T00:00:00Z" and item["stoppedAt"] == "2024-12-18T00:30:00Z"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("nextToken=garbage", "nextToken"),
        ("from=2025-01-01T00:00:00", "time zone"),
        ("from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z", "from is after to"),
        ("from=0001-01-01T00:00:00%2B01:00", "calendar"),
        ("to=9999-12-31T23:59:59-01:00", "calendar"),
    ],
)
def test_bad_listing_requests_get_a_400_with_the_reason(aws, query, message):
    status, body = call_api("GET", "/transactions", query=query)
    assert status == 400 and message in body["error"]["message"]


@pytest.mark.parametrize("query", ["limit=0", "active=perhaps", "from=yesterday"])
def test_a_listing_with_a_bad_parameter_is_a_400(aws, query):
    status, body = call_api("GET", "/transactions", query=query)
    assert status == 400 and body["error"]["message"]


def test_one_transaction_by_id(sessions):
    status, body = call_api("GET", "/transactions/c")
    assert status == 200 and body["chargePointId"] == "CP1" and body["meterValues"] == []
    assert call_api("GET", "/transactions/nope")[0] == 404


def test_an_id_two_charge_points_use_needs_the_charge_point(aws):
    now = datetime(2026, 11, 24, tzinfo=UTC)
    session("CP1", "1", now, 5)
    session("CP2", "1", now, 5)
    status, body = call_api("GET", "/transactions/1")
    assert status == 400 and "chargePointId" in body["error"]["message"]
    status, body = call_api("GET", "/transactions/1", query="chargePointId=CP2")
    assert status == 200 and body["chargePointId"] == "CP2"


def test_an_empty_charge_point_for_one_transaction_is_a_400_naming_it(sessions):
    status, body = call_api("GET", "/transactions/c", query="chargePointId=")
    assert status == 400 and "chargePointId" in body["error"]["message"]


# --- /id-tokens ---------------------------------------------------------------------------


def token_of(position):
    import base64

    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def test_a_token_from_another_listing_or_made_up_is_a_400(sessions):
    charge_points_token = call_api("GET", "/transactions", query="chargePointId=CP1&limit=1")[1]["nextToken"]
    by_year_token = call_api("GET", "/transactions", query="limit=1")[1]["nextToken"]
    forged = [
        charge_points_token,  # another listing's, to this one
        token_of({"of": "sessions/by-year", "year": "2025", "key": None}),  # a year that is no number
        token_of({"of": "sessions/by-year", "year": 9000, "key": None}),  # a year no session starts in
        token_of({"of": "sessions/by-year", "year": 2025, "key": {"transaction_id": {"S": 5}}}),
        token_of({"of": "sessions/by-year", "year": 2025, "key": {"transaction_id": {"B": "AA=="}}}),
        token_of({"of": "sessions/by-year", "year": 2025, "key": {"nothing": {"S": "x"}}}),
    ]
    for token in forged:
        status, body = call_api("GET", "/transactions", query=f"limit=1&nextToken={token}")
        assert status == 400 and "nextToken" in body["error"]["message"], token
    status, _ = call_api("GET", "/transactions", query=f"chargePointId=CP1&limit=1&nextToken={by_year_token}")
    assert status == 400
    status, _ = call_api("GET", "/charge-points/CP1/commands", query=f"nextToken={charge_points_token}")
    assert status == 400


def test_a_listing_costs_the_same_whatever_the_width_of_its_range(sessions, aws_calls):
    def queries(query):
        aws_calls.reset()
        status, body = call_api("GET", "/transactions", query=query)
        assert status == 200, body
        return aws_calls.dynamodb_reads, [item["transactionId"] for item in body["items"]]

    now_ish = queries("from=2020-01-01T00:00:00Z&limit=50")
    assert queries("from=2020-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&limit=50") == now_ish
    assert queries("from=0001-01-01T00:00:00Z&limit=50")[1] == now_ish[1]
