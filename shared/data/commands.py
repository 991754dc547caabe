"""Operator commands: stored before they are sent, completed by the charge point's answer,
one outstanding per charge point (the lock lives on the charge point's record)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from shared.data.common import Page, condition_failed, page_of, resume_from
from shared.data.models import ChargePointRecord, CommandRecord, ConfigurationRecord
from shared.domain.commands import CommandStatus
from shared.protocol.timestamps import format_timestamp

FLAG = "1"
# How long a command's record is kept after it is made.
RETENTION = timedelta(days=30)


@dataclass(frozen=True)
class Failure:
    code: str
    description: str
    details: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "description": self.description, "details": self.details or {}}


def create_command(
    command_id: str,
    charge_point_id: str,
    ocpp_version: str,
    action: str,
    payload: dict[str, Any],
    timeout_s: int,
    at: datetime,
) -> CommandRecord:
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
    return record


def find_command(command_id: str) -> CommandRecord | None:
    """1 read (consistent: an answer may have just landed)."""
    try:
        return CommandRecord.get(command_id, consistent_read=True)
    except CommandRecord.DoesNotExist:
        return None


def oldest_queued(charge_point_id: str) -> CommandRecord | None:
    """1 query of the sparse queue index, however long the charge point's history."""
    for record in CommandRecord.queued_by_charge_point.query(charge_point_id, limit=1):
        return record
    return None


def pending_of(charge_point: ChargePointRecord) -> list[CommandRecord]:
    """Its outstanding call (1 read) and its queue (1 query): all that is not answered yet."""
    outstanding = charge_point.outstanding_command and find_command(charge_point.outstanding_command)
    queued = list(CommandRecord.queued_by_charge_point.query(charge_point.charge_point_id))
    return ([outstanding] if outstanding else []) + queued


def history(charge_point_id: str, limit: int, next_token: str | None) -> Page[CommandRecord]:
    """Newest first, 1 query a page."""
    results = CommandRecord.by_charge_point.query(
        charge_point_id, scan_index_forward=False, limit=limit, last_evaluated_key=resume_from(next_token)
    )
    return page_of(results, limit)


def made_between(charge_point_id: str, low: datetime, high: datetime) -> list[CommandRecord]:
    """1 query: the charge point's commands made in [low, high]."""
    window = CommandRecord.created_at.between(format_timestamp(low), format_timestamp(high))
    return list(CommandRecord.by_charge_point.query(charge_point_id, range_key_condition=window))


def overdue(now: datetime) -> list[CommandRecord]:
    """1 query of the sparse outstanding index."""
    return list(
        CommandRecord.outstanding_by_deadline.query(
            FLAG, range_key_condition=CommandRecord.deadline <= format_timestamp(now)
        )
    )


def take_turn(charge_point_id: str, command_id: str) -> bool:
    """1 write: make this the charge point's outstanding call, if none is."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[ChargePointRecord.outstanding_command.set(command_id)],
            condition=ChargePointRecord.charge_point_id.exists()
            & (
                ChargePointRecord.outstanding_command.does_not_exist()
                | (ChargePointRecord.outstanding_command == command_id)
            ),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def give_turn_back(charge_point_id: str, command_id: str) -> None:
    """1 write, only if this command holds the turn."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[ChargePointRecord.outstanding_command.remove()],
            condition=ChargePointRecord.outstanding_command == command_id,
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def mark_sent(command: CommandRecord, at: datetime) -> None:
    """1 write: no longer queued; outstanding until its deadline."""
    command.update(
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
) -> CommandRecord | None:
    """1 write: the final state, once. None when it was settled already (a late or second
    answer, or a timeout that came first)."""
    fields = CommandRecord
    actions = [
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
    return record


# --- What answers tell us ----------------------------------------------------------------


RESULT_FIELDS = {
    "availability": ChargePointRecord.availability_result,
    "reset": ChargePointRecord.reset_result,
    "unlock": ChargePointRecord.unlock_result,
}


def record_result(charge_point_id: str, kind: str, result: dict[str, Any]) -> None:
    """1 write: the latest answer of this kind (availability, reset, unlock)."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[RESULT_FIELDS[kind].set(result)], condition=ChargePointRecord.charge_point_id.exists()
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def set_local_list_version(charge_point_id: str, version: int) -> None:
    """1 write."""
    ChargePointRecord(charge_point_id).update(actions=[ChargePointRecord.local_list_version.set(version)])


def put_configuration(
    charge_point_id: str, values: list[tuple[str, str | None, bool | None]], at: datetime
) -> None:
    """A batch write: (key, value, readonly) per setting."""
    with ConfigurationRecord.batch_write() as batch:
        for key, value, readonly in values:
            batch.save(
                ConfigurationRecord(charge_point_id, key, value=value, readonly=readonly, updated_at=at)
            )


def configuration_of(charge_point_id: str) -> list[ConfigurationRecord]:
    """1 query per 1 MB."""
    return list(ConfigurationRecord.query(charge_point_id))
