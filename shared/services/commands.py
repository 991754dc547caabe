"""Commands: operator calls to a charge point from request to answer. Validated by the
version's schema, stored before they are sent, one outstanding call per charge point with the
rest queued in order, settled by the answer, a CALLERROR, a disconnect, a gone connection or
the timeout sweep. What an answer tells is kept by the block that registered for it
(answers.py)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from shared.aws.connections import ConnectionGone, SendFailed, connections_at, endpoint_for
from shared.data import charge_points, commands
from shared.data.commands import Turn
from shared.data.dynamo import Page
from shared.domain.commands import Command, CommandStatus, Failure, Intent
from shared.domain.errors import (
    BadRequest,
    CommandRefused,
    NotConnected,
    NotFound,
    PayloadTooLarge,
)
from shared.domain.provisioning import ChargePoint, soap_endpoint
from shared.domain.timestamps import utc_now
from shared.grants import grants
from shared.observability import logger, metrics
from shared.protocol.errors import RpcError
from shared.protocol.payments import redact_secret
from shared.protocol.security import security_codec
from shared.protocol.versions import Profile, profile_for
from shared.services import answers, soap_stations
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "commands"),
    writes=("charge-points", "commands"),
    indexes=("commands/by-charge-point", "commands/outstanding", "commands/queued"),
)
# Sending a command (send_next): what its hosts that send name as `commands:SENDS`.
SENDS = grants(connections=("post",))

if TYPE_CHECKING:  # the validator loads when a call is sent or answered
    from ocpp.messages import CallError, CallResult

# How often a request that waits for the answer looks for it.
POLL_S = 0.1
# Queued commands looked at for the next to send: the queue index may still list one just sent.
QUEUE_LOOKAHEAD = 5


@dataclass(frozen=True)
class CommandView:
    """A command as the operator sees it: with the session it began, for a remote start."""

    command: Command
    transaction_id: str | None = None


def connected(charge_point_id: str) -> ChargePoint:
    """The charge point, which must be registered and connected to take a command: 1 read."""
    charge_point = charge_points.registered_charge_point(charge_point_id)
    if not charge_point.connected:
        raise NotConnected(charge_point_id)
    if charge_point.soap_endpoint is not None and not soap_stations.online(charge_point, utc_now()):
        raise NotConnected(charge_point_id)  # a SOAP station not heard within its interval
    return charge_point


def submit(
    charge_point_id: str, action: str, payload: dict[str, Any], timeout_s: int | None, now: datetime
) -> Command:
    """Any CSMS-to-charge-point call of the charge point's version: validated, stored, then sent
    if it is the charge point's turn."""
    charge_point = connected(charge_point_id)
    return submit_to(charge_point, (action, payload), timeout_s, now)


def submit_intent(
    charge_point_id: str, build: Callable[[Profile], Intent], timeout_s: int | None, now: datetime
) -> Command:
    """An operator's intention (start, reset, ...), written as the charge point's version says
    (`build` asks the block's codec for the version)."""
    charge_point = connected(charge_point_id)
    try:
        intent = build(profile_of(charge_point))
    except ValueError as error:  # a value the version cannot carry (a 1.6 id must be an integer)
        raise BadRequest(str(error)) from None
    return submit_to(charge_point, intent, timeout_s, now)


def new_command_id() -> str:
    """A command's id, also the OCPP message id of its call: for a caller that stores it first."""
    return str(uuid.uuid4())


def profile_of(charge_point: ChargePoint) -> Profile:
    return profile_for(charge_point.ocpp_version or "")


