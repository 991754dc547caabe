"""Local lists in OCPP 1.6: idTag entries under listVersion."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.local_lists import ListChange, ListUpdate
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import accepted
from shared.protocol.local_lists import (
    LocalListsCodec,
    local_list_call,
    local_list_read,
    read_limit,
    token_entry,
)


class V16LocalLists:
    def send_local_list(self, update: ListUpdate) -> Intent:
        return local_list_call(update, "listVersion", _list_item)

    def local_list_sent(self, command: Command) -> ListUpdate | None:
        return local_list_read(command, "listVersion", _list_change)

    def local_list_version(self, command: Command, response: dict[str, Any]) -> int | None:
        if command.action == "SendLocalList" and accepted(response):
            return int(command.payload["listVersion"])
        if command.action == "GetLocalListVersion":
            return int(response["listVersion"])
        return None

    def local_list_limits(self, configuration: dict[str, str | None]) -> tuple[int | None, int | None]:
        return read_limit(configuration, "LocalAuthListMaxLength"), read_limit(
            configuration, "SendLocalListMaxLength"
        )


def _list_item(change: ListChange) -> dict[str, Any]:
    """An entry of a 1.6 local list; without idTagInfo it removes the token."""
    item: dict[str, Any] = {"idTag": change.id_token}
    entry = change.entry
    if entry is not None:
        info: dict[str, Any] = {"status": entry.status.value}
        if entry.expiry_date is not None:
            info["expiryDate"] = format_timestamp(entry.expiry_date)
        if entry.parent_id_token is not None:
            info["parentIdTag"] = entry.parent_id_token
        item["idTagInfo"] = info
    return item


def _list_change(item: dict[str, Any]) -> ListChange:
    info = item.get("idTagInfo")
    if not info:
        return ListChange(item["idTag"], None)
    return ListChange(
        item["idTag"],
        token_entry(item["idTag"], info["status"], None, info.get("expiryDate"), info.get("parentIdTag")),
    )


CODEC: LocalListsCodec = V16LocalLists()
