"""Charging sessions, stored so that a resent or reordered message never counts twice. What
charge points report about them over time is kept by shared.data.session_events, which the
block's use cases reach through this module too. Costs are noted per function."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex, KeysOnlyProjection
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data import charge_points, tenancy
from shared.data.counters import next_value
from shared.data.dynamo import (
    Page,
    condition_failed,
    connection,
    decode_token,
    encode_token,
    key_names,
    page_of,
    read,
    resume_from,
    start_key,
)
from shared.data.session_events import register_readings, session_stream
from shared.data.tables import OnDemand
from shared.domain.errors import BadPageToken
from shared.domain.meter_values import ENERGY_REGISTER, MeterValue, Sample
from shared.domain.sites import ChargingNeeds
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import (
    SessionFilter,
    SessionKey,
    SessionStart,
    SessionStop,
    SessionSummary,
    UnknownTransaction,
    session_energy,
)


class _ByChargePoint(GlobalSecondaryIndex["TransactionRecord"]):
    """A charge point's sessions, newest first."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class _ByYear(GlobalSecondaryIndex["TransactionRecord"]):
    """Every session, newest first, one partition per year of start."""

    class Meta:
        index_name = "by-year"
        projection = AllProjection()

    started_year = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class _Active(GlobalSecondaryIndex["TransactionRecord"]):
    """Sparse: only sessions not yet ended carry `active`."""

    class Meta:
        index_name = "active"
        projection = AllProjection()

    active = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class _ByIdToken(GlobalSecondaryIndex["TransactionRecord"]):
    """A card's sessions, newest first, for its driver's account. Keys only: written when a
    session starts with the card, not on each of its updates."""

    class Meta:
        index_name = "by-id-token"
        projection = KeysOnlyProjection()

    id_token = UnicodeAttribute(hash_key=True)
    started_at = UnicodeAttribute(range_key=True)


class TransactionRecord(Model):
    """One charging session. The id is the one the charge point knows: assigned by the CSMS in
    OCPP 1.6 (unique), by the charge point in 2.x (unique per charge point, hence the range key).

    Fields are owned by the message that sets them (start fields by StartTransaction or
    TransactionEvent(Started), stop fields by StopTransaction or Ended), so that messages
    merged in any order give the same session. Timestamps that index it are ISO strings.
    """

    class Meta(OnDemand, table="transactions"): ...

    transaction_id = UnicodeAttribute(hash_key=True)
    charge_point_id = UnicodeAttribute(range_key=True)
    ocpp_version = UnicodeAttribute()
    evse_id = NumberAttribute(null=True)
    connector_id = NumberAttribute(null=True)
    id_token = UnicodeAttribute(null=True)
    id_token_type = UnicodeAttribute(null=True)
    started_at = UnicodeAttribute()
    started_year = UnicodeAttribute()
    start_seen = BooleanAttribute(default=False)  # False until the start message itself arrived
    start_seq = NumberAttribute(null=True)  # 2.x: the seqNo of the Started that set the start
    meter_start_wh = NumberAttribute(null=True)
    stopped_at = UnicodeAttribute(null=True)
    meter_stop_wh = NumberAttribute(null=True)
    stop_reason = UnicodeAttribute(null=True)
    stop_id_token = UnicodeAttribute(null=True)
    active = UnicodeAttribute(null=True)
    remote_start_id = NumberAttribute(null=True)
    # Its charge point's tenant as it started; absent on sessions from before: the charge point's
    tenant_id = UnicodeAttribute(null=True)
    tariff = JSONAttribute(null=True)  # the tariff in force when it started, as it was then
    cost_sent = UnicodeAttribute(null=True)  # the running cost last sent in CostUpdated
    cost_sent_at = UTCDateTimeAttribute(null=True)
    station_cost = JSONAttribute(null=True)  # 2.1 costDetails, from the latest event giving them
    station_cost_seq = NumberAttribute(null=True)
    ev_max_amps = NumberAttribute(null=True)  # what the EV can take, from its charging needs
    charging_needs = JSONAttribute(null=True)
    priority_charging = BooleanAttribute(null=True)  # 2.1: whether its priority is on, as last told
    priority_charging_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    by_charge_point = _ByChargePoint()
    by_year = _ByYear()
    active_sessions = _Active()
    by_id_token = _ByIdToken()


