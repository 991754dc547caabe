"""DER control before OCPP 2.1: there is none. An operator's control is refused with the
reason; a station's DER message never reaches here (the registry routes them to 2.1 only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from shared.domain.commands import Command, Intent
from shared.domain.der import DerControl
from shared.domain.errors import CommandRefused
from shared.domain.station_events import StationEvent
from shared.protocol.common import not_in_version
from shared.protocol.der import DerCodec


def _refused() -> NoReturn:
    raise CommandRefused("DER controls came with OCPP 2.1: this charge point speaks an earlier version")


class NoDer:
    def set_control(self, control_id: str, control: dict[str, Any]) -> Intent:
        _refused()

    def clear_control(self, control_id: str, is_default: bool) -> Intent:
        _refused()

    def control_kept(self, command: Command, response: dict[str, Any], now: datetime) -> DerControl:
        _refused()

    def control_cleared(self, command: Command, response: dict[str, Any]) -> str | None:
        _refused()

    def alarm(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyDERAlarm")

    def start_stop(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyDERStartStop")

    def report(self, payload: dict[str, Any], at: datetime) -> StationEvent:
        raise not_in_version("ReportDERControl")


CODEC: DerCodec = NoDer()
