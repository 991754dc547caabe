"""Reservation records: one per reservation, by the id the CSMS gave it; listed per charge
point, and the open ones by when they expire. Beside them, which reservation holds each place
(connector, EVSE, whole station) of a charge point."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data.counters import next_value
from shared.data.dynamo import (
    Page,
    cancelled_by_condition,
    condition_failed,
    connection,
    key_names,
    page_of,
    resume_from,
    set_or_remove,
)
from shared.data.tables import OnDemand
from shared.domain.reservations import Reservation, ReservationState
from shared.domain.timestamps import format_timestamp


class _ReservationsByChargePoint(GlobalSecondaryIndex["ReservationRecord"]):
    """A charge point's reservations, newest first."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    created_key = UnicodeAttribute(range_key=True)


class _OpenReservations(GlobalSecondaryIndex["ReservationRecord"]):
    """Sparse: reservations pending or active, by when they expire."""

    class Meta:
        index_name = "open"
        projection = AllProjection()

    open = UnicodeAttribute(hash_key=True)
    expires_key = UnicodeAttribute(range_key=True)


class ReservationRecord(Model):
    """A reservation, by the id the CSMS gave it (unique across the fleet)."""

    class Meta(OnDemand, table="reservations"): ...

    reservation_id = NumberAttribute(hash_key=True)
    charge_point_id = UnicodeAttribute()
    created_key = UnicodeAttribute()
    expires_key = UnicodeAttribute()
    open = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    id_token = UnicodeAttribute()
    id_token_type = UnicodeAttribute()
    parent_id_token = UnicodeAttribute(null=True)
    connector_id = NumberAttribute(null=True)
    evse_id = NumberAttribute(null=True)
    answer = UnicodeAttribute(null=True)
    command_id = UnicodeAttribute(null=True)
    transaction_id = UnicodeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    cancel_command_id = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    by_charge_point = _ReservationsByChargePoint()
    open_by_expiry = _OpenReservations()


