"""Counting AWS calls at the botocore boundary, for tests and benchmarks that hold the
handlers to the per-message budgets (docs/architecture.md)."""

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
    """Calls per (service, operation); DynamoDB's transactions and batches count per item."""

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


def _items(operation: str, params: dict[str, Any]) -> int:
    """A transaction or batch counts once per item: each item is a read or write of its own
    (a transactional one costs DynamoDB twice the capacity, on top)."""
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return len(params.get("TransactItems", []))
    if operation == "BatchWriteItem":
        return sum(len(requests) for requests in params.get("RequestItems", {}).values())
    if operation == "BatchGetItem":
        return sum(len(table["Keys"]) for table in params.get("RequestItems", {}).values())
    return 1


@contextmanager
def count_aws_calls() -> Iterator[AwsCalls]:
    calls = AwsCalls()
    original = BaseClient._make_api_call

    def counting(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        calls.by_operation[(client.meta.service_model.service_name, operation)] += _items(operation, params)
        return original(client, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", counting):
        yield calls