def submit_to(
    charge_point: ChargePoint,
    intent: Intent,
    timeout_s: int | None,
    now: datetime,
    command_id: str | None = None,
    password: bool = False,
) -> Command:
    """A call to a connected charge point; `command_id` when the caller stored it beforehand.
    Only the password rotation (`password`) may set the charge point's password: set any
    other way, the CSMS would not know it and the station's next connection would fail."""
    assert charge_point.ocpp_version and charge_point.connection_id
    from ocpp.messages import Call

    from shared.protocol import framing

    action, payload = intent
    profile = profile_for(charge_point.ocpp_version)
    if security_codec(profile).sets_password(action, payload) and not password:
        raise CommandRefused("Set the charge point's password with POST /charge-points/{id}/password")
    if action not in profile.from_csms:
        raise CommandRefused(f"{action} is not an action a CSMS sends in OCPP {profile.version}")
    if charge_point.soap_endpoint is not None:
        try:
            soap_stations.writable(action, payload)
        except ValueError as error:
            raise CommandRefused(str(error)) from None
    command_id = command_id or new_command_id()
    try:
        # Checked as the charge point will read it: decimals stay exact, so that a limit of
        # 10.6 is a multiple of 0.1 (1.6's schemas say multipleOf), as it is on the wire.
        as_read = json.loads(json.dumps(payload), parse_float=Decimal)
        framing.validate(Call(command_id, action, as_read), profile)
        on_wire = framing.to_wire(profile, action, Call.message_type_id, payload)
    except RpcError as error:
        raise CommandRefused(
            f"{action} payload is not valid for OCPP {profile.version}: {error.description}"
        ) from None
    size = len(_frame(command_id, action, on_wire).encode())
    limit = get_settings().max_message_bytes
    if size > limit:  # the gateway could never carry it, and it would block the queue
        raise PayloadTooLarge(f"The call would be a {size}-byte frame; a charge point takes {limit} at most")
    command = commands.create_command(
        command_id,
        charge_point.charge_point_id,
        profile.version.value,
        action,
        payload,
        timeout_s or get_settings().command_timeout_s,
        now,
    )
    send_next(charge_point.charge_point_id, charge_point.connection_id, now)
    return command


def _frame(command_id: str, action: str, payload: dict[str, Any]) -> str:
    return json.dumps([2, command_id, action, payload], separators=(",", ":"))


def _wire_frame(command: Command) -> str:
    """The command's call as its charge point's version words it (OCPP 2.0's differs from the
    2.0.1 wording the command is kept in)."""
    from shared.protocol import framing

    on_wire = framing.to_wire(profile_for(command.ocpp_version), command.action, 2, command.payload)
    return _frame(command.command_id, command.action, on_wire)


def send_next(charge_point_id: str, connection_id: str, now: datetime) -> None:
    """Send the oldest queued command, unless a call is outstanding. Taking the turn and marking
    the command sent is one conditional transaction, so however many callers race here (an
    answer, a new command, the sweep), each command goes out once and in order."""
    for command in commands.oldest_queued(charge_point_id, QUEUE_LOOKAHEAD):
        turn = commands.take_turn(command, now)
        if turn is Turn.BUSY and _release_stale_turn(charge_point_id):
            turn = commands.take_turn(command, now)
        if turn is Turn.BUSY:
            return
        if turn is Turn.GONE:  # sent or settled by another caller; the index had not caught up
            continue
        endpoint = soap_endpoint(connection_id)
        reply = None
        try:  # marked sent first: an answer may arrive before post_to_connection returns
            if endpoint is not None:  # a SOAP station answers in the same exchange
                reply = soap_stations.call(charge_point_id, endpoint, command)
            else:
                connections_at(endpoint_for()).send(connection_id, _wire_frame(command))
        except ConnectionGone:
            logger.info("Connection gone while sending a command", extra={"command_id": command.command_id})
            charge_points.clear_connection(charge_point_id, connection_id, now)
            fail_all(charge_point_id, Failure("ConnectionGone", "The charge point's connection is gone"), now)
            return
        except SendFailed as error:  # this command cannot go; the next may
            logger.warning("A command could not be sent", extra={"command_id": command.command_id})
            failure = Failure("SendFailed", str(error))
            if commands.settle(command.command_id, CommandStatus.FAILED, now, failure=failure) is not None:
                answers.end(command, failure, now)
            charge_points.give_turn_back(charge_point_id, command.command_id)
            continue
        metrics.add_metric(name="CommandsSent", unit="Count", value=1)
        if reply is not None:
            answer(charge_point_id, connection_id, profile_for(command.ocpp_version), reply, now)
        return


def _release_stale_turn(charge_point_id: str) -> bool:
    """A turn still held by a command that is settled (its settling was cut short before the
    turn went back) is released: 2 reads, paid only when the turn is found taken."""
    charge_point = charge_points.find_charge_point(charge_point_id)
    holder = charge_point.outstanding_command if charge_point else None
    if holder is None:
        return charge_point is not None
    held_by = commands.find_command(holder)
    if held_by is not None and not held_by.status.final:
        return False
    charge_points.give_turn_back(charge_point_id, holder)
    return True


