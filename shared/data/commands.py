"""Command records: operator calls to charge points, stored before they are sent, queued on a
sparse index, outstanding on another until answered or timed out. The turn (one outstanding
call per charge point) lives on the charge point's record (take_turn)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.expressions.update import Action
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data.charge_points import ChargePointRecord
from shared.data.dynamo import (
    Page,
    cancelled_by_condition,
    condition_failed,
    connection,
    key_names,
    page_of,
    resume_from,
)
from shared.data.tables import OnDemand
from shared.domain.commands import Command, CommandStatus, Failure
from shared.domain.errors import NotRegistered
from shared.domain.timestamps import format_timestamp


class _CommandsByChargePoint(GlobalSecondaryIndex["CommandRecord"]):
    """A charge point's commands in the order they were made."""

    class Meta:
        index_name = "by-charge-point"
        projection = AllProjection()

    charge_point_id = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class _Queued(GlobalSecondaryIndex["CommandRecord"]):
    """Sparse: a charge point's commands waiting their turn, oldest first."""

    class Meta:
        index_name = "queued"
        projection = AllProjection()

    queued = UnicodeAttribute(hash_key=True)
    created_at = UnicodeAttribute(range_key=True)


class _Outstanding(GlobalSecondaryIndex["CommandRecord"]):
    """Sparse: commands sent and not answered yet, by when they time out."""

    class Meta:
        index_name = "outstanding"
        projection = AllProjection()

    outstanding = UnicodeAttribute(hash_key=True)
    deadline = UnicodeAttribute(range_key=True)


class CommandRecord(Model):
    """An operator's call to a charge point, from the request to its answer. The id is the
    OCPP message id of the call, which is how the answer finds it. Kept for a while (TTL)."""

    class Meta(OnDemand, table="commands"): ...

    command_id = UnicodeAttribute(hash_key=True)
    charge_point_id = UnicodeAttribute()
    ocpp_version = UnicodeAttribute()
    action = UnicodeAttribute()
    payload = JSONAttribute()
    status = UnicodeAttribute()  # pending, completed, failed, timeout
    queued = UnicodeAttribute(null=True)  # the charge point's id while waiting its turn to be sent
    created_at = UnicodeAttribute()
    sent_at = UTCDateTimeAttribute(null=True)
    completed_at = UTCDateTimeAttribute(null=True)
    timeout_s = NumberAttribute()
    outstanding = UnicodeAttribute(null=True)
    deadline = UnicodeAttribute(null=True)
    response = JSONAttribute(null=True)
    error = JSONAttribute(null=True)  # {"code", "description", "details"}
    expires_at = TTLAttribute()

    by_charge_point = _CommandsByChargePoint()
    queued_by_charge_point = _Queued()
    outstanding_by_deadline = _Outstanding()


FLAG = "1"
# How long a command's record is kept after it is made.
RETENTION = timedelta(days=30)
# Tries at storing a command when others of the same charge point are stored at the same time.
ORDER_ATTEMPTS = 20


def _sortable(at: datetime) -> str:
    """When a command was made, to the microsecond: the queue's order, so that commands made
    in the same millisecond still go out in the order they came."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def command_of(record: CommandRecord) -> Command:
    return Command(
        command_id=record.command_id,
        charge_point_id=record.charge_point_id,
        ocpp_version=record.ocpp_version,
        action=record.action,
        payload=record.payload,
        status=CommandStatus(record.status),
        created_at=datetime.fromisoformat(record.created_at),
        timeout_s=int(record.timeout_s),
        sent_at=record.sent_at,
        completed_at=record.completed_at,
        response=record.response,
        error=record.error,
    )


def create_command(
    command_id: str,
    charge_point_id: str,
    ocpp_version: str,
    action: str,
    payload: dict[str, Any],
    timeout_s: int,
    at: datetime,
) -> Command:
    """1 transaction of 2 writes (and a read per retry). Queued: it goes out when it is the
    charge point's oldest and nothing is outstanding. Its time is later than that of every
    command of the charge point stored before it (it is moved on by a microsecond where
    another was stored first, or clocks disagree), so the queue's order is the order of
    storing, however many arrive at once."""
    for _ in range(ORDER_ATTEMPTS):
        made = _sortable(at)
        record = CommandRecord(
            command_id,
            charge_point_id=charge_point_id,
            ocpp_version=ocpp_version,
            action=action,
            payload=payload,
            status=CommandStatus.PENDING.value,
            queued=charge_point_id,
            created_at=made,
            timeout_s=timeout_s,
            expires_at=at + RETENTION,
        )
        last = ChargePointRecord.last_command_at
        try:
            with TransactWrite(connection=connection()) as transaction:  # sent as: the put, the update
                transaction.save(record, condition=CommandRecord.command_id.does_not_exist())
                transaction.update(
                    ChargePointRecord(charge_point_id),
                    actions=[last.set(made)],
                    condition=ChargePointRecord.charge_point_id.exists()
                    & (last.does_not_exist() | (last < made)),
                )
        except TransactWriteError as error:
            if cancelled_by_condition(error)[1:2] != [True]:
                raise
            latest = _latest_made(charge_point_id)
            at = max(at, latest + timedelta(microseconds=1))
            continue
        return command_of(record)
    raise RuntimeError(f"could not queue a command for {charge_point_id}")


def _latest_made(charge_point_id: str) -> datetime:
    """1 read: when the charge point's newest command was made."""
    try:
        stored = ChargePointRecord.get(charge_point_id, consistent_read=True).last_command_at
    except ChargePointRecord.DoesNotExist:
        raise NotRegistered(charge_point_id) from None
    return datetime.fromisoformat(stored) if stored else datetime.min.replace(tzinfo=UTC)