class TransactionStartRecord(Model):
    """OCPP 1.6 only: which transactionId a StartTransaction got, so that its resend gets the
    same one. Keyed by the start's natural key (charge point, connector, idTag, timestamp,
    meterStart)."""

    class Meta(OnDemand, table="transaction-starts"): ...

    start_key = UnicodeAttribute(hash_key=True)
    transaction_id = UnicodeAttribute()
    expires_at = TTLAttribute()


ACTIVE = "1"
TRANSACTION_COUNTER = "transaction-id"
# A 1.6 charge point may resend a StartTransaction after days offline; its key is kept longer.
START_KEY_LIFETIME = timedelta(days=60)
# Sessions are listed year by year back to this one (OCPP 1.6 is from 2015).
EARLIEST_YEAR = 2010


# --- Sessions ----------------------------------------------------------------------------


def find_start(start_key: str) -> str | None:
    """1 read. The transaction id an OCPP 1.6 start with this natural key got, if any."""
    try:
        return TransactionStartRecord.get(start_key).transaction_id
    except TransactionStartRecord.DoesNotExist:
        return None


def next_transaction_id() -> int:
    """1 write: an atomic counter, so ids are unique across the fleet."""
    return next_value(TRANSACTION_COUNTER)


def _start_actions(
    ocpp_version: str, start: SessionStart, at: datetime, tariff: dict[str, Any] | None, tenant_id: str | None
) -> list[Action]:
    fields = TransactionRecord
    started_at = format_timestamp(start.timestamp)
    actions: list[Action] = [
        fields.ocpp_version.set(ocpp_version),
        fields.started_at.set(started_at),
        fields.started_year.set(started_at[:4]),
        fields.start_seen.set(True),
        fields.updated_at.set(at),
    ]
    optional = [
        *_where_and_who(start),
        (fields.meter_start_wh, start.meter_start_wh),
        (fields.remote_start_id, start.remote_start_id),
    ]
    actions += [attribute.set(value) for attribute, value in optional if value is not None]
    return actions + _priced_by(tariff) + _stamped(tenant_id)


def _stamped(tenant_id: str | None) -> list[Action]:
    """Whose the session is, once: from its first message that says (None: it says nothing)."""
    field = TransactionRecord.tenant_id
    return [] if tenant_id is None else [field.set(field | tenant_id)]


def visible_session(record: TransactionRecord, seen: Callable[[str], bool]) -> bool:
    """Whether a session is the scope's: by its stamp, free; a session from before stamps by its
    charge point (`seen`: 1 read)."""
    return tenancy.visible(record.tenant_id) if record.tenant_id else seen(record.charge_point_id)


def _priced_by(tariff: dict[str, Any] | None) -> list[Action]:
    """The tariff a session is priced by: the first one given (a resend, or a start that comes
    after its end, keeps it)."""
    return [] if tariff is None else [TransactionRecord.tariff.set(TransactionRecord.tariff | tariff)]


def _where_and_who(start: SessionStart) -> list[tuple[Any, Any]]:
    """The session's EVSE, connector and token, as a start (or an end message) tells them."""
    fields = TransactionRecord
    token = start.id_token
    return [
        (fields.evse_id, start.evse_id),
        (fields.connector_id, start.connector_id),
        (fields.id_token, token.value if token else None),
        (fields.id_token_type, token.type if token else None),
    ]


class AssignedStart(Enum):
    STORED = "stored"
    RESENT = "resent"  # a copy of this start, handled at the same moment, got there first
    ID_IN_USE = "id-in-use"  # the id names a session already: never reused


