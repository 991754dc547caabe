"""Security on the wire: the Basic auth password and the security profile as settings, and
SecurityEventNotification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.maintenance import CRITICAL_SECURITY_EVENTS
from shared.domain.station_events import EventKind, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import parse_timestamp

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.commands import Command, Intent
    from shared.domain.provisioning import NetworkSlot
    from shared.protocol.versions import Profile


class SecurityCodec(Protocol):
    # The configuration key of the HTTP Basic password (1.6 AuthorizationKey, 2.x
    # SecurityCtrlr/BasicAuthPassword): set through change_configuration, never kept or shown.
    password_key: str
    # The setting whose change moves a station to another security profile (1.6 SecurityProfile,
    # 2.x OCPPCommCtrlr/NetworkConfigurationPriority).
    profile_key: str

    def sets_password(self, action: str, payload: dict[str, Any]) -> bool: ...

    def redacted(self, command: Command) -> dict[str, Any]:
        """The command's payload as a view shows it: a password in it masked."""
        ...

    def raise_security_profile(self, profile: int, network: NetworkSlot | None) -> tuple[list[Intent], int]:
        """The calls that move a station to a higher profile, and which of them, accepted,
        makes the move (1.6: the SecurityProfile key; 2.x: a network connection profile in a
        slot, that slot first in NetworkConfigurationPriority, then a reset when idle)."""
        ...

    def security_event(self, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        """SecurityEventNotification, as an event to keep."""
        ...


def security_codec(profile: Profile) -> SecurityCodec:
    return cast("SecurityCodec", profile.codec(__name__))


def read_security_event(payload: dict[str, Any], received_at: datetime) -> StationEvent:
    """Keyed by the time it happened and its type, so that a resend is the same event."""
    happened = parse_timestamp(payload["timestamp"], "timestamp")
    kind = payload["type"]
    body: dict[str, Any] = {"type": kind, "timestamp": format_timestamp(happened)}
    if payload.get("techInfo") is not None:
        body["techInfo"] = payload["techInfo"]
    critical = kind in CRITICAL_SECURITY_EVENTS
    body["critical"] = critical
    return StationEvent(EventKind.SECURITY, f"{format_timestamp(happened)}#{kind}", happened, body, critical)
