"""What a use case reaches, declared beside it (decision 0040).

Each use-case module (`shared/services/<block>.py`, or a module of a block's package) that
reaches DynamoDB or anything else of AWS says so in a module constant `GRANTS = grants(...)`:
tables as their records name them (`table="charge-points"`), indexes as `table/index`, the bus,
the connections, the files bucket's prefixes and the secrets under `csms/`. An operation that
only some of a module's hosts run declares what it reaches beside it, in a constant of its own
(`SENDS = grants(connections=("post",))`), which a host names as `module:SENDS`. A function
(shared.manifest) names the use cases it hosts and is granted the union of theirs: by IAM in the
cloud (infra/), and by the local runtime and the integration tests, which refuse anything else
as AWS would (local/runtime/grants.py)."""

from __future__ import annotations

import pkgutil
from dataclasses import dataclass, fields
from importlib import import_module
from typing import Any

# The connection management API's operations, as its IAM resource names their methods.
CONNECTION_METHODS = {"post": "POST", "read": "GET", "close": "DELETE"}


@dataclass(frozen=True)
class Grants:
    # Read: GetItem, Query, Scan, a batch's or a transaction's reads and condition checks.
    reads: frozenset[str] = frozenset()
    # Written: PutItem, UpdateItem, DeleteItem, and in a batch or a transaction.
    writes: frozenset[str] = frozenset()
    # Put only, never updated or deleted (the audit trail).
    appends: frozenset[str] = frozenset()
    # Queried: `table/index`.
    indexes: frozenset[str] = frozenset()
    # Puts domain events on the bus.
    bus: bool = False
    # The charge points' connections: "post" to, "read" about, "close" (CONNECTION_METHODS).
    connections: frozenset[str] = frozenset()
    # The files bucket by key prefix: read (GetObject, HeadObject, a URL to get) and written
    # (PutObject, DeleteObject, a copy's target, a URL to put).
    file_reads: frozenset[str] = frozenset()
    file_writes: frozenset[str] = frozenset()
    # Secrets read, by name under csms/ (a name ending in "/" is a folder of them), and made.
    secrets: frozenset[str] = frozenset()
    secrets_made: frozenset[str] = frozenset()
    # Issues certificates from AWS Private CA, when the stack has one.
    private_ca: bool = False

    def __or__(self, other: Grants) -> Grants:
        merged: dict[str, Any] = {}
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(other, field.name)
            merged[field.name] = mine or theirs if isinstance(mine, bool) else mine | theirs
        return Grants(**merged)

    def touched(self) -> frozenset[str]:
        return self.reads | self.writes | self.appends | {index.partition("/")[0] for index in self.indexes}

    def may_read_file(self, key: str) -> bool:
        return any(key.startswith(prefix) for prefix in self.file_reads)

    def may_write_file(self, key: str) -> bool:
        return any(key.startswith(prefix) for prefix in self.file_writes)

    def may_read_secret(self, name: str) -> bool:
        return _named(name, self.secrets)

    def may_make_secret(self, name: str) -> bool:
        return _named(name, self.secrets_made)


def _named(name: str, names: frozenset[str]) -> bool:
    """The name, or a name in a folder of them (ending in "/")."""
    return any(name == s or (s.endswith("/") and name.startswith(s)) for s in names)


def grants(
    reads: tuple[str, ...] = (),
    writes: tuple[str, ...] = (),
    appends: tuple[str, ...] = (),
    indexes: tuple[str, ...] = (),
    *,
    bus: bool = False,
    connections: tuple[str, ...] = (),
    file_reads: tuple[str, ...] = (),
    file_writes: tuple[str, ...] = (),
    secrets: tuple[str, ...] = (),
    secrets_made: tuple[str, ...] = (),
    private_ca: bool = False,
) -> Grants:
    """A module's declaration, written as tuples."""
    unknown = set(connections) - CONNECTION_METHODS.keys()
    if unknown:
        raise ValueError(f"not a connection operation: {sorted(unknown)}")
    return Grants(
        frozenset(reads),
        frozenset(writes),
        frozenset(appends),
        frozenset(indexes),
        bus,
        frozenset(connections),
        frozenset(file_reads),
        frozenset(file_writes),
        frozenset(secrets),
        frozenset(secrets_made),
        private_ca,
    )


NONE = Grants()


def declared(use: str) -> Grants:
    """What one use-case module declares in GRANTS (`module:NAME`: in NAME); a package's name
    stands for all its modules' GRANTS."""
    use, _, name = use.partition(":")
    module = import_module(f"shared.services.{use}")
    found: Grants = getattr(module, name or "GRANTS", NONE)
    if name:
        return found
    for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
        found |= declared(f"{use}.{info.name}")
    return found


def granted(uses: tuple[str, ...]) -> Grants:
    """The union of what the hosted use cases declare."""
    union = NONE
    for use in uses:
        union |= declared(use)
    return union
