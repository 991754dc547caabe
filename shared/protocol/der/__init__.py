"""DER control on the wire (OCPP 2.1): Set/ClearDERControl out, and what stations report of
their DER functions: alarms (NotifyDERAlarm), controls starting and stopping
(NotifyDERStartStop) and the controls they hold (ReportDERControl, the answer to a
GetDERControl). Versions before 2.1 have none of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.commands import Command, Intent
    from shared.domain.der import DerControl
    from shared.domain.station_events import StationEvent
    from shared.protocol.versions import Profile


class DerCodec(Protocol):
    def set_control(self, control_id: str, control: dict[str, Any]) -> Intent:
        """SetDERControl: the control (its payload without controlId) under this id."""
        ...

    def clear_control(self, control_id: str, is_default: bool) -> Intent: ...

    def control_kept(self, command: Command, response: dict[str, Any], now: datetime) -> DerControl:
        """A SetDERControl command's control, with the station's answer."""
        ...

    def control_cleared(self, command: Command, response: dict[str, Any]) -> str | None:
        """The control a ClearDERControl command cleared: None unless the station no longer
        has it (Accepted, or NotFound: it never had it)."""
        ...

    def alarm(self, payload: dict[str, Any]) -> StationEvent: ...

    def start_stop(self, payload: dict[str, Any]) -> StationEvent: ...

    def report(self, payload: dict[str, Any], at: datetime) -> StationEvent: ...


def der_codec(profile: Profile) -> DerCodec:
    return cast("DerCodec", profile.codec(__name__))
