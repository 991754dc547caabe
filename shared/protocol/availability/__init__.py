"""Availability on the wire: StatusNotification in, ChangeAvailability out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.availability import ConnectorStatusReport
    from shared.domain.commands import Command, Intent
    from shared.protocol.versions import Profile


class AvailabilityCodec(Protocol):
    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport: ...
    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Intent: ...
    def availability_asked(self, command: Command) -> dict[str, Any]:
        """What a ChangeAvailability asked for, kept beside its answer."""
        ...


def availability_codec(profile: Profile) -> AvailabilityCodec:
    return cast("AvailabilityCodec", profile.codec(__name__))
