"""Reservations through the API and the router: ReserveNow with an id the CSMS gives, then the
reservation's life as the charge point tells it, for every version."""

from datetime import datetime, timedelta
from unittest import mock

import pytest

from functions.command_timeouts.handler import lambda_handler as time_out_commands
from functions.reservation_expiry.handler import lambda_handler as expire_reservations
from shared.data import reservations as reservation_records
from shared.domain.reservations import Reservation, ReservationState
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
    assert call_api("DELETE", f"/reservations/{refused['reservationId']}")[0] == 409  # never held

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


# --- One open reservation per place; a cancellation sent once ---------------------------------


def test_a_connector_or_evse_holds_one_open_reservation(station, posted, version):
    """Once 50 reservations of one connector were all accepted and all sent."""
    first = reserve(version)[1]
    status_code, body = reserve(version, idToken="TAG2")
    assert status_code == 409
    assert (
        f"reserved already: reservation {first['reservationId']}, pending until" in body["error"]["message"]
    )
    assert len(calls_to_station(posted)) == 1  # the second was never sent
    other = {"connectorId": 2} if version == "1.6" else {"evseId": 2}
    assert reserve(version, **other)[0] == 201  # another place is free
    whole = {"connectorId": 0} if version == "1.6" else {"evseId": None}
    assert reserve(version, **whole)[0] == 201  # the whole station (the station keeps one free)
    status_code, body = reserve(version, **whole)
    assert status_code == 409 and "The whole station of CP1 is reserved already" in body["error"]["message"]
    # Once the holder ends (refused here), the place takes the next
    station([3, calls_to_station(posted)[0][1], {"status": "Occupied"}])
    assert reserve(version, idToken="TAG2")[0] == 201


def test_a_reservation_past_its_expiry_gives_its_place_way(station, posted, version):
    reserve(version)
    later = utc_now() + timedelta(hours=2)
    with mock.patch("functions.operator_api.routes.reservations.utc_now", return_value=later):
        status_code, _ = reserve(version, expiresAt=format_timestamp(later + timedelta(hours=1)))
    assert status_code == 201  # the schedule had not expired the first yet; the station has


def _pending(reservation_id, place_connector=1):
    now = utc_now()
    return Reservation(
        reservation_id,
        "CP9",
        "TAG",
        now + timedelta(hours=1),
        ReservationState.PENDING,
        now,
        now,
        place_connector,
    )


def test_a_place_is_taken_by_a_conditional_write_so_two_at_once_cannot_both_hold_it(aws):
    """Two requests that both read the place free (or both read its holder ended) race to the
    same write: one takes the place, the other is told who holds it, and stores nothing."""
    assert reservation_records.create_reservation(_pending(1), replacing=None) is None
    assert reservation_records.create_reservation(_pending(2), replacing=None) == 1
    assert reservation_records.find_reservation(2) is None
    reservation_records.transition(1, ReservationState.REFUSED, [ReservationState.PENDING], utc_now())
    assert reservation_records.create_reservation(_pending(3), replacing=1) is None
    assert reservation_records.create_reservation(_pending(4), replacing=1) == 3  # 1 was replaced already
    assert reservation_records.find_reservation(4) is None


def test_a_second_cancel_sends_nothing_and_says_where_the_first_stands(station, posted, version):
    """Once each DELETE sent CancelReservation again."""
    reservation = reserve(version)[1]
    rid = reservation["reservationId"]
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    status_code, first = call_api("DELETE", f"/reservations/{rid}")
    assert status_code == 202 and first["cancelCommandId"] == first["command"]["commandId"]
    status_code, again = call_api("DELETE", f"/reservations/{rid}")
    assert (status_code, again["state"], again["command"]["commandId"]) == (
        200,
        "active",
        first["cancelCommandId"],
    )
    assert [f[2] for f in calls_to_station(posted)] == ["ReserveNow", "CancelReservation"]
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    status_code, done = call_api("DELETE", f"/reservations/{rid}")
    assert (status_code, done["state"]) == (200, "cancelled")
    assert [f[2] for f in calls_to_station(posted)] == ["ReserveNow", "CancelReservation"]


def test_a_cancel_the_station_refused_or_never_answered_may_be_sent_again(station, posted, version):
    rid = reserve(version)[1]["reservationId"]
    station([3, calls_to_station(posted)[-1][1], {"status": "Accepted"}])
    call_api("DELETE", f"/reservations/{rid}")
    station([3, calls_to_station(posted)[-1][1], {"status": "Rejected"}])
    assert call_api("DELETE", f"/reservations/{rid}")[0] == 202
    station([4, calls_to_station(posted)[-1][1], "InternalError", "Busy", {}])
    assert call_api("DELETE", f"/reservations/{rid}")[0] == 202
    assert [f[2] for f in calls_to_station(posted)].count("CancelReservation") == 3


def test_two_cancels_at_once_mark_one_call(aws):
    """The mark is a conditional write: of two DELETEs that both read no cancellation, one sends."""
    reservation_records.create_reservation(_pending(1), replacing=None)
    assert reservation_records.await_cancel(1, "c-1", utc_now(), replacing=None) is not None
    assert reservation_records.await_cancel(1, "c-2", utc_now(), replacing=None) is None
    reservation_records.cancel_settled(1, "c-1")  # refused: the next may go
    assert reservation_records.await_cancel(1, "c-3", utc_now(), replacing=None) is not None
