"""What a block may do with the tables, declared beside the block (decision 0038).

Each use-case module (`shared/services/<block>.py`, or a module of a block's package) that
reaches DynamoDB says so in a module constant `ACCESS = Access(...)`, naming tables as their
records do (`table="charge-points"`) and indexes as `table/index`. A function (shared.manifest)
names the use-case modules it hosts and is granted the union of theirs: by IAM in the cloud
(infra/functions.py), and by the local runtime and the integration tests, which refuse any
other table as AWS would (local/runtime/access.py)."""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Access:
    # Read: GetItem, Query, Scan, a batch's or a transaction's reads and condition checks.
    reads: frozenset[str] = frozenset()
    # Written: PutItem, UpdateItem, DeleteItem, and in a batch or a transaction.
    writes: frozenset[str] = frozenset()
    # Put only, never updated or deleted (the audit trail).
    appends: frozenset[str] = frozenset()
    # Queried: `table/index`.
    indexes: frozenset[str] = frozenset()

    def __or__(self, other: Access) -> Access:
        return Access(
            self.reads | other.reads,
            self.writes | other.writes,
            self.appends | other.appends,
            self.indexes | other.indexes,
        )

    def tables(self) -> frozenset[str]:
        return self.reads | self.writes | self.appends | {index.partition("/")[0] for index in self.indexes}


def access(
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    appends: tuple[str, ...] = (),
    indexes: tuple[str, ...] = (),
) -> Access:
    """A module's declaration, written as tuples."""
    return Access(frozenset(reads), frozenset(writes), frozenset(appends), frozenset(indexes))


NOTHING = Access()


def declared(use: str) -> Access:
    """What one use-case module declares in ACCESS (`module:NAME`: in NAME); a package's name
    stands for all its modules."""
    use, _, name = use.partition(":")
    module = import_module(f"shared.services.{use}")
    found: Access = getattr(module, name or "ACCESS", NOTHING)
    if name:
        return found
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        found |= declared(f"{use}.{info.name}")
    return found


def granted(uses: tuple[str, ...]) -> Access:
    """The union of what the hosted use cases declare."""
    union = NOTHING
    for use in uses:
        union |= declared(use)
    return union
