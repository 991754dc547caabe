"""Meter values in base units, and the energy register read from any layout of samples."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.domain.meter_values import ENERGY_REGISTER, MeterValue, Sample, from_json, normalise, to_json

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
