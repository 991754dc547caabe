"""DER controls (OCPP 2.1): what a station's inverter does for the grid (volt-var curves,
frequency droop, a cap on discharge, ...), set per control id and kept with the station's
answer, so that an operator sees what each station was asked and whether it took it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DerControl:
    charge_point_id: str
    control_id: str
    control_type: str  # VoltVar, FreqWatt, LimitMaxDischarge, ... (DERControlEnumType)
    is_default: bool
    control: dict[str, Any]  # SetDERControl's payload without controlId, as sent
    status: str  # the station's answer: Accepted, Rejected, NotSupported, NotFound
    status_info: str | None
    superseded_ids: tuple[str, ...]  # the controls this one replaced at the station
    updated_at: datetime
