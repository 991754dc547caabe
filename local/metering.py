"""Counting AWS calls at the botocore boundary, for tests and benchmarks that hold the
handlers to DESIGN.md's per-message budgets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from botocore.client import BaseClient

DYNAMODB_READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
DYNAMODB_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})


@dataclass
class AwsCalls:
    by_operation: Counter[tuple[str, str]] = field(default_factory=Counter)

    @property
    def dynamodb_reads(self) -> int:
        return self._count("dynamodb", DYNAMODB_READS)

    @property
    def dynamodb_writes(self) -> int:
        return self._count("dynamodb", DYNAMODB_WRITES)

    def _count(self, service: str, operations: frozenset[str] | None = None) -> int:
        return sum(
            n
            for (s, op), n in self.by_operation.items()
            if s == service and (operations is None or op in operations)
        )

    def of(self, service: str) -> int:
        return self._count(service)

    def reset(self) -> None:
        self.by_operation.clear()


@contextmanager
def count_aws_calls() -> Iterator[AwsCalls]:
    calls = AwsCalls()
    original = BaseClient._make_api_call

    def counting(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        calls.by_operation[(client.meta.service_model.service_name, operation)] += 1
        return original(client, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", counting):
        yield calls