def record_assigned_start(
    charge_point_id: str,
    ocpp_version: str,
    start: SessionStart,
    start_key: str,
    at: datetime,
    tariff: dict[str, Any] | None = None,
    tenant_id: str | None = None,
) -> AssignedStart:
    """1 transaction of 2 writes: the session and its start key, together or not at all, and
    only onto a session id that names nothing yet."""
    transaction_id = start.transaction_id
    assert transaction_id is not None
    session = TransactionRecord(transaction_id, charge_point_id)
    actions = [
        *_start_actions(ocpp_version, start, at, tariff, tenant_id),
        TransactionRecord.active.set(ACTIVE),
    ]
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(
                TransactionStartRecord(
                    start_key, transaction_id=transaction_id, expires_at=at + START_KEY_LIFETIME
                ),
                condition=TransactionStartRecord.start_key.does_not_exist(),
            )
            transaction.update(
                session, actions=actions, condition=TransactionRecord.transaction_id.does_not_exist()
            )
    except TransactWriteError as error:
        failed = [
            r is not None and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []
        ]
        if failed and failed[0]:
            return AssignedStart.RESENT
        if len(failed) > 1 and failed[1]:
            return AssignedStart.ID_IN_USE
        raise
    return AssignedStart.STORED


def record_start(
    charge_point_id: str,
    ocpp_version: str,
    start: SessionStart,
    at: datetime,
    tariff: dict[str, Any] | None = None,
    seq_no: int | None = None,
    tenant_id: str | None = None,
) -> bool:
    """1 write (2 when the session had already ended: its end arrived first; 3 for a Started
    later than the one that set the start). Idempotent. The start's time and meter reading are
    the earliest Started's (the lowest seqNo): a later one only fills in what the session does
    not know yet. Returns whether this message set the start."""
    assert start.transaction_id is not None
    fields = TransactionRecord
    session = TransactionRecord(start.transaction_id, charge_point_id)
    actions = _start_actions(ocpp_version, start, at, tariff, tenant_id)
    if seq_no is not None:
        actions.append(fields.start_seq.set(seq_no))
    first = fields.start_seen.does_not_exist() | (fields.start_seen == False)  # noqa: E712
    sets_start = first | (fields.start_seq >= seq_no) if seq_no is not None else first
    try:
        session.update(
            actions=[*actions, fields.active.set(ACTIVE)],
            condition=fields.stopped_at.does_not_exist() & sets_start,
        )
        return True
    except UpdateError as error:
        if not condition_failed(error):
            raise
    try:
        session.update(actions=actions, condition=sets_start)
        return True
    except UpdateError as error:
        if not condition_failed(error):
            raise
    # A later Started: what the earliest one did not say, and nothing else.
    known = [
        *_where_and_who(start),
        (fields.meter_start_wh, start.meter_start_wh),
        (fields.remote_start_id, start.remote_start_id),
    ]
    session.update(
        actions=[
            *[attribute.set(attribute | value) for attribute, value in known if value is not None],
            *_priced_by(tariff),
            *_stamped(tenant_id),
            fields.updated_at.set(at),
        ]
    )
    return False


def record_stop(
    charge_point_id: str,
    ocpp_version: str,
    stop: SessionStop,
    at: datetime,
    start: SessionStart | None = None,
    assigned_only: bool = False,
    tariff: dict[str, Any] | None = None,
    tenant_id: str | None = None,
) -> TransactionRecord | None:
    """1 write. Ends the session, creating it if its start never arrived, unless
    `assigned_only` (an id the CSMS assigned must name a session of this charge point, else
    UnknownTransaction, with 1 read to tell it from a resend). None when it had already ended
    (a resend): then nothing changes. `start` carries what an end message knows of the start
    (2.x: the EVSE and token), kept where the start did not say."""
    fields = TransactionRecord
    stopped_at = format_timestamp(stop.timestamp)
    actions: list[Action] = [
        fields.stopped_at.set(stopped_at),
        fields.active.remove(),
        fields.started_at.set(fields.started_at | stopped_at),
        fields.started_year.set(fields.started_year | stopped_at[:4]),
        fields.ocpp_version.set(fields.ocpp_version | ocpp_version),
        fields.updated_at.set(at),
    ]
    optional: list[tuple[Any, Any]] = [
        (fields.meter_stop_wh, stop.meter_stop_wh),
        (fields.stop_reason, stop.reason),
        (fields.stop_id_token, stop.id_token.value if stop.id_token else None),
    ]
    actions += [attribute.set(value) for attribute, value in optional if value is not None]
    if start is not None:  # kept only where the start did not say
        known = _where_and_who(start)
        actions += [attribute.set(attribute | value) for attribute, value in known if value is not None]
    actions += _priced_by(tariff) + _stamped(tenant_id)
    session = TransactionRecord(stop.transaction_id, charge_point_id)
    condition = fields.stopped_at.does_not_exist()
    if assigned_only:
        condition &= fields.transaction_id.exists()
    try:
        session.update(actions=actions, condition=condition)
    except UpdateError as error:
        if not condition_failed(error):
            raise
        if assigned_only and not is_session_of(charge_point_id, stop.transaction_id):
            raise UnknownTransaction(stop.transaction_id) from None
        return None
    return session


