"""Reservations: asked for by the operator (ReserveNow, with an id the CSMS gives), then living
what the charge point says: its answer, a session that starts on it, its ReservationStatusUpdate
(2.x), a cancellation, and the schedule that expires it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from shared.aws.event_bus import DomainEvent
from shared.data import charge_points, connectors, reservations
from shared.data import commands as command_records
from shared.data.dynamo import Page
from shared.domain.commands import Command, Failure
from shared.domain.errors import ApplicationError, BadRequest, Conflict, NotFound
from shared.domain.reservations import UPDATE_STATES, Reservation, ReservationState
from shared.domain.timestamps import format_timestamp
from shared.grants import grants
from shared.observability import logger
from shared.protocol.reservations import reservations_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "commands", "connectors", "reservation-places", "reservations"),
    writes=("counters", "reservation-places", "reservations"),
    indexes=("reservations/by-charge-point", "reservations/open"),
)

OPEN = (ReservationState.PENDING, ReservationState.ACTIVE)
# How long a request may take between marking a cancellation and storing its command.
SENDING = timedelta(minutes=1)


def reserve(
    charge_point_id: str,
    id_token: str,
    expires_at: datetime,
    now: datetime,
    connector_id: int | None = None,
    evse_id: int | None = None,
    id_token_type: str = "ISO14443",
    parent_id_token: str | None = None,
) -> tuple[Reservation, Command]:
    """Stored (pending), then ReserveNow: the answer makes it active or refused."""
    charge_point = commands.connected(charge_point_id)
    if expires_at <= now:
        raise BadRequest("expiresAt must be in the future")
    _check_place(charge_point_id, connector_id, evse_id)
    reservation = Reservation(
        reservation_id=reservations.next_reservation_id(),
        charge_point_id=charge_point_id,
        id_token=id_token,
        expires_at=expires_at,
        state=ReservationState.PENDING,
        created_at=now,
        updated_at=now,
        connector_id=connector_id,
        evse_id=evse_id,
        id_token_type=id_token_type,
        parent_id_token=parent_id_token,
    )
    reservation = replace(reservation, command_id=commands.new_command_id())
    _store(reservation, now)
    intent = reservations_codec(commands.profile_of(charge_point)).reserve(reservation)
    try:
        command = commands.submit_to(charge_point, intent, None, now, reservation.command_id)
    except ApplicationError as error:
        reservations.transition(
            reservation.reservation_id, ReservationState.REFUSED, OPEN, now, reason=error.message
        )
        raise
    return reservation, command


def _store(reservation: Reservation, now: datetime) -> None:
    """Stored with its place taken: one open reservation per connector, EVSE or whole station
    (409 naming the one that holds it). A holder that ended, or whose expiry passed, gives way."""
    replacing = None
    for _ in range(3):  # another request may replace the same ended holder first
        holder = reservations.create_reservation(reservation, replacing)
        if holder is None:
            return
        held = reservations.find_reservation(holder)
        if held is not None and held.state.open and held.expires_at > now:
            raise Conflict(
                f"{held.place.capitalize()} of {held.charge_point_id} is reserved already: reservation "
                f"{held.reservation_id}, {held.state.value} until {format_timestamp(held.expires_at)}"
            )
        replacing = holder
    raise Conflict(
        f"{reservation.place.capitalize()} of {reservation.charge_point_id} is being reserved; try again"
    )


def _check_place(charge_point_id: str, connector_id: int | None, evse_id: int | None) -> None:
    """A connector or EVSE the charge point has reported (when it has reported any)."""
    known = list(connectors.connectors_of(charge_point_id))
    if not known:
        return
    if connector_id is not None and connector_id != 0 and connector_id not in {c.connector_id for c in known}:
        raise BadRequest(f"Charge point {charge_point_id} has no connector {connector_id}")
    if evse_id is not None and evse_id not in {c.evse_id for c in known if c.evse_id is not None}:
        raise BadRequest(f"Charge point {charge_point_id} has no EVSE {evse_id}")


@dataclass(frozen=True)
class Cancellation:
    reservation: Reservation
    command: Command | None  # the CancelReservation sent now, or the one sent before
    sent: bool  # False: cancelled already, or a cancellation waits for its answer


def cancel(reservation_id: int, now: datetime) -> Cancellation:
    """CancelReservation, once: while one waits for its answer, or once the reservation is
    cancelled, a DELETE sends nothing and tells where it stands. Its answer cancels it."""
    reservation = reservation_of(reservation_id)
    as_is = _cancelling(reservation, now)
    if as_is is not None:
        return as_is
    if not reservation.state.open:
        raise Conflict(f"Reservation {reservation_id} is {reservation.state.value}")
    charge_point = commands.connected(reservation.charge_point_id)
    command_id = commands.new_command_id()
    marked = reservations.await_cancel(reservation_id, command_id, now, reservation.cancel_command_id)
    if marked is None:  # another DELETE came first, or the reservation ended meanwhile
        reservation = reservation_of(reservation_id)
        as_is = _cancelling(reservation, now)
        if as_is is not None:
            return as_is
        raise Conflict(f"Reservation {reservation_id} is {reservation.state.value}")
    intent = reservations_codec(commands.profile_of(charge_point)).cancel_reservation(reservation_id)
    try:
        command = commands.submit_to(charge_point, intent, None, now, command_id)
    except ApplicationError:
        reservations.cancel_settled(reservation_id, command_id)
        raise
    return Cancellation(marked, command, sent=True)


def _cancelling(reservation: Reservation, now: datetime) -> Cancellation | None:
    """A cancellation already done or on its way, as a second DELETE answers it; None when a
    CancelReservation is to be sent (none was, or the last settled without cancelling it)."""
    command_id = reservation.cancel_command_id
    command = None if command_id is None else command_records.find_command(command_id)
    if reservation.state is ReservationState.CANCELLED:
        return Cancellation(reservation, command, sent=False)
    if not reservation.state.open or command_id is None:
        return None
    if command is not None and not command.status.final:
        return Cancellation(reservation, command, sent=False)
    # Marked, but its command not stored yet: being sent by another request right now (or lost
    # with a request that stopped between the two writes, when the mark is older than that).
    if command is None and reservation.updated_at > now - SENDING:
        return Cancellation(reservation, None, sent=False)
    return None


@answers.keeps("ReserveNow", "CancelReservation")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """ReserveNow: Accepted makes it active, anything else refused. CancelReservation:
    Accepted cancels it (Rejected: the charge point does not know it, and it stays)."""
    answer = reservations_codec(profile_for(command.ocpp_version)).reservation_answer(command, response)
    if answer is None:
        return
    reservation_id, status = answer
    cp = command.charge_point_id
    if command.action == "ReserveNow":
        to = ReservationState.ACTIVE if status == "Accepted" else ReservationState.REFUSED
        changed = reservations.transition(
            reservation_id, to, (ReservationState.PENDING,), now, cp, answer=status, reason=None
        )
    elif status == "Accepted":
        changed = reservations.transition(
            reservation_id, ReservationState.CANCELLED, OPEN, now, cp, reason="CancelReservation"
        )
    else:
        reservations.cancel_settled(reservation_id, command.command_id)
        changed = None
    _published(changed)


@answers.ends("CancelReservation")
def cancel_failed(command: Command, failure: Failure, now: datetime) -> None:
    """A CancelReservation with no answer: the reservation stays as it was, and the next DELETE
    may send another."""
    answer = reservations_codec(profile_for(command.ocpp_version)).reservation_answer(command, {"status": ""})
    if answer is not None:
        reservations.cancel_settled(answer[0], command.command_id)


@answers.ends("ReserveNow")
def unanswered(command: Command, failure: Failure, now: datetime) -> None:
    """A ReserveNow that failed (a CALLERROR, a timeout, the connection lost): refused, with why,
    rather than pending until its expiry."""
    codec = reservations_codec(profile_for(command.ocpp_version))
    answer = codec.reservation_answer(command, {"status": failure.code})
    if answer is not None:
        changed = reservations.transition(
            answer[0],
            ReservationState.REFUSED,
            (ReservationState.PENDING,),
            now,
            command.charge_point_id,
            answer=failure.code,
            reason=failure.description,
        )
        _published(changed)


def used(charge_point_id: str, reservation_id: int, transaction_id: str, at: datetime) -> None:
    """A session started on the reservation (1 write, only for a start that names one)."""
    changed = reservations.transition(
        reservation_id, ReservationState.USED, OPEN, at, charge_point_id, transaction_id=transaction_id
    )
    if changed is None:
        logger.info("A start named a reservation not open", extra={"reservation_id": reservation_id})
    _published(changed)


def status_updated(charge_point_id: str, reservation_id: int, status: str, at: datetime) -> None:
    """2.x ReservationStatusUpdate: Expired, Removed (or 2.1's NoTransaction)."""
    to = UPDATE_STATES.get(status, ReservationState.EXPIRED)
    changed = reservations.transition(reservation_id, to, OPEN, at, charge_point_id, reason=status)
    _published(changed)


def expire(now: datetime) -> int:
    """The schedule: open reservations past their expiry end (a charge point drops them then
    too, and 1.6 tells nothing of it)."""
    ended = 0
    for reservation in reservations.expired_by(now):
        changed = reservations.transition(
            reservation.reservation_id, ReservationState.EXPIRED, OPEN, now, reason="expiresAt passed"
        )
        if changed is not None:
            ended += 1
            _published(changed)
    return ended


def reservation_of(reservation_id: int) -> Reservation:
    found = reservations.find_reservation(reservation_id)
    if found is None:
        raise NotFound(f"Reservation {reservation_id}")
    return found


def reservations_of(charge_point_id: str, limit: int, next_token: str | None) -> Page[Reservation]:
    charge_points.registered_charge_point(charge_point_id)
    return reservations.reservations_of(charge_point_id, limit, next_token)


def _published(reservation: Reservation | None) -> None:
    if reservation is not None:
        publish(
            DomainEvent.RESERVATION_CHANGED,
            {
                "reservation_id": reservation.reservation_id,
                "charge_point_id": reservation.charge_point_id,
                "state": reservation.state.value,
                "id_token": reservation.id_token,
                "connector_id": reservation.connector_id,
                "evse_id": reservation.evse_id,
                "expires_at": reservation.expires_at,
                "transaction_id": reservation.transaction_id,
                "reason": reservation.reason,
                "at": reservation.updated_at,
            },
        )
