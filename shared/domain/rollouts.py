"""Firmware rollouts: one image to many charge points in waves. The next wave goes when the
last one has finished; the rollout pauses itself when too many updates fail."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class RolloutState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    COMPLETED = "completed"


class MemberOutcome(StrEnum):
    WAITING = "waiting"  # not sent yet
    SENT = "sent"  # updating
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    SKIPPED = "skipped"  # could not be sent (offline, refused by the API): not counted as failed


# An update that reported nothing final this long after it was sent counts as failed.
UPDATE_DEADLINE = timedelta(hours=2)


@dataclass(frozen=True)
class Member:
    charge_point_id: str
    position: int
    outcome: MemberOutcome = MemberOutcome.WAITING
    wave: int | None = None
    request_id: int | None = None
    sent_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True)
class Rollout:
    rollout_id: str
    firmware_id: str
    state: RolloutState
    wave_size: int
    max_failure_rate: float
    created_at: datetime
    updated_at: datetime
    waves_sent: int = 0
    reason: str | None = None
    # retries, retryInterval, force: what each update asks
    options: dict[str, Any] = field(default_factory=dict)


class Step(StrEnum):
    WAIT = "wait"
    SEND_WAVE = "send-wave"
    PAUSE = "pause"
    COMPLETE = "complete"


def failure_rate(members: list[Member]) -> float:
    """Failed updates among those sent, the unfinished counted as if they will succeed: over the
    limit, the rollout is over it whatever the rest of the wave does, and pauses at once."""
    sent = [
        m for m in members if m.outcome in (MemberOutcome.SENT, MemberOutcome.SUCCEEDED, MemberOutcome.FAILED)
    ]
    if not sent:
        return 0.0
    return sum(m.outcome is MemberOutcome.FAILED for m in sent) / len(sent)


def next_step(rollout: Rollout, members: list[Member]) -> Step:
    """What a running rollout does now, its members' outcomes being up to date."""
    if rollout.state is not RolloutState.RUNNING:
        return Step.WAIT
    if failure_rate(members) > rollout.max_failure_rate:
        return Step.PAUSE
    if any(m.outcome is MemberOutcome.SENT for m in members):
        return Step.WAIT
    if any(m.outcome is MemberOutcome.WAITING for m in members):
        return Step.SEND_WAVE
    return Step.COMPLETE


def next_wave(rollout: Rollout, members: list[Member]) -> list[Member]:
    waiting = sorted((m for m in members if m.outcome is MemberOutcome.WAITING), key=lambda m: m.position)
    return waiting[: rollout.wave_size]


def overdue(member: Member, now: datetime) -> bool:
    return (
        member.outcome is MemberOutcome.SENT
        and member.sent_at is not None
        and now - member.sent_at > UPDATE_DEADLINE
    )