def is_session_of(charge_point_id: str, transaction_id: str) -> bool:
    """1 read: whether the id names a session of this charge point."""
    try:
        TransactionRecord.get(transaction_id, charge_point_id, attributes_to_get=["transaction_id"])
    except TransactionRecord.DoesNotExist:
        return False
    return True


def find_sessions(transaction_id: str, charge_point_id: str | None = None) -> list[TransactionRecord]:
    """1 query. A 1.6 id is unique; 2.x ids are unique per charge point only."""
    condition = None if charge_point_id is None else TransactionRecord.charge_point_id == charge_point_id
    return list(TransactionRecord.query(transaction_id, range_key_condition=condition))


def sessions_of_card(id_token: str, low: datetime, high: datetime, limit: int) -> list[SessionKey]:
    """1 query of the card's index: the keys of up to `limit` of its sessions started in
    [low, high], newest first."""
    window = TransactionRecord.started_at.between(format_timestamp(low), format_timestamp(high))
    query = TransactionRecord.by_id_token.query(
        id_token, range_key_condition=window, scan_index_forward=False, limit=limit
    )
    return [SessionKey(r.started_at, r.charge_point_id, r.transaction_id) for r in query]


def sessions_by_key(keys: list[SessionKey]) -> list[TransactionRecord]:
    """1 batch read per 100 keys, in the keys' order (a key whose session is gone is left out)."""
    found = {
        (r.charge_point_id, r.transaction_id): r
        for r in TransactionRecord.batch_get([(key.transaction_id, key.charge_point_id) for key in keys])
    }
    return [
        found[key.charge_point_id, key.transaction_id]
        for key in keys
        if (key.charge_point_id, key.transaction_id) in found
    ]


def sessions_in_progress(charge_point_id: str) -> dict[tuple[int | None, int | None], str]:
    """1 query: (EVSE, connector) -> the transaction id of the session in progress there."""
    query = TransactionRecord.by_charge_point.query(
        charge_point_id, filter_condition=TransactionRecord.active.exists(), scan_index_forward=False
    )
    return {(_int(r.evse_id), _int(r.connector_id)): r.transaction_id for r in query}


def active_sessions(charge_point_id: str) -> list[TransactionRecord]:
    """1 query: the charge point's sessions in progress."""
    return list(
        TransactionRecord.by_charge_point.query(
            charge_point_id, filter_condition=TransactionRecord.active.exists()
        )
    )


def sessions_between(charge_point_id: str, low: datetime, high: datetime) -> list[TransactionRecord]:
    """1 query: the charge point's sessions that started in [low, high]."""
    window = TransactionRecord.started_at.between(format_timestamp(low), format_timestamp(high))
    return list(TransactionRecord.by_charge_point.query(charge_point_id, range_key_condition=window))


def sessions_overlapping(charge_point_id: str, low: datetime, high: datetime) -> list[TransactionRecord]:
    """1 query: the charge point's sessions that ran at some moment in [low, high] (those that
    began up to a day before `low` are looked at)."""
    return [
        r
        for r in sessions_between(charge_point_id, low - timedelta(days=1), high)
        if r.stopped_at is None or datetime.fromisoformat(r.stopped_at) >= low
    ]


