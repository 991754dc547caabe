"""Merging a session's reports and its energy: properties that hold for any order, any
number of copies, any readings."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.domain.authorization import IdToken
from shared.domain.meter_values import ENERGY_REGISTER, MeterValue, Sample
from shared.domain.transactions import EventKind, SessionEvent, SessionStart, merge, session_energy, start_key

T0 = datetime(2026, 11, 24, 10, tzinfo=UTC)


def reading(minutes: int, wh: float, context: str = "Sample.Periodic") -> MeterValue:
    return MeterValue(T0 + timedelta(minutes=minutes), (Sample(ENERGY_REGISTER, wh, "Wh", context=context),))


@st.composite
def sessions(draw):
    """The events of one 2.x session: seqNo 0..n-1, a register that never runs backwards,
    timestamps that may jump (a clock reset while offline) but seqNos that do not."""
    count = draw(st.integers(min_value=1, max_value=12))
    increments = draw(st.lists(st.integers(min_value=0, max_value=50_000), min_size=count, max_size=count))
    start = draw(st.integers(min_value=0, max_value=10**9))
    states = draw(
        st.lists(
            st.sampled_from(["Charging", "SuspendedEV", "SuspendedEVSE", "Idle"]),
            min_size=count,
            max_size=count,
        )
    )
    events, register = [], start
    for seq, (increment, state) in enumerate(zip(increments, states, strict=True)):
        register += increment
        minutes = draw(st.integers(min_value=0, max_value=600))
        kind = EventKind.STARTED if seq == 0 else EventKind.ENDED if seq == count - 1 else EventKind.UPDATED
        events.append(
            SessionEvent(
                kind,
                T0 + timedelta(minutes=minutes),
                seq,
                "MeterValuePeriodic",
                state,
                meter_values=(reading(seq, float(register)),),
            )
        )
    return events


@given(
    sessions(),
    st.randoms(use_true_random=False),
    st.lists(st.integers(min_value=0, max_value=11), max_size=8),
)
def test_merge_ignores_order_and_copies(events, random, copies):
    shuffled = events + [events[i % len(events)] for i in copies]
    random.shuffle(shuffled)
    merged, reference = merge(shuffled), merge(events)
    assert merged == reference
    assert [e.seq_no for e in merged.events] == list(range(len(events)))
    assert merged.charging_state == events[-1].charging_state


@given(sessions(), st.randoms(use_true_random=False))
def test_energy_is_the_last_register_minus_the_first_whatever_arrived_when(events, random):
    shuffled = list(events)
    random.shuffle(shuffled)
    values = merge(shuffled).meter_values
    first = events[0].meter_values[0].energy_register_wh
    last = events[-1].meter_values[0].energy_register_wh
    assert session_energy(None, None, values).energy_wh == last - first
    # The start and stop messages' own registers win over the samples
    assert session_energy(first, last, []).energy_wh == last - first


@given(st.floats(min_value=0, max_value=1e9), st.floats(min_value=0, max_value=1e9))
def test_energy_is_never_negative(start, stop):
    energy = session_energy(start, stop, []).energy_wh
    assert energy == max(stop - start, 0.0) and energy >= 0


def test_unknown_registers_give_unknown_energy():
    assert session_energy(None, None, []).energy_wh is None
    assert session_energy(1000, None, []).energy_wh is None
    # A session in progress: energy so far, from the latest sample
    assert session_energy(1000, None, [reading(5, 1500), reading(9, 2100)]).energy_wh == 1100


def test_1_6_events_without_seq_no_merge_by_time_and_content():
    early = SessionEvent(EventKind.METER_VALUES, T0, meter_values=(reading(0, 10),))
    late = SessionEvent(EventKind.METER_VALUES, T0 + timedelta(minutes=5), meter_values=(reading(5, 20),))
    assert merge([late, early, late]).events == (early, late)


@given(st.integers(min_value=0, max_value=8), st.text(max_size=20), st.integers(min_value=0, max_value=10**9))
def test_a_start_key_is_the_same_for_a_resend_and_differs_for_any_field(connector, tag, meter):
    def key(charge_point="CP1", connector=connector, tag=tag, at=T0, meter=meter):
        start = SessionStart(at, connector_id=connector, id_token=IdToken(tag), meter_start_wh=float(meter))
        return start_key(charge_point, start)

    assert key() == key()
    assert key() != key(charge_point="CP2")
    assert key() != key(connector=connector + 1)
    assert key() != key(tag=tag + "x")
    assert key() != key(at=T0 + timedelta(seconds=1))
    assert key() != key(meter=meter + 1)
