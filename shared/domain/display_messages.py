"""Display messages (OCPP 2.x): what a charge point shows drivers, set by the CSMS and reported
back by the charge point. 1.6 has none."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class DisplayMessage:
    message_id: int
    content: str
    priority: str = "NormalCycle"  # AlwaysFront, InFront, NormalCycle
    format: str = "UTF8"  # ASCII, HTML, URI, UTF8 (2.1: QRCODE)
    language: str | None = None
    state: str | None = None  # shown only while the charge point is Charging, Idle, ...
    start_at: datetime | None = None
    end_at: datetime | None = None
    transaction_id: str | None = None
    evse_id: int | None = None


@dataclass(frozen=True)
class KnownMessage:
    """A message the CSMS knows a charge point has: set and accepted, or reported by it."""

    message_id: int
    info: dict[str, Any]  # as the version's MessageInfo, camelCase
    source: str  # "set" or "reported"
    at: datetime
