"""Local authorization lists: what a charge point keeps of the id-token list, to authorize
drivers when it is offline. The CSMS's list is the source; a charge point gets it whole (full)
or as the changes since the version it accepted last (differential), in parts that fit it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.domain.authorization import TokenEntry


class UpdateType(StrEnum):
    FULL = "Full"
    DIFFERENTIAL = "Differential"


@dataclass(frozen=True)
class ListChange:
    """An entry to add or replace, or (entry None) a token to remove."""

    id_token: str
    entry: TokenEntry | None


@dataclass(frozen=True)
class ListUpdate:
    """One SendLocalList: the version it makes current and the entries it carries."""

    version: int
    update_type: UpdateType
    changes: tuple[ListChange, ...]


# What a station takes when it does not say (its configuration has no limit known).
DEFAULT_PER_MESSAGE = 100


def differential(held: dict[str, TokenEntry], source: dict[str, TokenEntry]) -> list[ListChange]:
    """What turns the list a charge point holds into the source: new and changed entries, and
    removals for tokens gone from the source. Sorted by token, so parts are stable."""
    changes = [
        ListChange(token, entry) for token, entry in source.items() if not _same(held.get(token), entry)
    ]
    changes += [ListChange(token, None) for token in held if token not in source]
    return sorted(changes, key=lambda change: change.id_token)


def _same(held: TokenEntry | None, entry: TokenEntry) -> bool:
    """The charge point holds this entry. A type the source leaves open ("any type") matches the
    type it was sent with."""
    if held is None:
        return False
    types_agree = held.token_type == entry.token_type or entry.token_type is None or held.token_type is None
    return types_agree and (held.status, held.expiry_date, held.parent_id_token) == (
        entry.status,
        entry.expiry_date,
        entry.parent_id_token,
    )


def plan_updates(
    version: int, update_type: UpdateType, changes: list[ListChange], per_message: int
) -> list[ListUpdate]:
    """The SendLocalList calls, each within `per_message` entries and a version higher than the
    last. A full list too long for one message goes as a full first part and differential rest."""
    if not changes:
        return [ListUpdate(version + 1, update_type, ())] if update_type is UpdateType.FULL else []
    size = max(1, per_message)
    parts = [tuple(changes[i : i + size]) for i in range(0, len(changes), size)]
    return [
        ListUpdate(version + n + 1, update_type if n == 0 else UpdateType.DIFFERENTIAL, part)
        for n, part in enumerate(parts)
    ]
