"""Reservations through the API and the router: ReserveNow with an id the CSMS gives, then the
reservation's life as the charge point tells it, for every version."""

from datetime import datetime, timedelta
from unittest import mock

import pytest

from functions.command_timeouts.handler import lambda_handler as time_out_commands
from functions.reservation_expiry.handler import lambda_handler as expire_reservations
from shared.domain.timestamps import format_timestamp, utc_now
from tests.builders import CONTEXT, V2, call, call_api, event, start, status


def calls_to_station(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2]


def reserve(version, **extra):
    where = {"connectorId": 1} if version == "1.6" else {"evseId": 1}
    body = {
        "idToken": "TAG1",
        "expiresAt": format_timestamp(utc_now() + timedelta(hours=1)),
        **where,
        **extra,
    }
    return call_api("POST", "/charge-points/CP1/reservations", body)


def test_a_reservation_is_made_then_used_by_the_session_that_starts_on_it(
    station, posted, version, published
):
    status_code, reservation = reserve(version)
    assert status_code == 201 and reservation["state"] == "pending"
    [sent] = calls_to_station(posted)
    rid = reservation["reservationId"]
    if version == "1.6":
        assert sent[2:] == [
            "ReserveNow",
            {
                "connectorId": 1,
                "expiryDate": format_timestamp(datetime.fromisoformat(reservation["expiresAt"])),
                "idTag": "TAG1",
                "reservationId": rid,
            },
        ]
    else:
        assert sent[2] == "ReserveNow" and sent[3]["id"] == rid and sent[3]["evseId"] == 1
        assert sent[3]["idToken"] == {"idToken": "TAG1", "type": "ISO14443"}
    station([3, sent[1], {"status": "Accepted"}])
    assert call_api("GET", f"/reservations/{rid}")[1]["state"] == "active"
    if version == "1.6":
        answer = call(station, "StartTransaction", {**start(1, "TAG1"), "reservationId": rid})
        transaction_id = str(answer["transactionId"])
    else:
        transaction_id = "T-R1"
        started = event("Started", 0, "2026-11-24T10:00:00Z", transaction_id, reservationId=rid)
        call(station, "TransactionEvent", started)
    got = call_api("GET", f"/reservations/{rid}")[1]
    assert (got["state"], got["transactionId"]) == ("used", transaction_id)
    assert [e["state"] for e in published.of("ReservationChanged")] == ["active", "used"]
    assert [r["reservationId"] for r in call_api("GET", "/charge-points/CP1/reservations")[1]["items"]] == [
        rid
    ]


def test_refused_cancelled_and_expired_reservations(station, posted, version):
    refused = reserve(version)[1]
    station([3, calls_to_station(posted)[-1][1], {"status": "Occupied"}])
    got = call_api("GET", f"/reservations/{refused['reservationId']}")[1]
    assert (got["state"], got["answer"]) == ("refused", "Occupied")

    cancelled = reserve(version)[1]
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    status_code, body = call_api("DELETE", f"/reservations/{cancelled['reservationId']}")
    assert status_code == 202 and body["command"]["action"] == "CancelReservation"
    assert calls_to_station(posted)[-1][3] == {"reservationId": cancelled["reservationId"]}
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    assert call_api("GET", f"/reservations/{cancelled['reservationId']}")[1]["state"] == "cancelled"
    assert call_api("DELETE", f"/reservations/{cancelled['reservationId']}")[0] == 409

    expiring = reserve(version)[1]
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    expire_reservations({}, CONTEXT)  # not yet
    assert call_api("GET", f"/reservations/{expiring['reservationId']}")[1]["state"] == "active"
    later = utc_now() + timedelta(hours=2)
    with mock.patch("functions.reservation_expiry.handler.utc_now", return_value=later):
        assert expire_reservations({}, CONTEXT) == {"expired": 1}
    got = call_api("GET", f"/reservations/{expiring['reservationId']}")[1]
    assert (got["state"], got["reason"]) == ("expired", "expiresAt passed")


def test_a_reservation_whose_call_fails_or_times_out_is_refused_with_why(station, posted, version):
    """Once only a valid answer ended it: a CALLERROR left it pending until its expiry."""
    failed = reserve(version)[1]
    station([4, calls_to_station(posted)[-1][1], "InternalError", "Out of memory", {}])
    got = call_api("GET", f"/reservations/{failed['reservationId']}")[1]
    assert (got["state"], got["answer"], got["reason"]) == ("refused", "InternalError", "Out of memory")
    unanswered = reserve(version)[1]
    later = utc_now() + timedelta(hours=1)
    with mock.patch("functions.command_timeouts.handler.utc_now", return_value=later):
        assert time_out_commands({}, CONTEXT) == {"expired": 1}
    got = call_api("GET", f"/reservations/{unanswered['reservationId']}")[1]
    assert (got["state"], got["answer"]) == ("refused", "Timeout")


@pytest.mark.parametrize("version", V2, indirect=True)
def test_a_2x_station_says_when_it_dropped_a_reservation(station, posted, version, aws_calls):
    reservation = reserve(version)[1]
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    update = {"reservationId": reservation["reservationId"], "reservationUpdateStatus": "Removed"}
    aws_calls.reset()
    assert call(station, "ReservationStatusUpdate", update) == {}
    assert (aws_calls.dynamodb_reads, aws_calls.dynamodb_writes) == (0, 1)
    assert call(station, "ReservationStatusUpdate", update, "again") == {}  # a resend changes nothing
    got = call_api("GET", f"/reservations/{reservation['reservationId']}")[1]
    assert (got["state"], got["reason"]) == ("cancelled", "Removed")


def test_reservations_that_cannot_be_are_refused_with_a_reason(station, posted, version):
    past = format_timestamp(utc_now() - timedelta(minutes=1))
    status_code, body = reserve(version, expiresAt=past)
    assert status_code == 400 and "future" in body["error"]["message"]
    zoneless = (utc_now() + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    status_code, body = reserve(version, expiresAt=zoneless)
    assert status_code == 400 and "time zone" in body["error"]["message"]
    call(station, "StatusNotification", status(version, 1, "Available"))
    status_code, body = reserve(version, **({"connectorId": 7} if version == "1.6" else {"evseId": 7}))
    assert status_code == 400 and "7" in body["error"]["message"]
    assert calls_to_station(posted) == []
    assert call_api("GET", "/reservations/999999")[0] == 404
    body = {"idToken": "T", "expiresAt": format_timestamp(utc_now() + timedelta(hours=1))}
    assert call_api("POST", "/charge-points/NOPE/reservations", body)[0] == 404
