"""Meter values in one shape whatever the version: numbers in base units (Wh, W, varh, A, V,
...), every measurand, phase, location and context kept."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ENERGY_REGISTER = "Energy.Active.Import.Register"
DEFAULT_MEASURAND = ENERGY_REGISTER  # both versions: an unnamed measurand is this one
DEFAULT_CONTEXT = "Sample.Periodic"
DEFAULT_LOCATION = "Outlet"

# Prefixed units reported by chargers, and the base unit and factor they normalise to.
_SCALED_UNITS = {
    "kWh": ("Wh", 1000.0),
    "kW": ("W", 1000.0),
    "kvarh": ("varh", 1000.0),
    "kvar": ("var", 1000.0),
    "kVA": ("VA", 1000.0),
    "kVAh": ("VAh", 1000.0),
}
_PHASES = frozenset({"L1", "L2", "L3", "L1-N", "L2-N", "L3-N"})
# Magnitudes a reading can have: far beyond any meter, within what DynamoDB keeps (1e-130..1e126).
LARGEST, SMALLEST = 1e30, 1e-30
# OCPP 2.x's power-of-ten multiplier: real meters use -3 to 3.
MAX_MULTIPLIER = 30


@dataclass(frozen=True)
class Sample:
    """One sampled value. `value` is None when the meter sent no plain number (OCPP 1.6
    SignedData, or text): then `raw` keeps what it sent."""

    measurand: str
    value: float | None
    unit: str | None
    phase: str | None = None
    location: str = DEFAULT_LOCATION
    context: str = DEFAULT_CONTEXT
    raw: str | None = None

    def as_json(self) -> dict[str, Any]:
        data = {
            "measurand": self.measurand,
            "value": self.value,
            "unit": self.unit,
            "phase": self.phase,
            "location": self.location,
            "context": self.context,
            "raw": self.raw,
        }
        return {key: value for key, value in data.items() if value is not None}

    def as_stored(self) -> dict[str, Any]:
        """As kept: OCPP's defaults left out (from_json puts them back)."""
        data = self.as_json()
        for key, default in (("measurand", DEFAULT_MEASURAND), ("location", DEFAULT_LOCATION)):
            if data.get(key) == default:
                del data[key]
        if data.get("context") == DEFAULT_CONTEXT:
            del data["context"]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Sample:
        value = data.get("value")
        return cls(
            measurand=data.get("measurand", DEFAULT_MEASURAND),
            value=None if value is None else float(value),
            unit=data.get("unit"),
            phase=data.get("phase"),
            location=data.get("location", DEFAULT_LOCATION),
            context=data.get("context", DEFAULT_CONTEXT),
            raw=data.get("raw"),
        )


@dataclass(frozen=True)
class MeterValue:
    """The samples a meter took at one moment."""

    timestamp: datetime
    samples: tuple[Sample, ...]

    @property
    def energy_register_wh(self) -> float | None:
        """The active import register: the unphased value, else the sum of the phases."""
        readings = [
            s
            for s in self.samples
            if s.measurand == ENERGY_REGISTER and s.unit in ("Wh", None) and s.value is not None
        ]
        unphased = [s.value for s in readings if s.phase is None]
        if unphased:
            return unphased[0]
        phases = {s.phase: s.value for s in readings if s.phase in _PHASES}
        return sum(v for v in phases.values() if v is not None) if phases else None


def representable(value: float) -> bool:
    """A number a reading can be and DynamoDB can keep: finite, 0 or within these magnitudes."""
    return math.isfinite(value) and (value == 0 or SMALLEST <= abs(value) <= LARGEST)


def normalise(value: float, unit: str | None, multiplier: int = 0) -> tuple[float | None, str | None]:
    """A value in the unit's base unit: kWh to Wh, kW to W and so on, and 2.x's power-of-ten
    multiplier applied. None when the result is no number a meter can give (infinite, not a
    number, or beyond any magnitude a register holds): the caller keeps what was sent."""
    if not representable(value) or abs(multiplier) > MAX_MULTIPLIER:
        return None, unit
    scaled = value * (10.0**multiplier) if multiplier else value
    if unit in _SCALED_UNITS:
        base, factor = _SCALED_UNITS[unit]
        scaled, unit = scaled * factor, base
    return (scaled if representable(scaled) else None), unit


def registers(meter_values: Iterable[MeterValue]) -> list[tuple[datetime, float]]:
    """The energy register readings in time order."""
    readings = [(mv.timestamp, mv.energy_register_wh) for mv in meter_values]
    return sorted((at, wh) for at, wh in readings if wh is not None)


def to_json(meter_values: Iterable[MeterValue]) -> list[dict[str, Any]]:
    return [
        {"timestamp": mv.timestamp.isoformat(), "samples": [s.as_json() for s in mv.samples]}
        for mv in meter_values
    ]


def to_stored_json(meter_values: Iterable[MeterValue]) -> list[dict[str, Any]]:
    """What a session event keeps: `to_json` without OCPP's defaults and with UTC as Z, about a
    third smaller. A year of a station's readings is most of what it stores (decision 0027)."""
    return [
        {
            "timestamp": _stamp(mv.timestamp),
            "samples": [s.as_stored() for s in mv.samples],
        }
        for mv in meter_values
    ]


def _stamp(at: datetime) -> str:
    text = at.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def from_json(data: list[dict[str, Any]] | None) -> list[MeterValue]:
    return [
        MeterValue(
            datetime.fromisoformat(item["timestamp"]), tuple(Sample.from_json(s) for s in item["samples"])
        )
        for item in data or []
    ]


@dataclass(frozen=True)
class MeterValuesReport:
    """A MeterValues message: for a connector (1.6) or an EVSE (2.x; 0 is the main meter),
    inside a transaction (1.6 names it) or not."""

    meter_values: tuple[MeterValue, ...]
    connector_id: int | None = None
    evse_id: int | None = None
    transaction_id: str | None = None
