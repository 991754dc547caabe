"""Rollout records: the rollout (member "#") and one item per charge point in it."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.rollouts import Member, MemberOutcome, Rollout, RolloutState


class _Running(GlobalSecondaryIndex["RolloutRecord"]):
    """Sparse: rollouts that still have waves to send."""

    class Meta:
        index_name = "running"
        projection = AllProjection()

    running = UnicodeAttribute(hash_key=True)
    rollout_key = UnicodeAttribute(range_key=True)


class _Listed(GlobalSecondaryIndex["RolloutRecord"]):
    """Every rollout (its header item only), newest first."""

    class Meta:
        index_name = "listed"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)  # always "rollout"
    created_at = UTCDateTimeAttribute(range_key=True)


class RolloutRecord(Model):
    """A firmware rollout: one item for the rollout (member "#"), one per charge point in it."""

    class Meta(OnDemand, table="rollouts"): ...

    rollout_id = UnicodeAttribute(hash_key=True)
    member = UnicodeAttribute(range_key=True)
    rollout_key = UnicodeAttribute(null=True)
    running = UnicodeAttribute(null=True)
    listed = UnicodeAttribute(null=True)  # the header's only
    # The rollout item
    firmware_id = UnicodeAttribute(null=True)
    state = UnicodeAttribute(null=True)
    wave_size = NumberAttribute(null=True)
    max_failure_rate = NumberAttribute(null=True)
    waves_sent = NumberAttribute(null=True)
    options = JSONAttribute(null=True)
    created_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
    reason = UnicodeAttribute(null=True)
    # Who advances it now (the schedule, or an operator's request), until when
    advancing_until = UTCDateTimeAttribute(null=True)
    # A member item
    position = NumberAttribute(null=True)
    wave = NumberAttribute(null=True)
    request_id = NumberAttribute(null=True)
    outcome = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
    sent_at = UTCDateTimeAttribute(null=True)
    tenant_id = UnicodeAttribute(null=True)  # the rollout item's; absent: the default tenant's

    running_rollouts = _Running()
    listed_rollouts = _Listed()


HEADER = "#"
_RUNNING = "running"
_LISTED = "rollout"
_LISTED_KEYS = key_names(RolloutRecord, RolloutRecord.listed_rollouts)


def create_rollout(rollout: Rollout, members: list[Member]) -> None:
    """A batch write: the rollout and its members."""
    with RolloutRecord.batch_write() as batch:
        batch.save(_header(rollout, tenancy.scope()))
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
    """1 query (and more for every 1 MB of members). In a tenant's scope, another tenant's
    rollout is as if it were not."""
    rollout: Rollout | None = None
    members: list[Member] = []
    for record in RolloutRecord.query(rollout_id):
        if record.member == HEADER:
            if not tenancy.visible(record.tenant_id):
                return None
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


def rollouts_of_firmware(firmware_id: str) -> list[Rollout]:
    """1 scan (a page per MB of rollouts and members): the rollouts of this image. Only for
    removing an image, which is rare."""
    condition = (RolloutRecord.member == HEADER) & (RolloutRecord.firmware_id == firmware_id)
    return [_rollout(record) for record in RolloutRecord.scan(condition)]


def listing(state: RolloutState | None, limit: int, next_token: str | None) -> Page[Rollout]:
    """1 query, newest first; of one state, and in a tenant's scope its own, by a filter (the
    others' are read, and paid for, too)."""
    wanted = tenancy.owned(RolloutRecord.tenant_id)
    if state is not None:
        of_state = RolloutRecord.state == state.value
        wanted = of_state if wanted is None else wanted & of_state
    results = RolloutRecord.listed_rollouts.query(
        _LISTED,
        scan_index_forward=False,
        filter_condition=wanted,
        limit=limit,
        last_evaluated_key=resume_from(next_token, "rollouts", _LISTED_KEYS),
    )
    return page_of(results, limit, "rollouts", _rollout)


def running_rollouts() -> list[str]:
    """1 query of the sparse running index."""
    return [record.rollout_id for record in RolloutRecord.running_rollouts.query(_RUNNING)]


def set_state(rollout: Rollout, to: RolloutState, reason: str | None, at: datetime) -> bool:
    """1 write: the new state, if the rollout is still as it was read (state and wave)."""
    fields = RolloutRecord
    try:
        RolloutRecord(rollout.rollout_id, HEADER).update(
            actions=[
                fields.state.set(to.value),
                set_or_remove(fields.running, _RUNNING if to is RolloutState.RUNNING else None),
                set_or_remove(fields.reason, reason),
                fields.updated_at.set(at),
            ],
            condition=(fields.state == rollout.state.value) & (fields.waves_sent == rollout.waves_sent),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def take_turn(rollout_id: str, now: datetime, lease_s: int = 60) -> bool:
    """1 write: this caller advances the rollout, and nobody else until it is done (or the
    lease runs out, if it died). The schedule and an operator's request may come at once."""
    fields = RolloutRecord
    try:
        RolloutRecord(rollout_id, HEADER).update(
            actions=[fields.advancing_until.set(now + timedelta(seconds=lease_s))],
            condition=fields.advancing_until.does_not_exist() | (fields.advancing_until < now),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def end_turn(rollout_id: str) -> None:
    """1 write."""
    RolloutRecord(rollout_id, HEADER).update(actions=[RolloutRecord.advancing_until.remove()])


def claim_wave(rollout: Rollout, at: datetime) -> bool:
    """1 write: the next wave is this caller's to send, if the rollout is still running at the
    wave it read (the schedule and an operator's request may advance it at the same moment)."""
    fields = RolloutRecord
    try:
        RolloutRecord(rollout.rollout_id, HEADER).update(
            actions=[fields.waves_sent.set(rollout.waves_sent + 1), fields.updated_at.set(at)],
            condition=(fields.waves_sent == rollout.waves_sent)
            & (fields.state == RolloutState.RUNNING.value),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


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


def _header(rollout: Rollout, tenant_id: str | None = None) -> RolloutRecord:
    running = rollout.state is RolloutState.RUNNING
    return RolloutRecord(
        rollout.rollout_id,
        HEADER,
        rollout_key=rollout.rollout_id,
        running=_RUNNING if running else None,
        listed=_LISTED,
        firmware_id=rollout.firmware_id,
        state=rollout.state.value,
        wave_size=rollout.wave_size,
        max_failure_rate=rollout.max_failure_rate,
        waves_sent=rollout.waves_sent,
        options=rollout.options,
        created_at=rollout.created_at,
        updated_at=rollout.updated_at,
        reason=rollout.reason,
        tenant_id=tenant_id,
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
