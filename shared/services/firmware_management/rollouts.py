"""Firmware rollouts: an image to many charge points, a wave at a time. The schedule (every
minute) brings each running rollout up to date: it reads how its sent updates ended, pauses it
when failures pass its rate, and otherwise sends the next wave once the last one finished."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime

from shared.data import charge_points, maintenance, rollouts
from shared.data.commands import find_command
from shared.data.dynamo import Page
from shared.domain.commands import CommandStatus
from shared.domain.errors import ApplicationError, BadRequest, Conflict, NotFound
from shared.domain.maintenance import Kind, MaintenanceRequest, Origin, Outcome, Settled
from shared.domain.provisioning import FleetFilter
from shared.domain.rollouts import (
    Member,
    MemberOutcome,
    Rollout,
    RolloutState,
    Step,
    failure_rate,
    next_step,
    next_wave,
    overdue,
)
from shared.grants import grants
from shared.observability import logger
from shared.services.firmware_management import firmware
from shared.services.firmware_management.firmware import UpdateAsked

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "commands", "maintenance", "rollouts"),
    writes=("rollouts",),
    indexes=("rollouts/running",),
)
# Listing them, where an operator reads them (the operator API): `...rollouts:LISTING`.
LISTING = grants(indexes=("rollouts/listed",))

MAX_MEMBERS = 5000


@dataclass(frozen=True)
class RolloutAsked:
    firmware_id: str
    charge_point_ids: list[str] | None
    model: str | None
    wave_size: int
    max_failure_rate: float
    retries: int | None = None
    retry_interval_s: int | None = None
    force: bool = False


def create(asked: RolloutAsked, now: datetime) -> tuple[Rollout, list[Member]]:
    """Stored, then its first wave sent at once."""
    image, _ = firmware.image(asked.firmware_id)
    if asked.charge_point_ids:
        targets = list(dict.fromkeys(asked.charge_point_ids))
        unknown = [cp for cp in targets if charge_points.find_charge_point(cp) is None]
        if unknown:
            raise BadRequest(f"Not registered: {', '.join(unknown[:10])}")
    else:
        from shared.services import provisioning  # when a rollout is made, not at each wave

        targets = provisioning.matching(FleetFilter(model=asked.model or image.model))
    if not targets:
        raise BadRequest("No charge point to update")
    if len(targets) > MAX_MEMBERS:
        raise BadRequest(f"A rollout takes {MAX_MEMBERS} charge points at most")
    rollout = Rollout(
        rollout_id=str(uuid.uuid4()),
        firmware_id=image.firmware_id,
        state=RolloutState.RUNNING,
        wave_size=asked.wave_size,
        max_failure_rate=asked.max_failure_rate,
        created_at=now,
        updated_at=now,
        options={"retries": asked.retries, "retryInterval": asked.retry_interval_s, "force": asked.force},
    )
    members = [Member(cp, position) for position, cp in enumerate(targets)]
    rollouts.create_rollout(rollout, members)
    return advance(rollout.rollout_id, now)


def listing(state: RolloutState | None, limit: int, next_token: str | None) -> Page[Rollout]:
    """Newest first, without their members (each one's progress is `view`)."""
    return rollouts.listing(state, limit, next_token)


def view(rollout_id: str, now: datetime) -> tuple[Rollout, list[Member]]:
    """The rollout with its members' outcomes up to date (a paused rollout's last wave still
    finishes)."""
    rollout, members = _load(rollout_id)
    return rollout, [_settled(rollout, member, now) for member in members]


def _load(rollout_id: str) -> tuple[Rollout, list[Member]]:
    loaded = rollouts.load(rollout_id)
    if loaded is None:
        raise NotFound(f"Rollout {rollout_id}")
    return loaded


def change_state(rollout_id: str, to: RolloutState, now: datetime) -> tuple[Rollout, list[Member]]:
    """Pause, resume or cancel. A resumed rollout goes on at once."""
    rollout, _ = _load(rollout_id)
    allowed = {
        RolloutState.PAUSED: {RolloutState.RUNNING},
        RolloutState.RUNNING: {RolloutState.PAUSED},
        RolloutState.CANCELLED: {RolloutState.RUNNING, RolloutState.PAUSED},
    }[to]
    if rollout.state not in allowed:
        raise Conflict(f"Rollout {rollout_id} is {rollout.state.value}: it cannot become {to.value}")
    if not rollouts.set_state(rollout, to, None, now):
        raise Conflict(f"Rollout {rollout_id} changed meanwhile: ask again")
    return advance(rollout_id, now) if to is RolloutState.RUNNING else view(rollout_id, now)


def advance_all(now: datetime) -> int:
    """The schedule's work: every running rollout brought up to date. Returns how many."""
    ids = rollouts.running_rollouts()
    for rollout_id in ids:
        try:
            advance(rollout_id, now)
        except Exception:  # one broken rollout must not hold up the others
            logger.exception("Rollout could not advance", extra={"rollout_id": rollout_id})
    return len(ids)


def advance(rollout_id: str, now: datetime) -> tuple[Rollout, list[Member]]:
    """One advance at a time: another one under way (the schedule, an operator's request)
    leaves this one to read."""
    if not rollouts.take_turn(rollout_id, now):
        return view(rollout_id, now)
    try:
        return _advance(rollout_id, now)
    finally:
        rollouts.end_turn(rollout_id)


def _advance(rollout_id: str, now: datetime) -> tuple[Rollout, list[Member]]:
    rollout, members = view(rollout_id, now)
    step = next_step(rollout, members)
    if step is Step.PAUSE:
        rate = failure_rate(members)
        reason = f"{rate:.0%} of finished updates failed, over the {rollout.max_failure_rate:.0%} allowed"
        if not rollouts.set_state(rollout, RolloutState.PAUSED, reason, now):
            return view(rollout_id, now)  # another advance, or the operator, changed it meanwhile
        rollout = replace(rollout, state=RolloutState.PAUSED, updated_at=now, reason=reason)
        logger.warning("Rollout paused", extra={"rollout_id": rollout_id, "failure_rate": rate})
    elif step is Step.COMPLETE:
        if rollouts.set_state(rollout, RolloutState.COMPLETED, None, now):
            rollout = replace(rollout, state=RolloutState.COMPLETED, updated_at=now)
    elif step is Step.SEND_WAVE:
        if not rollouts.claim_wave(rollout, now):  # another advance sends it
            return view(rollout_id, now)
        rollout = replace(rollout, waves_sent=rollout.waves_sent + 1, updated_at=now)
        sent = {m.charge_point_id: _send(rollout, m, now) for m in next_wave(rollout, members)}
        members = [sent.get(m.charge_point_id, m) for m in members]
    return rollout, members


def _send(rollout: Rollout, member: Member, now: datetime) -> Member:
    options = rollout.options
    asked = UpdateAsked(
        rollout.firmware_id,
        None,
        now,
        options.get("retries"),
        options.get("retryInterval"),
        force=bool(options.get("force")),
    )
    try:
        request, _ = firmware.update(member.charge_point_id, asked, now, Origin.ROLLOUT, rollout.rollout_id)
        sent = replace(
            member,
            outcome=MemberOutcome.SENT,
            wave=rollout.waves_sent,
            request_id=request.request_id,
            sent_at=now,
        )
    except ApplicationError as error:
        sent = replace(member, outcome=MemberOutcome.SKIPPED, wave=rollout.waves_sent, error=error.message)
    rollouts.save_member(rollout.rollout_id, sent)
    return sent


def _settled(rollout: Rollout, member: Member, now: datetime) -> Member:
    """A sent member's outcome, from its update (1 read each, while it is updating)."""
    if member.outcome is not MemberOutcome.SENT or member.request_id is None:
        return member
    request = maintenance.find_request(member.charge_point_id, Kind.FIRMWARE, member.request_id)
    verdict = _verdict(request, now)
    outcome = verdict.outcome
    settled = member
    failed_call = _failed_call(request) if request is not None and outcome is Outcome.PENDING else None
    if failed_call is not None:
        settled = replace(member, outcome=MemberOutcome.FAILED, error=failed_call)
    elif outcome is Outcome.SUCCEEDED:
        settled = replace(member, outcome=MemberOutcome.SUCCEEDED)
    elif outcome is Outcome.FAILED:
        status = (request.status or (request.answer or {}).get("status")) if request else None
        why = verdict.reason.value if verdict.reason else status
        settled = replace(member, outcome=MemberOutcome.FAILED, error=why or "update lost")
    elif overdue(member, now):
        settled = replace(member, outcome=MemberOutcome.FAILED, error="No final status in time")
    if settled != member:
        rollouts.save_member(rollout.rollout_id, settled)
    return settled


def _verdict(request: MaintenanceRequest | None, now: datetime) -> Settled:
    """How an update ended: an Installed one by the version its station booted with after it
    (1 read of the charge point, then only)."""
    if request is None:
        return Settled(Outcome.FAILED)
    if request.outcome is not Outcome.SUCCEEDED or request.details.get("version") is None:
        return request.settled(now)
    charge_point = charge_points.find_charge_point(request.charge_point_id)
    return request.settled(now, firmware.boot_of(charge_point) if charge_point else None)


def _failed_call(request: MaintenanceRequest) -> str | None:
    """Why the UpdateFirmware call failed (a CALLERROR, no answer in time, a disconnect), when
    it did and the charge point has reported nothing since: 1 read."""
    if request.answer is not None or request.statuses or request.command_id is None:
        return None
    command = find_command(request.command_id)
    if command is None or not command.status.final or command.status is CommandStatus.COMPLETED:
        return None
    code = (command.error or {}).get("code", command.status.value)
    return f"UpdateFirmware {command.status.value}: {code}"
