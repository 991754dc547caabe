"""Local authorization lists on the wire: SendLocalList and GetLocalListVersion."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.authorization import AuthorizationStatus, TokenEntry
from shared.domain.local_lists import ListChange, ListUpdate, UpdateType
from shared.protocol.common import parse_timestamp

if TYPE_CHECKING:
    from shared.domain.commands import Command, Intent
    from shared.protocol.versions import Profile


class LocalListsCodec(Protocol):
    def send_local_list(self, update: ListUpdate) -> Intent: ...

    def local_list_sent(self, command: Command) -> ListUpdate | None:
        """What a SendLocalList carried, read back from the command."""
        ...

    def local_list_version(self, command: Command, response: dict[str, Any]) -> int | None:
        """The local list version an answer makes current, if any."""
        ...

    def local_list_limits(self, configuration: dict[str, str | None]) -> tuple[int | None, int | None]:
        """The most entries a charge point's list holds, and per message, from its configuration
        (None where it has not said)."""
        ...


def local_lists_codec(profile: Profile) -> LocalListsCodec:
    return cast("LocalListsCodec", profile.codec(__name__))


def local_list_call(
    update: ListUpdate, version_key: str, item_of: Callable[[ListChange], dict[str, Any]]
) -> Intent:
    """SendLocalList, whose version field and entries each version names its own way."""
    payload: dict[str, Any] = {version_key: update.version, "updateType": update.update_type.value}
    if update.changes:
        payload["localAuthorizationList"] = [item_of(change) for change in update.changes]
    return "SendLocalList", payload


def local_list_read(
    command: Command, version_key: str, change_of: Callable[[dict[str, Any]], ListChange]
) -> ListUpdate | None:
    """What a SendLocalList carried, read back with the version's own reader of an entry."""
    if command.action != "SendLocalList":
        return None
    payload = command.payload
    changes = tuple(change_of(item) for item in payload.get("localAuthorizationList") or [])
    return ListUpdate(int(payload[version_key]), UpdateType(payload["updateType"]), changes)


def read_limit(configuration: dict[str, str | None], key: str) -> int | None:
    value = configuration.get(key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def token_entry(
    id_token: str, status: str, token_type: str | None, expiry: str | None, parent: str | None
) -> TokenEntry:
    return TokenEntry(
        id_token,
        AuthorizationStatus(status),
        token_type,
        parse_timestamp(expiry, "expiryDate") if expiry else None,
        parent,
    )
