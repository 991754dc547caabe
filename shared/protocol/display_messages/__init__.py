"""Display messages on the wire (2.x): set, get, clear, and NotifyDisplayMessages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.commands import Intent
    from shared.domain.display_messages import DisplayMessage
    from shared.protocol.versions import Profile


class DisplayMessagesCodec(Protocol):
    def set_display_message(self, message: DisplayMessage) -> Intent: ...
    def get_display_messages(self, request_id: int) -> Intent: ...
    def clear_display_message(self, message_id: int) -> Intent: ...

    def display_messages_report(self, payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        """2.x NotifyDisplayMessages: each message's id and MessageInfo."""
        ...


def display_messages_codec(profile: Profile) -> DisplayMessagesCodec:
    return cast("DisplayMessagesCodec", profile.codec(__name__))
