"""Rollout records: the rollout (member "#") and one item per charge point in it."""

from __future__ import annotations

from datetime import datetime

from shared.data.dynamo import set_or_remove
from shared.data.models import RolloutRecord
from shared.domain.rollouts import Member, MemberOutcome, Rollout, RolloutState

_HEADER = "#"
_RUNNING = "running"


def create_rollout(rollout: Rollout, members: list[Member]) -> None:
    """A batch write: the rollout and its members."""
    with RolloutRecord.batch_write() as batch:
        batch.save(_header(rollout))
        for member in members:
            batch.save(
                RolloutRecord(
                    rollout.rollout_id,
                    f"cp#{member.charge_point_id}",
                    position=member.position,
                    outcome=member.outcome.value,
                )
            )


def load(rollout_id: str) -> tuple[Rollout, list[Member]] | None:
    """1 query (and more for every 1 MB of members)."""
    rollout: Rollout | None = None
    members: list[Member] = []
    for record in RolloutRecord.query(rollout_id):
        if record.member == _HEADER:
            rollout = _rollout(record)
        else:
            members.append(
                Member(
                    charge_point_id=record.member.removeprefix("cp#"),
                    position=int(record.position),
                    outcome=MemberOutcome(record.outcome),
                    wave=None if record.wave is None else int(record.wave),
                    request_id=None if record.request_id is None else int(record.request_id),
                    sent_at=record.sent_at,
                    error=record.error,
                )
            )
    if rollout is None:
        return None
    return rollout, sorted(members, key=lambda m: m.position)


def running_rollouts() -> list[str]:
    """1 query of the sparse running index."""
    return [record.rollout_id for record in RolloutRecord.running_rollouts.query(_RUNNING)]


def save_rollout(rollout: Rollout) -> None:
    _header(rollout).save()


def save_member(rollout_id: str, member: Member) -> None:
    fields = RolloutRecord
    RolloutRecord(rollout_id, f"cp#{member.charge_point_id}").update(
        actions=[
            fields.position.set(member.position),
            fields.outcome.set(member.outcome.value),
            set_or_remove(fields.wave, member.wave),
            set_or_remove(fields.request_id, member.request_id),
            set_or_remove(fields.sent_at, member.sent_at),
            set_or_remove(fields.error, member.error),
        ]
    )


def _header(rollout: Rollout) -> RolloutRecord:
    running = rollout.state is RolloutState.RUNNING
    return RolloutRecord(
        rollout.rollout_id,
        _HEADER,
        rollout_key=rollout.rollout_id,
        running=_RUNNING if running else None,
        firmware_id=rollout.firmware_id,
        state=rollout.state.value,
        wave_size=rollout.wave_size,
        max_failure_rate=rollout.max_failure_rate,
        waves_sent=rollout.waves_sent,
        options=rollout.options,
        created_at=rollout.created_at,
        updated_at=rollout.updated_at,
        reason=rollout.reason,
    )


def _rollout(record: RolloutRecord) -> Rollout:
    created: datetime = record.created_at
    return Rollout(
        rollout_id=record.rollout_id,
        firmware_id=record.firmware_id or "",
        state=RolloutState(record.state),
        wave_size=int(record.wave_size or 1),
        max_failure_rate=float(record.max_failure_rate or 0),
        created_at=created,
        updated_at=record.updated_at or created,
        waves_sent=int(record.waves_sent or 0),
        reason=record.reason,
        options=record.options or {},
    )
