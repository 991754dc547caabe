from datetime import UTC, datetime, timedelta

from shared.domain.rollouts import (
    UPDATE_DEADLINE,
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

T0 = datetime(2026, 12, 1, 10, tzinfo=UTC)
W, S, OK, F, SK = (
    MemberOutcome.WAITING,
    MemberOutcome.SENT,
    MemberOutcome.SUCCEEDED,
    MemberOutcome.FAILED,
    MemberOutcome.SKIPPED,
)


def rollout(state=RolloutState.RUNNING, wave_size=2, rate=0.25):
    return Rollout("r", "f", state, wave_size, rate, T0, T0)


def members(*outcomes):
    return [Member(f"CP{i}", i, outcome) for i, outcome in enumerate(outcomes)]


def test_the_next_wave_waits_for_the_last_one():
    assert next_step(rollout(), members(S, OK, W)) is Step.WAIT
    assert next_step(rollout(), members(OK, OK, W, W, W)) is Step.SEND_WAVE
    assert [m.charge_point_id for m in next_wave(rollout(), members(OK, OK, W, W, W))] == ["CP2", "CP3"]
    assert next_step(rollout(), members(OK, SK, OK)) is Step.COMPLETE


def test_it_pauses_as_soon_as_failures_are_over_the_rate_whatever_the_rest_does():
    # 1 of 4 sent failed: 25%, not over; 2 of 4: over, with two still updating.
    assert next_step(rollout(), members(F, S, S, OK, W)) is Step.WAIT
    assert next_step(rollout(), members(F, F, S, S, W)) is Step.PAUSE
    assert failure_rate(members(F, F, S, S, W, SK)) == 0.5
    assert failure_rate(members(W, SK)) == 0.0


def test_a_rollout_not_running_does_nothing():
    for state in (RolloutState.PAUSED, RolloutState.CANCELLED, RolloutState.COMPLETED):
        assert next_step(rollout(state), members(W, W)) is Step.WAIT


def test_an_update_silent_past_its_deadline_is_overdue():
    sent = Member("CP1", 0, S, sent_at=T0)
    assert not overdue(sent, T0 + UPDATE_DEADLINE)
    assert overdue(sent, T0 + UPDATE_DEADLINE + timedelta(seconds=1))
    assert not overdue(Member("CP1", 0, OK, sent_at=T0), T0 + timedelta(days=1))