def answer(
    charge_point_id: str, connection_id: str, profile: Profile, reply: CallResult | CallError, now: datetime
) -> None:
    """A CALLRESULT or CALLERROR from the charge point settles the command it answers; what a
    valid answer tells is kept, and the next queued command goes out."""
    from ocpp.messages import CallError

    from shared.protocol import framing

    command = commands.find_command(reply.unique_id)
    if command is None or command.charge_point_id != charge_point_id:
        logger.warning("Answer to an unknown message id ignored", extra={"message_id": reply.unique_id})
        return
    settled: Command | None
    failure: Failure | None = None
    if isinstance(reply, CallError):
        details = (
            reply.error_details if isinstance(reply.error_details, dict) else {"text": reply.error_details}
        )
        failure = Failure(reply.error_code, reply.error_description, details)
        settled = commands.settle(command.command_id, CommandStatus.FAILED, now, failure=failure)
    else:
        try:
            reply.payload = framing.from_wire(profile, command.action, 3, reply.payload, command.payload)
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
                answers.keep(command, reply.payload, now)
    if settled is None:
        logger.info("Late answer to a settled command", extra={"command_id": command.command_id})
        return
    if failure is not None:  # no answer its block can read: the block's record ends with it
        answers.end(command, failure, now)
    charge_points.give_turn_back(charge_point_id, command.command_id)
    send_next(charge_point_id, connection_id, now)


def fail_all(charge_point_id: str, failure: Failure, now: datetime) -> int:
    """Every pending command of the charge point fails (it disconnected, or its connection is gone)."""
    charge_point = charge_points.find_charge_point(charge_point_id)
    if charge_point is None:
        return 0
    failed = 0
    for command in commands.pending_of(charge_point_id, charge_point.outstanding_command):
        if commands.settle(command.command_id, CommandStatus.FAILED, now, failure=failure) is not None:
            answers.end(command, failure, now)
            failed += 1
        charge_points.give_turn_back(charge_point_id, command.command_id)
    return failed


def expire(now: datetime) -> int:
    """The sweep: commands past their deadline time out and hand the turn to the next one. A
    failure with one command is logged and counted, and the others still go."""
    expired = 0
    for command in commands.overdue(now):
        try:
            expired += _expire(command, now)
        except Exception:
            logger.exception("Timing out a command failed", extra={"command_id": command.command_id})
            metrics.add_metric(name="CommandSweepFailures", unit="Count", value=1)
    return expired


def _expire(command: Command, now: datetime) -> int:
    failure = Failure("Timeout", f"No answer within {command.timeout_s} s")
    if commands.settle(command.command_id, CommandStatus.TIMEOUT, now, failure=failure) is None:
        return 0
    answers.end(command, failure, now)
    charge_points.give_turn_back(command.charge_point_id, command.command_id)
    charge_point = charge_points.find_charge_point(command.charge_point_id)
    if charge_point is not None and charge_point.connection_id:
        send_next(command.charge_point_id, charge_point.connection_id, now)
    return 1


def settled(command_id: str) -> bool:
    """1 read: whether a command has its final state (answered, failed, timed out), or is gone."""
    command = commands.find_command(command_id)
    return command is None or command.status.final


def wait_for(command: Command, seconds: int) -> Command:
    """The command once it is settled, or as it stands after `seconds`."""
    deadline = time.monotonic() + seconds
    while not command.status.final and time.monotonic() < deadline:
        time.sleep(POLL_S)
        command = commands.find_command(command.command_id) or command
    return command


def view(command: Command) -> CommandView:
    from shared.services import remote_control  # the operator's views only

    begun = remote_control.sessions_begun_by([command]).get(command.command_id)
    return CommandView(_shown(command), begun)


def _shown(command: Command) -> Command:
    """As an operator sees it: a password or a web payments secret it carries masked."""
    shown = replace(command, payload=security_codec(profile_for(command.ocpp_version)).redacted(command))
    return replace(shown, payload=redact_secret(shown.action, shown.payload))


def find(command_id: str) -> CommandView:
    command = commands.find_command(command_id)
    if command is None:
        raise NotFound(f"Command {command_id}")
    return view(command)


def history(charge_point_id: str, limit: int, next_token: str | None) -> Page[CommandView]:
    """Newest first: 1 query a page, and 1 more when the page holds accepted remote starts."""
    page = commands.history(charge_point_id, limit, next_token)
    from shared.services import remote_control

    begun = remote_control.sessions_begun_by(page.items)
    return Page([CommandView(_shown(c), begun.get(c.command_id)) for c in page.items], page.next_token)


def actions_of(version: str) -> list[str]:
    return sorted(profile_for(version).from_csms)


def request_schema(version: str, action: str) -> dict[str, Any]:
    profile = profile_for(version)
    if action not in profile.from_csms:
        raise NotFound(f"{action} is not an action a CSMS sends in OCPP {profile.version}")
    return profile.request_schema(action)