def start_and_stop_readings(record: TransactionRecord) -> list[MeterValue]:
    """The registers a session's start and stop gave, as readings."""
    found = []
    for at, wh in ((record.started_at, record.meter_start_wh), (record.stopped_at, record.meter_stop_wh)):
        if at is not None and wh is not None:
            sample = Sample(value=float(wh), measurand=ENERGY_REGISTER, unit="Wh")
            found.append(MeterValue(datetime.fromisoformat(at), (sample,)))
    return found


def list_sessions(
    wanted: SessionFilter, limit: int, next_token: str | None = None
) -> Page[TransactionRecord]:
    """Newest first. In a tenant's scope, other tenants' sessions are left out, and the listing
    is read on until the page is full (tenancy.filled; 1 read more per charge point met in a
    session from before sessions were stamped with their tenant)."""
    if tenancy.scope() is None:
        return _sessions_page(wanted, limit, next_token)
    seen = charge_points.seen_in_scope()
    return tenancy.filled(
        lambda wanted_now, token: _sessions_page(wanted, wanted_now, token),
        lambda record: visible_session(record, seen),
        limit,
        next_token,
    )


def _sessions_page(wanted: SessionFilter, limit: int, next_token: str | None) -> Page[TransactionRecord]:
    """Newest first. One query per page for a charge point or the active sessions; otherwise
    one per year walked back (sessions are indexed by the year they started)."""
    fields = TransactionRecord
    charge_point_id, active = wanted.charge_point_id, wanted.active
    started_from, started_to = wanted.started_from, wanted.started_to
    low = format_timestamp(started_from) if started_from else f"{EARLIEST_YEAR:04d}"
    high = format_timestamp(started_to) if started_to else "9999"
    window = fields.started_at.between(low, high)
    filters: Condition | None = None
    if active is True:
        filters = fields.active.exists()
    elif active is False:
        filters = fields.active.does_not_exist()
    if wanted.id_token is not None:
        same_token = fields.id_token == wanted.id_token
        filters = same_token if filters is None else filters & same_token

    def query(index: Any, partition: str, start: dict[str, Any] | None, wanted: int) -> Any:
        return index.query(
            partition,
            range_key_condition=window,
            filter_condition=filters,
            scan_index_forward=False,
            limit=wanted,
            last_evaluated_key=start,
        )

    if charge_point_id is not None or active is True:
        index, partition = (
            (fields.by_charge_point, charge_point_id)
            if charge_point_id is not None
            else (fields.active_sessions, ACTIVE)
        )
        listing = f"sessions/{index.Meta.index_name}/{partition}"
        start = resume_from(next_token, listing, key_names(TransactionRecord, index))
        return page_of(query(index, partition, start, limit), limit, listing)

    # Year by year, newest first: from the latest year a session can have started in (a charge
    # point's clock may run a little ahead), so that a wide range costs no more than a narrow one.
    first_year = max(started_from.year if started_from else EARLIEST_YEAR, EARLIEST_YEAR)
    last_year = min(started_to.year if started_to else 9999, datetime.now(UTC).year + 1)
    year, start = last_year, None
    if next_token:
        position = decode_token(next_token, {"of", "year", "key"})
        year, start = position["year"], position["key"]
        if (
            position["of"] != "sessions/by-year"
            or type(year) is not int
            or not first_year <= year <= last_year
        ):
            raise BadPageToken()
        start = None if start is None else start_key(start, key_names(TransactionRecord, fields.by_year))
    items: list[TransactionRecord] = []
    while year >= first_year:
        results = query(fields.by_year, f"{year:04d}", start, limit - len(items))
        items += read(results)
        start = results.last_evaluated_key
        if len(items) == limit:
            if start:
                return Page(items, encode_token({"of": "sessions/by-year", "year": year, "key": start}))
            more = year - 1 >= first_year
            next_year = {"of": "sessions/by-year", "year": year - 1, "key": None}
            return Page(items, encode_token(next_year) if more else None)
        year, start = year - 1, None
    return Page(items, None)


