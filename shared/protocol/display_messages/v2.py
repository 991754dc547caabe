"""Display messages in OCPP 2.0.1 and 2.1: MessageInfo."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Intent
from shared.domain.display_messages import DisplayMessage
from shared.domain.timestamps import format_timestamp
from shared.protocol.display_messages import DisplayMessagesCodec


class V2DisplayMessages:
    def set_display_message(self, message: DisplayMessage) -> Intent:
        content: dict[str, Any] = {"format": message.format, "content": message.content}
        if message.language is not None:
            content["language"] = message.language
        info: dict[str, Any] = {"id": message.message_id, "priority": message.priority, "message": content}
        optional = {
            "state": message.state,
            "startDateTime": format_timestamp(message.start_at) if message.start_at else None,
            "endDateTime": format_timestamp(message.end_at) if message.end_at else None,
            "transactionId": message.transaction_id,
        }
        info |= {key: value for key, value in optional.items() if value is not None}
        if message.evse_id is not None:
            info["display"] = {"name": "DisplayMessageCtrlr", "evse": {"id": message.evse_id}}
        return "SetDisplayMessage", {"message": info}

    def get_display_messages(self, request_id: int) -> Intent:
        return "GetDisplayMessages", {"requestId": request_id}

    def clear_display_message(self, message_id: int) -> Intent:
        return "ClearDisplayMessage", {"id": message_id}

    def display_messages_report(self, payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        return [(int(info["id"]), info) for info in payload.get("messageInfo") or []]


CODEC: DisplayMessagesCodec = V2DisplayMessages()
