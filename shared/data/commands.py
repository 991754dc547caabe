"""Command records: operator calls to charge points, stored before they are sent, queued on a
sparse index, outstanding on another until answered or timed out. The turn (one outstanding
call per charge point) lives on the charge point's record (charge_points.take_turn)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.update import Action

from shared.data.dynamo import Page, condition_failed, page_of, resume_from
from shared.data.models import CommandRecord
from shared.domain.commands import Command, CommandStatus, Failure
from shared.domain.timestamps import format_timestamp

FLAG = "1"
# How long a command's record is kept after it is made.
RETENTION = timedelta(days=30)


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
    """1 write. Queued: it goes out when it is the charge point's oldest and nothing is outstanding."""
    record = CommandRecord(
        command_id,
        charge_point_id=charge_point_id,
        ocpp_version=ocpp_version,
        action=action,
        payload=payload,
        status=CommandStatus.PENDING.value,
        queued=charge_point_id,
        created_at=format_timestamp(at),
        timeout_s=timeout_s,
        expires_at=at + RETENTION,
    )
    record.save(condition=CommandRecord.command_id.does_not_exist())
    return command_of(record)


def find_command(command_id: str) -> Command | None:
    """1 read (consistent: an answer may have just landed)."""
    try:
        return command_of(CommandRecord.get(command_id, consistent_read=True))
    except CommandRecord.DoesNotExist:
        return None


def oldest_queued(charge_point_id: str) -> Command | None:
    """1 query of the sparse queue index, however long the charge point's history."""
    for record in CommandRecord.queued_by_charge_point.query(charge_point_id, limit=1):
        return command_of(record)
    return None


def pending_of(charge_point_id: str, outstanding_command: str | None) -> list[Command]:
    """Its outstanding call (1 read) and its queue (1 query): all that is not answered yet."""
    outstanding = find_command(outstanding_command) if outstanding_command else None
    queued = [command_of(r) for r in CommandRecord.queued_by_charge_point.query(charge_point_id)]
    return ([outstanding] if outstanding else []) + queued


def history(charge_point_id: str, limit: int, next_token: str | None) -> Page[Command]:
    """Newest first, 1 query a page."""
    results = CommandRecord.by_charge_point.query(
        charge_point_id, scan_index_forward=False, limit=limit, last_evaluated_key=resume_from(next_token)
    )
    return page_of(results, limit, command_of)


def made_between(charge_point_id: str, low: datetime, high: datetime) -> list[Command]:
    """1 query: the charge point's commands made in [low, high]."""
    window = CommandRecord.created_at.between(format_timestamp(low), format_timestamp(high))
    query = CommandRecord.by_charge_point.query(charge_point_id, range_key_condition=window)
    return [command_of(r) for r in query]


def overdue(now: datetime) -> list[Command]:
    """1 query of the sparse outstanding index."""
    query = CommandRecord.outstanding_by_deadline.query(
        FLAG, range_key_condition=CommandRecord.deadline <= format_timestamp(now)
    )
    return [command_of(r) for r in query]


def mark_sent(command: Command, at: datetime) -> None:
    """1 write: no longer queued; outstanding until its deadline."""
    CommandRecord(command.command_id).update(
        actions=[
            CommandRecord.queued.remove(),
            CommandRecord.sent_at.set(at),
            CommandRecord.outstanding.set(FLAG),
            CommandRecord.deadline.set(format_timestamp(at + timedelta(seconds=int(command.timeout_s)))),
        ],
        condition=CommandRecord.status == CommandStatus.PENDING.value,
    )


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