class ReservationPlaceRecord(Model):
    """The reservation that last took a place of a charge point. Taken by a conditional write
    with the reservation itself, so that two requests at once cannot both reserve it; a holder
    no longer open is replaced by the next (nothing frees a place on the charging path)."""

    class Meta(OnDemand, table="reservation-places"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    place = UnicodeAttribute(range_key=True)
    reservation_id = NumberAttribute()


RESERVATION_COUNTER = "reservation-id"
_OPEN_STATES = [state.value for state in ReservationState if state.open]
_OPEN = "open"
_BY_CHARGE_POINT = key_names(ReservationRecord, ReservationRecord.by_charge_point)


def next_reservation_id() -> int:
    """1 write. OCPP's reservation ids are integers; this makes them unique across the fleet."""
    return next_value(RESERVATION_COUNTER)


def create_reservation(reservation: Reservation, replacing: int | None) -> int | None:
    """1 transaction of 2 writes: the reservation, and its place taken from no one, or from
    `replacing` (a holder no longer open). Neither is written when the place has another holder:
    then 1 read more, and that holder's id is returned (None when stored)."""
    holder = ReservationPlaceRecord.reservation_id
    place = ReservationPlaceRecord(
        reservation.charge_point_id, reservation.place, reservation_id=reservation.reservation_id
    )
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(
                place, condition=holder.does_not_exist() if replacing is None else holder == replacing
            )
            transaction.save(
                _record(reservation), condition=ReservationRecord.reservation_id.does_not_exist()
            )
    except TransactWriteError as error:
        if cancelled_by_condition(error)[:1] != [True]:
            raise
        found = ReservationPlaceRecord.get(
            reservation.charge_point_id, reservation.place, consistent_read=True
        )
        return int(found.reservation_id)
    return None


def _record(reservation: Reservation) -> ReservationRecord:
    return ReservationRecord(
        reservation.reservation_id,
        charge_point_id=reservation.charge_point_id,
        created_key=format_timestamp(reservation.created_at),
        expires_key=format_timestamp(reservation.expires_at),
        open=_OPEN if reservation.state.open else None,
        state=reservation.state.value,
        id_token=reservation.id_token,
        id_token_type=reservation.id_token_type,
        parent_id_token=reservation.parent_id_token,
        connector_id=reservation.connector_id,
        evse_id=reservation.evse_id,
        command_id=reservation.command_id,
        updated_at=reservation.updated_at,
    )


def find_reservation(reservation_id: int) -> Reservation | None:
    """1 read."""
    try:
        return _reservation(ReservationRecord.get(reservation_id))
    except ReservationRecord.DoesNotExist:
        return None


def transition(
    reservation_id: int,
    to: ReservationState,
    from_states: Iterable[ReservationState],
    at: datetime,
    charge_point_id: str | None = None,
    **fields: Any,
) -> Reservation | None:
    """1 write: the new state, only from one of `from_states` (and of this charge point, when
    given); None when it was in none of them (a resend, a late answer, another's id)."""
    record, attrs = ReservationRecord(reservation_id), ReservationRecord
    condition = attrs.state.is_in(*(s.value for s in from_states))
    if charge_point_id is not None:
        condition &= attrs.charge_point_id == charge_point_id
    actions = [
        attrs.state.set(to.value),
        set_or_remove(attrs.open, _OPEN if to.open else None),
        attrs.updated_at.set(at),
        *(set_or_remove(getattr(attrs, name), value) for name, value in fields.items()),
    ]
    try:
        record.update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return _reservation(record)


def await_cancel(
    reservation_id: int, command_id: str, at: datetime, replacing: str | None
) -> Reservation | None:
    """1 conditional write: the CancelReservation about to be sent, only while the reservation is
    open and no other is awaited (or the one awaited is `replacing`, settled without cancelling
    it), so that two DELETEs at once send one call. None when another came first."""
    record, attrs = ReservationRecord(reservation_id), ReservationRecord
    awaited = attrs.cancel_command_id
    condition = attrs.state.is_in(*_OPEN_STATES) & (
        awaited.does_not_exist() if replacing is None else awaited == replacing
    )
    try:
        record.update(actions=[awaited.set(command_id), attrs.updated_at.set(at)], condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return _reservation(record)


def cancel_settled(reservation_id: int, command_id: str) -> None:
    """1 conditional write: a CancelReservation that did not cancel (refused, failed, never
    sent) is no longer awaited, so that the next DELETE sends another."""
    attrs = ReservationRecord
    condition = (attrs.cancel_command_id == command_id) & attrs.state.is_in(*_OPEN_STATES)
    try:
        ReservationRecord(reservation_id).update(
            actions=[attrs.cancel_command_id.remove()], condition=condition
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def reservations_of(charge_point_id: str, limit: int, next_token: str | None) -> Page[Reservation]:
    """1 query, newest first."""
    results = ReservationRecord.by_charge_point.query(
        charge_point_id,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=resume_from(next_token, charge_point_id, _BY_CHARGE_POINT),
    )
    return page_of(results, limit, charge_point_id, _reservation)


def expired_by(now: datetime) -> list[Reservation]:
    """1 query of the sparse open index: those past their expiry."""
    results = ReservationRecord.open_by_expiry.query(
        _OPEN, ReservationRecord.expires_key <= format_timestamp(now)
    )
    return [_reservation(record) for record in results]


def _reservation(record: ReservationRecord) -> Reservation:
    return Reservation(
        reservation_id=int(record.reservation_id),
        charge_point_id=record.charge_point_id,
        id_token=record.id_token,
        expires_at=datetime.fromisoformat(record.expires_key),
        state=ReservationState(record.state),
        created_at=datetime.fromisoformat(record.created_key),
        updated_at=record.updated_at,
        connector_id=None if record.connector_id is None else int(record.connector_id),
        evse_id=None if record.evse_id is None else int(record.evse_id),
        id_token_type=record.id_token_type,
        parent_id_token=record.parent_id_token,
        answer=record.answer,
        command_id=record.command_id,
        transaction_id=record.transaction_id,
        reason=record.reason,
        cancel_command_id=record.cancel_command_id,
    )
