"""Maintenance requests, whichever kind: the statuses charge points report on firmware updates
and log uploads, what their answers to the calls said, and asking for one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shared.aws.event_bus import DomainEvent
from shared.data import maintenance
from shared.domain.commands import Command, Failure, Intent
from shared.domain.errors import ApplicationError
from shared.domain.maintenance import (
    ACCEPTED_ANSWERS,
    Kind,
    MaintenanceAnswer,
    MaintenanceRequest,
    Origin,
    StatusReport,
)
from shared.domain.provisioning import ChargePoint
from shared.domain.timestamps import format_timestamp
from shared.grants import grants
from shared.services import commands
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("maintenance",),
    writes=("counters", "maintenance"),
)

if TYPE_CHECKING:
    from shared.protocol.versions import Profile

_PUBLISHED_AS = {Kind.FIRMWARE: DomainEvent.FIRMWARE_STATUS_CHANGED, Kind.LOG: DomainEvent.LOG_STATUS_CHANGED}
# A status with no request id and nothing in progress (a triggered Idle) belongs to no request.
NO_REQUEST = 0


def status_reported(charge_point_id: str, report: StatusReport, at: datetime) -> None:
    """1 write (and 1 read where the version names no request: its latest is meant). A status
    with no request known is stored all the same, marked unsolicited."""
    request_id = report.request_id
    if request_id is None:
        latest = (
            None if report.status == "Idle" else maintenance.latest_request_id(charge_point_id, report.kind)
        )
        request_id = latest or NO_REQUEST
    request = maintenance.record_status(charge_point_id, report, request_id, at)
    if request is not None:
        publish(_PUBLISHED_AS[report.kind], _event(request, at))


def ask(
    charge_point: ChargePoint,
    kind: Kind,
    build: Callable[[Profile, int], Intent],
    details: dict[str, Any],
    now: datetime,
    origin: Origin = Origin.OPERATOR,
    rollout_id: str | None = None,
    upload: tuple[int, str, datetime] | None = None,
) -> tuple[MaintenanceRequest, Command]:
    """Store the request, then send the call that asks for it: the charge point may report on
    it before its answer is in, and must find it. A call that cannot be sent takes the request
    back. `upload`: the request id allocated already, its upload token's digest and deadline."""
    request_id = upload[0] if upload else maintenance.next_request_id()
    intent = build(commands.profile_of(charge_point), request_id)
    command_id = commands.new_command_id()
    digest, until = (upload[1], upload[2]) if upload else (None, None)
    maintenance.open_request(
        charge_point.charge_point_id,
        kind,
        request_id,
        origin,
        details,
        now,
        rollout_id=rollout_id,
        upload_digest=digest,
        upload_until=until,
        command_id=command_id,
    )
    try:
        command = commands.submit_to(charge_point, intent, None, now, command_id)
    except ApplicationError:
        maintenance.delete_request(charge_point.charge_point_id, kind, request_id)
        raise
    request = maintenance.find_request(charge_point.charge_point_id, kind, request_id)
    assert request is not None
    return request, command


def answered(command: Command, answer: MaintenanceAnswer | None, now: datetime) -> None:
    """What the answer to a firmware update or a log request said, as its block read it. A
    refusal ends the request, and is published like a status."""
    request = _asked_by(command, answer.kind, answer.request_id) if answer else None
    if answer is None or request is None:
        return
    kept = {"status": answer.status, "fileName": answer.file_name, "at": format_timestamp(now)}
    maintenance.record_answer(command.charge_point_id, answer.kind, request.request_id, kept)
    if answer.status not in ACCEPTED_ANSWERS:
        publish(_PUBLISHED_AS[answer.kind], _event(replace(request, answer=kept), now))


def unanswered(command: Command, answer: MaintenanceAnswer | None, failure: Failure, now: datetime) -> None:
    """A firmware update or log request whose call failed (a CALLERROR, a timeout, the connection
    lost): the request ends failed, with the failure as its answer."""
    if answer is not None:
        status = f"{command.action} failed: {failure.code}"
        answered(command, replace(answer, status=status, file_name=None), now)


def _asked_by(command: Command, kind: Kind, request_id: int | None) -> MaintenanceRequest | None:
    """The request a command asked for; where the version names none, the latest of its kind."""
    charge_point_id = command.charge_point_id
    if request_id is None:
        request_id = maintenance.latest_request_id(charge_point_id, kind)
    request = maintenance.find_request(charge_point_id, kind, request_id) if request_id is not None else None
    return request if request is not None and request.command_id == command.command_id else None


def _event(request: MaintenanceRequest, at: datetime) -> dict[str, Any]:
    last = request.statuses[-1] if request.statuses else None
    return {
        "charge_point_id": request.charge_point_id,
        "request_id": request.request_id,
        "status": last.status if last else (request.answer or {}).get("status"),
        "info": last.info if last else None,
        "outcome": request.outcome.value,
        "origin": request.origin.value,
        "rollout_id": request.rollout_id,
        "at": at,
    }
