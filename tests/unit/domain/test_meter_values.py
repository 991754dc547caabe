"""Meter values in base units, and the energy register read from any layout of samples."""

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.meter_values import (
    ENERGY_REGISTER,
    MeterValue,
    Sample,
    from_json,
    normalise,
    to_json,
    to_stored_json,
)

T0 = datetime(2026, 11, 24, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "unit", "multiplier", "expected"),
    [
        (1.5, "kWh", 0, (1500.0, "Wh")),
        (7.2, "kW", 0, (7200.0, "W")),
        (3, "kvarh", 0, (3000.0, "varh")),
        (16, "A", 0, (16.0, "A")),
        (12, "Wh", 3, (12000.0, "Wh")),
        (12, "kWh", -3, (12.0, "Wh")),
        (230, "V", 0, (230.0, "V")),
    ],
)
def test_values_are_normalised_to_base_units(value, unit, multiplier, expected):
    number, base = normalise(value, unit, multiplier)
    assert (number, base) == (pytest.approx(expected[0]), expected[1])


@given(st.decimals(min_value=0, max_value=10**6, places=3))
def test_kwh_and_wh_of_the_same_reading_agree(kwh):
    assert normalise(float(kwh), "kWh")[0] == pytest.approx(normalise(float(kwh) * 1000, "Wh")[0])


def test_the_register_is_the_unphased_value_else_the_sum_of_the_phases():
    unphased = MeterValue(
        T0, (Sample(ENERGY_REGISTER, 10.0, "Wh", "L1"), Sample(ENERGY_REGISTER, 30.0, "Wh"))
    )
    assert unphased.energy_register_wh == 30.0
    phases = MeterValue(T0, tuple(Sample(ENERGY_REGISTER, 10.0 * n, "Wh", f"L{n}") for n in (1, 2, 3)))
    assert phases.energy_register_wh == 60.0
    other = MeterValue(
        T0, (Sample("Power.Active.Import", 7000.0, "W"), Sample(ENERGY_REGISTER, None, "Wh", raw="x"))
    )
    assert other.energy_register_wh is None


def test_meter_values_survive_storage_as_json():
    values = [
        MeterValue(
            T0,
            (
                Sample(ENERGY_REGISTER, 1.0, "Wh", "L1", "Inlet", "Sample.Clock"),
                Sample("SoC", 80.0, "Percent"),
            ),
        )
    ]
    assert from_json(to_json(values)) == values


SAMPLES = st.builds(
    Sample,
    measurand=st.sampled_from([ENERGY_REGISTER, "Power.Active.Import", "SoC"]),
    value=st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    unit=st.sampled_from([None, "Wh", "W", "Percent"]),
    phase=st.sampled_from([None, "L1", "L2-N"]),
    location=st.sampled_from(["Outlet", "Inlet", "EV"]),
    context=st.sampled_from(["Sample.Periodic", "Transaction.Begin", "Sample.Clock"]),
    raw=st.sampled_from([None, "0A1B"]),
)
ZONES = st.sampled_from([UTC, timezone(timedelta(hours=2))])


@given(
    st.lists(
        st.builds(
            MeterValue,
            st.datetimes(timezones=ZONES),
            st.lists(SAMPLES, min_size=1, max_size=4).map(tuple),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_what_is_stored_reads_back_as_it_was(values):
    assert from_json(json.loads(json.dumps(to_stored_json(values)))) == values


def test_the_stored_form_leaves_out_ocpps_defaults_and_is_a_third_smaller():
    values = [
        MeterValue(
            T0,
            (Sample(ENERGY_REGISTER, 1000.0, "Wh"), Sample("Power.Active.Import", 7400.0, "W")),
        )
    ]
    stored = to_stored_json(values)
    assert stored[0]["samples"][0] == {"value": 1000.0, "unit": "Wh"}
    assert stored[0]["timestamp"].endswith("Z")
    compact = json.dumps(stored, separators=(",", ":"))
    assert len(compact) < 2 / 3 * len(json.dumps(to_json(values)))
