"""What each invocation would cost in the cloud, counted as the local runtime runs it (`python -m
local --count-usage`), for the cost model (`make cost`, docs/decisions/0027).

An invocation is tallied under its kind: the OCPP version and action of a frame for the router
(`2.0.1 TransactionEvent Updated`, `1.6 reply` for an answer to a CSMS call), the function's
name otherwise. For each kind: invocations, the handler's CPU time outside AWS calls, AWS round
trips by service, DynamoDB read and write units (from the items' sizes by DynamoDB's rules,
index writes included), bytes of new items, EventBridge entries, WebSocket messages in and
out (billed per 32 KB) and their bytes, application log bytes by level and the metric
documents' bytes. Counting is off unless asked for: it reads moto's tables after each write.
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from botocore.client import BaseClient
from botocore.exceptions import ClientError

WEBSOCKET_MESSAGE_BYTES = 32 * 1024  # API Gateway bills a WebSocket message per 32 KB
EVENT_BYTES = 64 * 1024  # EventBridge bills an entry per 64 KB
READ_UNIT_BYTES = 4 * 1024
WRITE_UNIT_BYTES = 1024


@dataclass
class Tally:
    invocations: int = 0
    cpu_s: float = 0.0  # the handler's, less what its AWS calls took (moto is not the cloud)
    calls: Counter[str] = field(default_factory=Counter)
    read_units: float = 0.0
    write_units: float = 0.0
    stored_bytes: int = 0  # new items, with their index copies
    events: int = 0
    messages_in: int = 0
    bytes_in: int = 0
    messages_out: int = 0
    bytes_out: int = 0
    log_bytes: Counter[str] = field(default_factory=Counter)  # by level name
    metric_bytes: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            **{k: v for k, v in vars(self).items() if not isinstance(v, Counter)},
            "calls": dict(self.calls),
            "log_bytes": dict(self.log_bytes),
        }


@dataclass
class Usage:
    kinds: dict[str, Tally] = field(default_factory=dict)
    # Every (metric name, dimensions) emitted: each is a custom metric billed by the month.
    metrics: set[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def tally(self, kind: str) -> Tally:
        with self.lock:
            return self.kinds.setdefault(kind, Tally())

    def as_json(self) -> dict[str, Any]:
        with self.lock:
            return {
                "kinds": {kind: tally.as_json() for kind, tally in sorted(self.kinds.items())},
                "metrics": sorted([name, dict(dimensions)] for name, dimensions in self.metrics),
            }


_current = threading.local()


def current() -> Tally | None:
    return getattr(_current, "tally", None)


def kind_of(function: str, event: dict[str, Any]) -> str:
    """The router's frames by version and action (a TransactionEvent also by its type)."""
    if function != "ocpp-router":
        return function
    version = (event.get("requestContext", {}).get("authorizer") or {}).get("ocppVersion", "?")
    try:
        frame = json.loads(event.get("body") or "")
    except ValueError:
        return f"{version} malformed"
    if not isinstance(frame, list) or not frame or frame[0] != 2 or len(frame) < 4:
        return f"{version} reply"
    action = str(frame[2])
    if action == "TransactionEvent" and isinstance(frame[3], dict):
        return f"{version} {action} {frame[3].get('eventType', '')}".rstrip()
    return f"{version} {action}"


# --- DynamoDB's capacity units, from item sizes --------------------------------------------


def value_bytes(value: dict[str, Any]) -> int:
    """An attribute value's size by DynamoDB's rules (docs: item sizes and formats)."""
    [(kind, inner)] = value.items()
    if kind == "S":
        return len(inner.encode())
    if kind == "N":
        digits = len(str(inner).lstrip("-").replace(".", "").strip("0")) or 1
        return math.ceil(digits / 2) + 1
    if kind == "B":
        return len(inner)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in inner)
    if kind == "NS":
        return sum(value_bytes({"N": n}) for n in inner)
    if kind == "BS":
        return sum(len(b) for b in inner)
    if kind == "L":
        return 3 + sum(1 + value_bytes(v) for v in inner)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_bytes(v) for k, v in inner.items())
    raise ValueError(f"not a DynamoDB attribute value: {value!r}")


def item_bytes(item: dict[str, Any]) -> int:
    return sum(len(name.encode()) + value_bytes(value) for name, value in item.items())


def read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / READ_UNIT_BYTES))
    return units if consistent else units / 2


def write_units(size: int) -> int:
    return max(1, math.ceil(size / WRITE_UNIT_BYTES))


