"""Provisioning on the wire: BootNotification in, Reset out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.commands import Command, Intent
    from shared.domain.provisioning import BootInfo
    from shared.protocol.versions import Profile


class ProvisioningCodec(Protocol):
    def boot_info(self, payload: dict[str, Any]) -> BootInfo: ...
    def reset(self, hard: bool, evse_id: int | None) -> Intent: ...
    def reset_asked(self, command: Command) -> dict[str, Any]:
        """What a Reset asked for, kept beside its answer."""
        ...


def provisioning_codec(profile: Profile) -> ProvisioningCodec:
    return cast("ProvisioningCodec", profile.codec(__name__))
