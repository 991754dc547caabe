"""Local lists in OCPP 2.0.1 and 2.1: idToken entries under versionNumber."""

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
from shared.protocol.v2 import GROUP_TOKEN_TYPE


class V2LocalLists:
    def send_local_list(self, update: ListUpdate) -> Intent:
        return local_list_call(update, "versionNumber", _list_item)

    def local_list_sent(self, command: Command) -> ListUpdate | None:
        return local_list_read(command, "versionNumber", _list_change)

    def local_list_version(self, command: Command, response: dict[str, Any]) -> int | None:
        if command.action == "SendLocalList" and accepted(response):
            return int(command.payload["versionNumber"])
        if command.action == "GetLocalListVersion":
            return int(response["versionNumber"])
        return None

    def local_list_limits(self, configuration: dict[str, str | None]) -> tuple[int | None, int | None]:
        return read_limit(configuration, "LocalAuthListCtrlr/Entries/maxLimit") or read_limit(
            configuration, "LocalAuthListCtrlr/Entries"
        ), read_limit(configuration, "LocalAuthListCtrlr/ItemsPerMessage")


def _list_item(change: ListChange) -> dict[str, Any]:
    """An entry of a 2.x local list; without idTokenInfo it removes the token."""
    entry = change.entry
    token_type = (entry.token_type if entry else None) or "ISO14443"
    item: dict[str, Any] = {"idToken": {"idToken": change.id_token, "type": token_type}}
    if entry is not None:
        info: dict[str, Any] = {"status": entry.status.value}
        if entry.expiry_date is not None:
            info["cacheExpiryDateTime"] = format_timestamp(entry.expiry_date)
        if entry.parent_id_token is not None:
            info["groupIdToken"] = {"idToken": entry.parent_id_token, "type": GROUP_TOKEN_TYPE}
        item["idTokenInfo"] = info
    return item


def _list_change(item: dict[str, Any]) -> ListChange:
    token, info = item["idToken"], item.get("idTokenInfo")
    if not info:
        return ListChange(token["idToken"], None)
    group = (info.get("groupIdToken") or {}).get("idToken")
    expiry = info.get("cacheExpiryDateTime")
    return ListChange(
        token["idToken"], token_entry(token["idToken"], info["status"], token["type"], expiry, group)
    )


CODEC: LocalListsCodec = V2LocalLists()