class Tables:
    """moto's tables in this process: an item's size after a write, and its index copies."""

    def __init__(self) -> None:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodb.models import dynamodb_backends

        self._backend = dynamodb_backends[DEFAULT_ACCOUNT_ID][os.environ.get("AWS_REGION", "eu-west-1")]

    def item(self, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
        from moto.dynamodb.models.dynamo_type import DynamoType

        found = self._backend.get_table(table)
        hash_key = DynamoType(key[found.hash_key_attr])
        range_key = DynamoType(key[found.range_key_attr]) if found.range_key_attr else None
        stored = found.get_item(hash_key, range_key)
        return None if stored is None else stored.to_json()["Attributes"]

    def key_of(self, table: str, item: dict[str, Any]) -> dict[str, Any]:
        found = self._backend.get_table(table)
        return {k: item[k] for k in (found.hash_key_attr, found.range_key_attr) if k}

    def index_copies(self, table: str, item: dict[str, Any]) -> dict[str, int]:
        """The size of each global index's copy of the item, by index (one that lacks its keys has none)."""
        found = self._backend.get_table(table)
        table_keys = [k for k in (found.hash_key_attr, found.range_key_attr) if k]
        sizes = {}
        for index in found.global_indexes:
            keys = [part["AttributeName"] for part in index.schema]
            if not all(k in item for k in keys):
                continue
            projection = index.projection.get("ProjectionType", "ALL")
            kept = {*keys, *table_keys, *(index.projection.get("NonKeyAttributes") or [])}
            copy = item if projection == "ALL" else {k: v for k, v in item.items() if k in kept}
            sizes[index.name] = item_bytes(copy)
        return sizes


@dataclass
class _Write:
    table: str
    key: dict[str, Any]
    put: dict[str, Any] | None  # the item a Put writes, as sent
    delete: bool
    factor: int  # 2 in a transaction
    check: bool = False  # a transaction's ConditionCheck: billed as a write, changes nothing


def _writes(operation: str, params: dict[str, Any], tables: Tables) -> list[_Write]:
    if operation == "PutItem":
        table = params["TableName"]
        return [_Write(table, tables.key_of(table, params["Item"]), params["Item"], False, 1)]
    if operation in ("UpdateItem", "DeleteItem"):
        return [_Write(params["TableName"], params["Key"], None, operation == "DeleteItem", 1)]
    if operation == "BatchWriteItem":
        writes = []
        for table, requests in params.get("RequestItems", {}).items():
            for request in requests:
                if "PutRequest" in request:
                    item = request["PutRequest"]["Item"]
                    writes.append(_Write(table, tables.key_of(table, item), item, False, 1))
                else:
                    writes.append(_Write(table, request["DeleteRequest"]["Key"], None, True, 1))
        return writes
    if operation == "TransactWriteItems":
        writes = []
        for entry in params.get("TransactItems", []):
            [(what, body)] = entry.items()
            table = body["TableName"]
            if what == "Put":
                writes.append(_Write(table, tables.key_of(table, body["Item"]), body["Item"], False, 2))
            elif what in ("Update", "Delete", "ConditionCheck"):
                writes.append(_Write(table, body["Key"], None, what == "Delete", 2, what == "ConditionCheck"))
        return writes
    return []


def count_dynamodb(
    tally: Tally, tables: Tables, operation: str, params: dict[str, Any], call: Callable[[], Any]
) -> Any:
    """Make the call and tally its units: a write by the larger of the item before and after
    (and one unit when its condition fails), each index copy as a write of its own."""
    writes = _writes(operation, params, tables)
    before = [tables.item(w.table, w.key) for w in writes]
    try:
        response = call()
    except ClientError:
        tally.write_units += sum(w.factor for w in writes)
        raise
    for write, old in zip(writes, before, strict=True):
        new = None if write.delete else (write.put or tables.item(write.table, write.key))
        size = max(item_bytes(old) if old else 0, item_bytes(new) if new else 0)
        tally.write_units += write_units(size) * write.factor
        if write.check:
            continue
        was, now = tables.index_copies(write.table, old or {}), tables.index_copies(write.table, new or {})
        for index in {*was, *now}:
            tally.write_units += write_units(max(was.get(index, 0), now.get(index, 0))) * write.factor
        if old is None and new is not None:
            tally.stored_bytes += item_bytes(new) + sum(now.values())
    tally.read_units += _read_units(operation, params, response)
    return response


def _read_units(operation: str, params: dict[str, Any], response: dict[str, Any]) -> float:
    consistent = bool(params.get("ConsistentRead"))
    if operation == "GetItem":
        return read_units(item_bytes(response.get("Item") or {}), consistent)
    if operation in ("Query", "Scan"):
        returned = response.get("Items") or []
        size = sum(item_bytes(i) for i in returned)
        scanned = response.get("ScannedCount", len(returned))
        if returned and scanned > len(returned):  # filtered out after reading: read all the same
            size = size * scanned // len(returned)
        return read_units(size, consistent)
    if operation == "BatchGetItem":
        return sum(
            read_units(item_bytes(item), False)
            for items in (response.get("Responses") or {}).values()
            for item in items
        )
    if operation == "TransactGetItems":
        return sum(
            2 * read_units(item_bytes(r.get("Item") or {}), True) for r in response.get("Responses") or []
        )
    return 0.0


# --- Hooks -------------------------------------------------------------------------------


class UsageCounter:
    """Installed for the runtime's life: AWS calls, log records and metric documents are
    tallied to the invocation running on the calling thread."""

    def __init__(self) -> None:
        self.usage = Usage()
        self._tables: Tables | None = None

    @contextmanager
    def invocation(self, function: str, event: dict[str, Any]) -> Iterator[Tally]:
        tally = self.usage.tally(kind_of(function, event))
        work = Tally()
        if function == "ocpp-router":
            body = event.get("body") or ""
            work.messages_in, work.bytes_in = _messages(len(body)), len(body)
        _current.tally = work
        started = time.thread_time()
        try:
            yield work
        finally:
            work.cpu_s += time.thread_time() - started
            _current.tally = None
            with self.usage.lock:
                _merge(tally, work)

    @contextmanager
    def installed(self) -> Iterator[UsageCounter]:
        from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import (
            AmazonCloudWatchEMFProvider,
        )

        original_call = BaseClient._make_api_call
        original_flush = AmazonCloudWatchEMFProvider.flush_metrics
        counter = self

        def api_call(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            tally = current()
            if tally is None:
                return original_call(client, operation, params)
            service = client.meta.service_model.service_name
            started = time.thread_time()
            try:
                if service == "dynamodb":
                    return count_dynamodb(
                        tally,
                        counter.tables,
                        operation,
                        params,
                        lambda: original_call(client, operation, params),
                    )
                if service == "events" and operation == "PutEvents":
                    tally.events += sum(
                        math.ceil(len(json.dumps(e).encode()) / EVENT_BYTES)
                        for e in params.get("Entries", [])
                    )
                if service == "apigatewaymanagementapi" and operation == "PostToConnection":
                    data = params.get("Data") or b""
                    size = len(data.encode() if isinstance(data, str) else data)
                    tally.messages_out += _messages(size)
                    tally.bytes_out += size
                return original_call(client, operation, params)
            finally:
                tally.calls[service] += 1
                tally.cpu_s -= time.thread_time() - started

        def flush(provider: Any, raise_on_empty_metrics: bool = False) -> None:
            tally = current()
            if tally is not None and provider.metric_set:
                document = provider.serialize_metric_set()
                tally.metric_bytes += len(json.dumps(document, separators=(",", ":")))
                for directive in document["_aws"]["CloudWatchMetrics"]:
                    for dimension_set in directive["Dimensions"]:
                        dimensions = tuple(sorted((d, str(document.get(d, ""))) for d in dimension_set))
                        for metric in directive["Metrics"]:
                            with counter.usage.lock:
                                counter.usage.metrics.add((metric["Name"], dimensions))
            original_flush(provider, raise_on_empty_metrics)

        handler = _LogBytes()
        logging.getLogger("csms").addHandler(handler)
        try:
            with (
                mock.patch.object(BaseClient, "_make_api_call", api_call),
                mock.patch.object(AmazonCloudWatchEMFProvider, "flush_metrics", flush),
            ):
                yield self
        finally:
            logging.getLogger("csms").removeHandler(handler)

    @property
    def tables(self) -> Tables:
        if self._tables is None:
            self._tables = Tables()
        return self._tables


class _LogBytes(logging.Handler):
    """The bytes each record would take in CloudWatch Logs, as Powertools writes it."""

    def emit(self, record: logging.LogRecord) -> None:
        tally = current()
        if tally is None:
            return
        from shared.observability import logger

        line = logger.registered_formatter.format(record)
        tally.log_bytes[record.levelname] += len(line.encode()) + 1


def _messages(size: int) -> int:
    return max(1, math.ceil(size / WEBSOCKET_MESSAGE_BYTES))


def _merge(into: Tally, work: Tally) -> None:
    into.invocations += 1
    for name, value in vars(work).items():
        if isinstance(value, Counter):
            getattr(into, name).update(value)
        elif name != "invocations":
            setattr(into, name, getattr(into, name) + value)
