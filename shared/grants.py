"""What a use case does with the tables, declared beside it (decision 0040).

Each use-case module (`shared/services/<block>.py`, or a module of a block's package) that
reaches DynamoDB says so in a module constant `TABLES = tables(...)`, naming tables as their
records do (`table="charge-points"`) and indexes as `table/index`. A function (shared.manifest)
names the use-case modules it hosts and is granted the union of theirs: by IAM in the cloud
(infra/functions.py), and by the local runtime and the integration tests, which refuse any
other table as AWS would (local/runtime/grants.py)."""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Tables:
    # Read: GetItem, Query, Scan, a batch's or a transaction's reads and condition checks.
    reads: frozenset[str] = frozenset()
    # Written: PutItem, UpdateItem, DeleteItem, and in a batch or a transaction.
    writes: frozenset[str] = frozenset()
    # Put only, never updated or deleted (the audit trail).
    appends: frozenset[str] = frozenset()
    # Queried: `table/index`.
    indexes: frozenset[str] = frozenset()

    def __or__(self, other: Tables) -> Tables:
        return Tables(
            self.reads | other.reads,
            self.writes | other.writes,
            self.appends | other.appends,
            self.indexes | other.indexes,
        )

    def touched(self) -> frozenset[str]:
        return self.reads | self.writes | self.appends | {index.partition("/")[0] for index in self.indexes}


def tables(
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    appends: tuple[str, ...] = (),
    indexes: tuple[str, ...] = (),
) -> Tables:
    """A module's declaration, written as tuples."""
    return Tables(frozenset(reads), frozenset(writes), frozenset(appends), frozenset(indexes))


NONE = Tables()


def declared(use: str) -> Tables:
    """What one use-case module declares in TABLES (`module:NAME`: in NAME); a package's name
    stands for all its modules."""
    use, _, name = use.partition(":")
    module = import_module(f"shared.services.{use}")
    found: Tables = getattr(module, name or "TABLES", NONE)
    if name:
        return found
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        found |= declared(f"{use}.{info.name}")
    return found


def granted(uses: tuple[str, ...]) -> Tables:
    """The union of what the hosted use cases declare."""
    union = NONE
    for use in uses:
        union |= declared(use)
    return union
