"""Authorization: who may charge. The operator's id-token list, the answers Authorize and the
transaction messages give from it, and the local list version answers report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import charge_points, id_tokens
from shared.data.dynamo import Page
from shared.domain.authorization import NO_AUTHORIZATION, Authorization, IdToken, TokenEntry, authorize
from shared.domain.commands import Command
from shared.domain.errors import NotFound
from shared.protocol.versions import profile_for


def authorization_for(token: IdToken, now: datetime) -> Authorization:
    """At most 1 read (none for a 2.x NoAuthorization token, or an empty one)."""
    if not token.value:
        return authorize(token, None, now)  # the schemas allow an empty token; it is no one's
    entry = None if token.type == NO_AUTHORIZATION else id_tokens.find_id_token(token.value)
    return authorize(token, entry, now)


def find_id_token(id_token: str) -> TokenEntry:
    entry = id_tokens.find_id_token(id_token)
    if entry is None:
        raise NotFound(f"Id token {id_token}")
    return entry


def list_id_tokens(limit: int, next_token: str | None) -> Page[TokenEntry]:
    return id_tokens.list_id_tokens(limit, next_token)


def put_id_token(entry: TokenEntry, now: datetime) -> bool:
    """Adds the entry or replaces it; whether it is new."""
    return id_tokens.put_id_token(entry, now)


def delete_id_token(id_token: str) -> None:
    if not id_tokens.delete_id_token(id_token):
        raise NotFound(f"Id token {id_token}")


def local_list_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """SendLocalList, GetLocalListVersion: the version the charge point now holds."""
    version = profile_for(command.ocpp_version).adapter.local_list_version(command, response)
    if version is not None:
        charge_points.set_local_list_version(command.charge_point_id, version)