def summarise(
    record: TransactionRecord, readings: list[MeterValue] | None = None, charging_state: str | None = None
) -> SessionSummary:
    """A session with its energy. Without `readings`, a register the session's messages did not
    give (the stop of one in progress, the start of one whose start never arrived) comes from
    the sampled values at that end: a query per unknown register."""
    start, stop = record.meter_start_wh, record.meter_stop_wh
    if readings is None:
        stream = session_stream(record.charge_point_id, record.transaction_id)
        readings = register_readings(stream, first=start is None, last=stop is None)
    energy = session_energy(start, stop, readings)
    return SessionSummary(
        transaction_id=record.transaction_id,
        charge_point_id=record.charge_point_id,
        ocpp_version=record.ocpp_version,
        evse_id=_int(record.evse_id),
        connector_id=_int(record.connector_id),
        id_token=record.id_token,
        id_token_type=record.id_token_type,
        started_at=datetime.fromisoformat(record.started_at),
        stopped_at=datetime.fromisoformat(record.stopped_at) if record.stopped_at else None,
        meter_start_wh=energy.start_wh,
        meter_stop_wh=energy.stop_wh,
        energy_wh=energy.energy_wh,
        stop_reason=record.stop_reason,
        active=record.active is not None,
        remote_start_id=_int(record.remote_start_id),
        charging_state=charging_state,
        tariff_id=None if record.tariff is None else record.tariff.get("tariffId"),
    )


def _int(value: float | None) -> int | None:
    return None if value is None else int(value)


def find_session(charge_point_id: str, transaction_id: str) -> TransactionRecord | None:
    """1 read."""
    try:
        return TransactionRecord.get(transaction_id, charge_point_id)
    except TransactionRecord.DoesNotExist:
        return None


def mark_cost_sent(
    charge_point_id: str, transaction_id: str, before: str | None, cost: str, at: datetime
) -> bool:
    """1 write, only if the cost last sent is still `before`: of two messages priced at once,
    one sends."""
    fields = TransactionRecord
    condition = fields.cost_sent.does_not_exist() if before is None else fields.cost_sent == before
    condition &= fields.transaction_id.exists()
    try:
        TransactionRecord(transaction_id, charge_point_id).update(
            actions=[fields.cost_sent.set(cost), fields.cost_sent_at.set(at)], condition=condition
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def record_station_cost(
    charge_point_id: str, transaction_id: str, seq_no: int, details: dict[str, Any]
) -> None:
    """1 write, kept only if no later event (by seqNo) gave them already."""
    fields = TransactionRecord
    condition = fields.station_cost_seq.does_not_exist() | (fields.station_cost_seq < seq_no)
    try:
        TransactionRecord(transaction_id, charge_point_id).update(
            actions=[fields.station_cost.set(details), fields.station_cost_seq.set(seq_no)],
            condition=condition & fields.transaction_id.exists(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def record_priority_charging(
    charge_point_id: str, transaction_id: str, activated: bool, at: datetime
) -> bool:
    """1 conditional write, only when it changes what the session has: a resend writes
    nothing. False when it changed nothing (or there is no such session)."""
    fields = TransactionRecord
    condition = fields.priority_charging.does_not_exist() | (fields.priority_charging != activated)
    try:
        TransactionRecord(transaction_id, charge_point_id).update(
            actions=[fields.priority_charging.set(activated), fields.priority_charging_at.set(at)],
            condition=condition & fields.transaction_id.exists(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def record_charging_needs(
    charge_point_id: str, transaction_id: str, needs: ChargingNeeds, reported: dict[str, Any], at: datetime
) -> None:
    """1 write, onto a session in progress."""
    fields = TransactionRecord
    kept = {
        "energyWh": needs.energy_wh,
        "departureTime": None if needs.departure is None else needs.departure.isoformat(),
        "at": at.isoformat(),
        "reported": reported,
    }
    actions: list[Action] = [fields.charging_needs.set(kept)]
    if needs.max_amps is not None:
        actions.append(fields.ev_max_amps.set(needs.max_amps))
    TransactionRecord(transaction_id, charge_point_id).update(
        actions=actions, condition=fields.active.exists()
    )
