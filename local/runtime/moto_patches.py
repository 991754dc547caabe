"""Where moto, run in process under many handler threads, parts from DynamoDB in ways that a
load run feels. Applied by the local runtime only; tests of the handlers use moto as it is.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from moto.core import responses as moto_responses
from moto.core.botocore_stubber import BotocoreStubber
from moto.core.responses import ActionResult
from moto.core.utils import get_service_model, method_names_from_class
from moto.dynamodb import models as dynamodb_models
from moto.dynamodb import responses as dynamodb_responses
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.dynamodb.parsing import validators
from moto.dynamodb.parsing.ast_nodes import Node
from moto.dynamodb.parsing.expressions import UpdateExpressionParser
from moto.dynamodb.responses import DynamoHandler

_transaction = threading.local()
_query = threading.local()


@contextlib.contextmanager
def applied() -> Iterator[None]:
    with (
        mock.patch.object(BotocoreStubber, "process_request", _one_request_at_a_time()),
        mock.patch.object(DynamoDBBackend, "transact_write_items", _transactions_keeping_their_items()),
        mock.patch.object(Table, "__deepcopy__", _table_deepcopy, create=True),
        mock.patch.object(DynamoHandler, "serialized", _item_answers_as_they_are()),
        mock.patch.object(Table, "query", _queries_read_what_they_ask()),
        mock.patch.object(Table, "all_items", _items_for_the_query()),
        mock.patch.object(
            moto_responses, "method_names_from_class", functools.cache(method_names_from_class)
        ),
        mock.patch.object(ConditionExpressionParser, "parse", _conditions_parsed_once()),
        mock.patch.object(dynamodb_responses, "UpdateExpressionParser", _UpdatesParsedOnce),
        mock.patch.object(dynamodb_models, "UpdateExpressionParser", _UpdatesParsedOnce),
        mock.patch.object(validators, "deepcopy", _tree_copied()),
    ):
        yield


def _one_request_at_a_time() -> Callable[..., Any]:
    """moto's backends are not thread-safe, and the handlers run in many threads: a
    TransactWriteItems deep-copies its tables while another thread writes to them ("dictionary
    changed size during iteration"). DynamoDB has no such failure, so moto's answers are
    serialised here; they hold the GIL anyway, so little throughput is lost. (Requests that
    other tools send to the moto server take another path, without this lock: look, don't load.)"""
    lock = threading.RLock()
    original = BotocoreStubber.process_request

    def process_request(self: BotocoreStubber, request: Any) -> Any:
        with lock:
            return original(self, request)

    return process_request


def _transactions_keeping_their_items() -> Callable[..., None]:
    """To roll a failed TransactWriteItems back, moto deep-copies every table it names, whole:
    a cost that grows with the table (a StartTransaction copies every session there is), so
    a long run slows down by itself. Here only the items the transaction names are kept, and
    put back if it fails."""
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        kept = [_keep(self, item) for item in transact_items]
        _transaction.active = True
        try:
            original(self, transact_items)
        except Exception:
            for backup in reversed([k for k in kept if k is not None]):
                _restore(*backup)
            raise
        finally:
            _transaction.active = False

    return transact_write_items


def _table_deepcopy(self: Table, memo: dict[int, Any]) -> Table:
    if getattr(_transaction, "active", False):
        return self  # moto's whole-table backup: the named items are kept instead
    clone = Table.__new__(Table)
    memo[id(self)] = clone
    for name, value in vars(self).items():
        setattr(clone, name, copy.deepcopy(value, memo))
    return clone


Backup = tuple[Table, DynamoType, DynamoType | None, Any]


def _keep(backend: DynamoDBBackend, item: dict[str, Any]) -> Backup | None:
    """The named item as it is before the transaction (None where it does not exist yet)."""
    operation = next(iter(item.values()))
    table = backend.tables.get(operation.get("TableName"))
    if table is None:
        return None
    key = operation.get("Key") or operation.get("Item") or {}
    if table.hash_key_attr not in key or (table.range_key_attr and table.range_key_attr not in key):
        return None  # moto refuses it before writing anything
    hash_value = DynamoType(key[table.hash_key_attr])
    range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    return table, hash_value, range_value, copy.deepcopy(table.get_item(hash_value, range_value))


def _restore(table: Table, hash_value: DynamoType, range_value: DynamoType | None, before: Any) -> None:
    if before is None:
        table.delete_item(hash_value, range_value)
        if range_value is not None and not table.items.get(hash_value):
            table.items.pop(hash_value, None)
    elif range_value is not None:
        table.items[hash_value][range_value] = before
    else:
        table.items[hash_value] = before


# DynamoDB's item operations, whose answers moto's backend already makes in the wire's JSON.
ITEM_OPERATIONS = frozenset(
    {
        "GetItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactGetItems",
        "TransactWriteItems",
    }
)


def _item_answers_as_they_are() -> Callable[[DynamoHandler, ActionResult], Any]:
    """moto writes every answer by walking the operation's output shape, a third of what a
    GetItem costs. An item operation's answer is already DynamoDB's JSON: here it is written as
    it is, with the keys the shape has (moto adds one or two that it does not). Errors and the
    other operations keep moto's way."""
    original = DynamoHandler.serialized
    members: dict[str, frozenset[str]] = {}

    def serialized(self: DynamoHandler, action_result: ActionResult) -> Any:
        result = action_result.result
        action = self._get_action()
        if action not in ITEM_OPERATIONS or not isinstance(result, dict):
            return original(self, action_result)
        names = members.get(action)
        if names is None:
            shape = get_service_model("dynamodb").operation_model(action).output_shape
            names = members[action] = frozenset(shape.members if shape is not None else ())
        try:
            body = json.dumps({key: value for key, value in result.items() if key in names})
        except TypeError:  # a value JSON cannot write as it is: moto knows how
            return original(self, action_result)
        return 200, {"Content-Type": "application/x-amz-json-1.0", **self.response_headers}, body

    return serialized


def _queries_read_what_they_ask() -> Callable[..., Any]:
    """moto answers every Query from the whole table, sorted: a cost that grows with the table
    (a session's meter values read back from every session's). The query's candidates are
    what DynamoDB would read: the partition asked for, or for an index every item (unsorted: the
    query sorts its candidates by the index's keys, the table's keys breaking ties). The answer,
    its order and its pages are moto's."""
    original = Table.query
    signature = inspect.signature(original)

    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        asked = signature.bind(self, *args, **kwargs).arguments
        _query.scope = (self, None if asked.get("index_name") else asked["hash_key"])
        try:
            return original(self, *args, **kwargs)
        finally:
            _query.scope = None

    return query


def _items_for_the_query() -> Callable[[Table], list[Any]]:
    original = Table.all_items

    def all_items(self: Table) -> list[Any]:
        scope: tuple[Table, DynamoType | None] | None = getattr(_query, "scope", None)
        if scope is None or scope[0] is not self:
            return original(self)  # a scan: in the keys' order, for its pages
        hash_key = scope[1]
        if hash_key is None:
            return [item for kept in self.items.values() for item in _in_partition(self, kept)]
        return list(_in_partition(self, self.items.get(hash_key, {})))

    return all_items


def _in_partition(table: Table, kept: Any) -> Iterator[Any]:
    if table.range_key_attr:
        yield from kept.values()
    elif kept:
        yield kept


# Expressions come from a handful of places in the code, with placeholders for names and values:
# a few hundred at most. Past this many, new ones are parsed each time as moto does.
MOST_EXPRESSIONS = 4096


def _conditions_parsed_once() -> Callable[[ConditionExpressionParser], Any]:
    """moto parses a condition expression, character by character, each time it is used, twice
    for most writes (the request checked, then the item). A parsed condition is a tree that is only
    read, with its values in it: kept by expression, names and values, with the names and values
    the parse found (which the request's checks read from the parser)."""
    original = ConditionExpressionParser.parse
    parsed: dict[tuple[str, str, str], tuple[Any, list[str], list[str]]] = {}

    def parse(self: ConditionExpressionParser) -> Any:
        key = (
            self.condition_expression or "",
            json.dumps(self.expression_attribute_names, sort_keys=True),
            json.dumps(self.expression_attribute_values, sort_keys=True),
        )
        kept = parsed.get(key)
        if kept is None:
            # An expression that does not parse raises, and is not kept.
            kept = (original(self), list(self.expr_attr_names_found), list(self.expr_attr_values_found))
            if len(parsed) < MOST_EXPRESSIONS:
                parsed[key] = kept
        else:
            self.expr_attr_names_found.extend(kept[1])
            self.expr_attr_values_found.extend(kept[2])
        return kept[0]

    return parse


class _UpdatesParsedOnce:
    """moto parses an update expression twice per update, to check the request and to apply it;
    both only read the tree (the validator that applies it works on a copy). Each expression is
    parsed once."""

    @staticmethod
    @functools.lru_cache(maxsize=MOST_EXPRESSIONS)
    def make(expression: str) -> Node:
        return UpdateExpressionParser.make(expression)


def _tree_copied() -> Callable[..., Any]:
    """The validator deep-copies the parsed tree before it rewrites it, at twice the cost of the
    parse itself. A parsed tree's nodes hold only their type, parent and children, and the
    leaves' children are strings: a copy of the nodes is enough."""

    def tree_copied(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, Node) and value.parent is None:
            return _copy_tree(value, None)
        return copy.deepcopy(value, memo)

    return tree_copied


def _copy_tree(node: Node, parent: Node | None) -> Node:
    copied = object.__new__(type(node))
    copied.__dict__.update(node.__dict__)
    copied.parent = parent
    if node.children is not None:
        copied.children = [
            _copy_tree(child, copied) if isinstance(child, Node) else child for child in node.children
        ]
    return copied
