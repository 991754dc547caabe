"""OCPP 1.6 has no display messages."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Intent
from shared.domain.display_messages import DisplayMessage
from shared.domain.errors import CommandRefused
from shared.protocol.common import not_in_version
from shared.protocol.display_messages import DisplayMessagesCodec

_REFUSED = "OCPP 1.6 has no display messages (they came with 2.0.1)"


class V16DisplayMessages:
    def set_display_message(self, message: DisplayMessage) -> Intent:
        raise CommandRefused(_REFUSED)

    def get_display_messages(self, request_id: int) -> Intent:
        raise CommandRefused(_REFUSED)

    def clear_display_message(self, message_id: int) -> Intent:
        raise CommandRefused(_REFUSED)

    def display_messages_report(self, payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        raise not_in_version("NotifyDisplayMessages")


CODEC: DisplayMessagesCodec = V16DisplayMessages()
