"""Operator commands from request to answer: validated by the version's schema, stored before
they are sent, one outstanding call per charge point with the rest queued in order, settled
by the answer, a CALLERROR, a disconnect, a gone connection or the timeout sweep."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from ocpp.messages import Call, CallError, CallResult

from shared.command_effects import apply_effects
from shared.connections import ConnectionGone, connections_at, endpoint_for
from shared.data import commands, store
from shared.data.commands import Failure
from shared.data.models import ChargePointRecord, CommandRecord
from shared.domain.commands import CommandStatus
from shared.observability import logger, metrics
from shared.protocol import framing
from shared.protocol.errors import RpcError
from shared.protocol.versions import Profile, profile_for


class CommandRefused(ValueError):
    """Not an action the charge point's version lets a CSMS send, or a payload its schema refuses."""


def submit(
    charge_point: ChargePointRecord, action: str, payload: dict[str, Any], timeout_s: int, now: datetime
) -> CommandRecord:
    """Validate, store, then send if it is the charge point's turn. The caller has checked that
    the charge point is connected."""
    assert charge_point.ocpp_version and charge_point.connection_id
    profile = profile_for(charge_point.ocpp_version)
    if action not in profile.from_csms:
        raise CommandRefused(f"{action} is not an action a CSMS sends in OCPP {profile.version}")
    command_id = str(uuid.uuid4())
    try:
        framing.validate(Call(command_id, action, payload), profile)
    except RpcError as error:
        raise CommandRefused(
            f"{action} payload is not valid for OCPP {profile.version}: {error.description}"
        ) from None
    command = commands.create_command(
        command_id, charge_point.charge_point_id, profile.version.value, action, payload, timeout_s, now
    )
    dispatch(charge_point.charge_point_id, charge_point.connection_id, now)
    return command


def dispatch(charge_point_id: str, connection_id: str, now: datetime) -> None:
    """Send the oldest queued command, unless a call is outstanding."""
    command = commands.oldest_queued(charge_point_id)
    if command is None or not commands.take_turn(charge_point_id, command.command_id):
        return
    # Marked sent first: an answer may arrive before post_to_connection returns.
    commands.mark_sent(command, now)
    frame = json.dumps([2, command.command_id, command.action, command.payload], separators=(",", ":"))
    try:
        connections_at(endpoint_for()).send(connection_id, frame)
    except ConnectionGone:
        logger.info("Connection gone while sending a command", extra={"command_id": command.command_id})
        store.clear_connection(charge_point_id, connection_id, now)
        fail_all(charge_point_id, Failure("ConnectionGone", "The charge point's connection is gone"), now)
        return
    metrics.add_metric(name="CommandsSent", unit="Count", value=1)


def answer(
    charge_point_id: str, connection_id: str, profile: Profile, reply: CallResult | CallError, now: datetime
) -> None:
    """A CALLRESULT or CALLERROR from the charge point settles the command it answers."""
    command = commands.find_command(reply.unique_id)
    if command is None or command.charge_point_id != charge_point_id:
        logger.warning("Answer to an unknown message id ignored", extra={"message_id": reply.unique_id})
        return
    if isinstance(reply, CallError):
        details = (
            reply.error_details if isinstance(reply.error_details, dict) else {"text": reply.error_details}
        )
        failure = Failure(reply.error_code, reply.error_description, details)
        settled = commands.settle(command.command_id, CommandStatus.FAILED, now, failure=failure)
    else:
        try:
            framing.validate(reply, profile, command.action)
        except RpcError as error:
            failure = Failure(
                "InvalidResponse", f"The answer does not fit the {command.action} schema: {error.description}"
            )
            settled = commands.settle(
                command.command_id, CommandStatus.FAILED, now, response=reply.payload, failure=failure
            )
        else:
            settled = commands.settle(
                command.command_id, CommandStatus.COMPLETED, now, response=reply.payload
            )
            if settled is not None:
                apply_effects(command, reply.payload, now)
    if settled is None:
        logger.info("Late answer to a settled command", extra={"command_id": command.command_id})
        return
    commands.give_turn_back(charge_point_id, command.command_id)
    dispatch(charge_point_id, connection_id, now)


def fail_all(charge_point_id: str, failure: Failure, now: datetime) -> int:
    """Every pending command of the charge point fails (it disconnected, or its connection is gone)."""
    charge_point = store.find_charge_point(charge_point_id)
    if charge_point is None:
        return 0
    failed = 0
    for command in commands.pending_of(charge_point):
        if commands.settle(command.command_id, CommandStatus.FAILED, now, failure=failure) is not None:
            failed += 1
        commands.give_turn_back(charge_point_id, command.command_id)
    return failed


def expire(now: datetime) -> int:
    """The sweep: commands past their deadline time out and hand the turn to the next one."""
    expired = 0
    for command in commands.overdue(now):
        failure = Failure("Timeout", f"No answer within {int(command.timeout_s)} s")
        if commands.settle(command.command_id, CommandStatus.TIMEOUT, now, failure=failure) is None:
            continue
        expired += 1
        commands.give_turn_back(command.charge_point_id, command.command_id)
        record = store.find_charge_point(command.charge_point_id)
        if record is not None and record.connection_id:
            dispatch(command.charge_point_id, record.connection_id, now)
    return expired