def find_command(command_id: str) -> Command | None:
    """1 read (consistent: an answer may have just landed)."""
    try:
        return command_of(CommandRecord.get(command_id, consistent_read=True))
    except CommandRecord.DoesNotExist:
        return None


def oldest_queued(charge_point_id: str, count: int) -> list[Command]:
    """1 query of the sparse queue index, however long the charge point's history: the oldest
    `count` commands waiting their turn (the index may still list one just sent)."""
    return [command_of(r) for r in CommandRecord.queued_by_charge_point.query(charge_point_id, limit=count)]


class Turn(Enum):
    TAKEN = "taken"  # the command holds the charge point's turn and is marked sent
    BUSY = "busy"  # another call holds the turn (or the charge point is gone)
    GONE = "gone"  # the command is no longer queued: sent or settled already


def take_turn(command: Command, at: datetime) -> Turn:
    """1 transaction of 2 writes: the command becomes the charge point's one outstanding call
    and is marked sent, both or neither. However many try at once, one wins: a command goes
    out once."""
    deadline = format_timestamp(at + timedelta(seconds=command.timeout_s))
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.update(
                ChargePointRecord(command.charge_point_id),
                actions=[ChargePointRecord.outstanding_command.set(command.command_id)],
                condition=ChargePointRecord.charge_point_id.exists()
                & ChargePointRecord.outstanding_command.does_not_exist(),
            )
            transaction.update(
                CommandRecord(command.command_id),
                actions=[
                    CommandRecord.queued.remove(),
                    CommandRecord.sent_at.set(at),
                    CommandRecord.outstanding.set(FLAG),
                    CommandRecord.deadline.set(deadline),
                ],
                condition=(CommandRecord.status == CommandStatus.PENDING.value)
                & CommandRecord.queued.exists(),
            )
    except TransactWriteError as error:
        failed = cancelled_by_condition(error)
        if len(failed) > 1 and failed[1]:
            return Turn.GONE
        if failed and failed[0]:
            return Turn.BUSY
        raise
    return Turn.TAKEN


def pending_of(charge_point_id: str, outstanding_command: str | None) -> list[Command]:
    """Its outstanding call (1 read) and its queue (1 query): all that is not answered yet."""
    outstanding = find_command(outstanding_command) if outstanding_command else None
    queued = [command_of(r) for r in CommandRecord.queued_by_charge_point.query(charge_point_id)]
    return ([outstanding] if outstanding else []) + queued


def history(charge_point_id: str, limit: int, next_token: str | None) -> Page[Command]:
    """Newest first, 1 query a page."""
    results = CommandRecord.by_charge_point.query(
        charge_point_id,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=resume_from(
            next_token, f"commands/{charge_point_id}", key_names(CommandRecord, CommandRecord.by_charge_point)
        ),
    )
    return page_of(results, limit, f"commands/{charge_point_id}", command_of)


def made_between(charge_point_id: str, low: datetime, high: datetime) -> list[Command]:
    """1 query: the charge point's commands made in [low, high]."""
    window = CommandRecord.created_at.between(_sortable(low), _sortable(high))
    query = CommandRecord.by_charge_point.query(charge_point_id, range_key_condition=window)
    return [command_of(r) for r in query]


def overdue(now: datetime) -> list[Command]:
    """1 query of the sparse outstanding index."""
    query = CommandRecord.outstanding_by_deadline.query(
        FLAG, range_key_condition=CommandRecord.deadline <= format_timestamp(now)
    )
    return [command_of(r) for r in query]


def settle(
    command_id: str,
    status: CommandStatus,
    at: datetime,
    response: dict[str, Any] | None = None,
    failure: Failure | None = None,
) -> Command | None:
    """1 write: the final state, once. None when it was settled already (a late or second
    answer, or a timeout that came first)."""
    fields = CommandRecord
    actions: list[Action] = [
        fields.status.set(status.value),
        fields.completed_at.set(at),
        fields.queued.remove(),
        fields.outstanding.remove(),
    ]
    if response is not None:
        actions.append(fields.response.set(response))
    if failure is not None:
        actions.append(fields.error.set(failure.as_json()))
    record = CommandRecord(command_id)
    try:
        record.update(
            actions=actions,
            condition=fields.command_id.exists() & (fields.status == CommandStatus.PENDING.value),
        )
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return command_of(record)
