"""DynamoDB helpers every data module uses: condition failures, optional attributes, compact
JSON and opaque page tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pynamodb.attributes import Attribute, JSONAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import QueryError, ScanError, TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from shared.domain.errors import BadPageToken
from shared.settings import get_settings

T = TypeVar("T")


class CompactJSON(JSONAttribute):
    """JSON without the spaces json.dumps puts after separators: a byte a key and a value,
    in items kept by the million."""

    def serialize(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value, separators=(",", ":"))


@lru_cache(maxsize=1)
def connection() -> Connection:
    """The connection DynamoDB transactions across tables go through."""
    settings = get_settings()
    return Connection(region=settings.region, host=settings.dynamodb_endpoint)


def cancelled_by_condition(error: TransactWriteError) -> list[bool]:
    """Which items of a cancelled transaction failed their condition, in the order DynamoDB got
    them: pynamodb sends condition checks, then deletes, then puts, then updates."""
    return [r is not None and r.code == "ConditionalCheckFailed" for r in error.cancellation_reasons or []]


def condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def set_or_remove(attribute: Attribute[Any], value: Any) -> Action:
    return attribute.remove() if value is None else attribute.set(value)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_token: str | None


def every_item(listing: Callable[[int, str | None], Page[T]], page_size: int = 1000) -> Iterator[T]:
    """Every item of a paginated listing, page after page (a whole scan: for the few reads over
    a fleet that need all of it)."""
    token = None
    while True:
        page = listing(page_size, token)
        yield from page.items
        token = page.next_token
        if token is None:
            return


def key_names(model: type[Model], index: Any = None) -> frozenset[str]:
    """The attributes a start key of this table (or of this index of it) is made of."""
    names = {model._hash_keyname, model._range_keyname}
    if index is not None:
        names |= {entry["AttributeName"] for entry in index._get_schema()["key_schema"]}
    return frozenset(name for name in names if name)


def resume_from(next_token: str | None, listing: str, names: frozenset[str]) -> dict[str, Any] | None:
    """The DynamoDB start key a page token holds (None: the first page). A token holds the
    listing it was handed out by (a table or index, and its partition), so that one of
    another listing, or made up, is a bad request rather than a question DynamoDB refuses."""
    if not next_token:
        return None
    position = decode_token(next_token, {"of", "key"})
    if position["of"] != listing:
        raise BadPageToken()
    return start_key(position["key"], names)


def start_key(key: Any, names: frozenset[str]) -> dict[str, Any]:
    """A DynamoDB key as a token carries it: these attribute names, to a string or a number."""
    if not isinstance(key, dict) or set(key) != names:
        raise BadPageToken()
    for name, value in key.items():
        if not (isinstance(value, dict) and len(value) == 1 and isinstance(name, str)):
            raise BadPageToken()
        ((kind, text),) = value.items()
        if kind not in ("S", "N") or not isinstance(text, str):
            raise BadPageToken()
    return key


def page_of(
    results: Any, limit: int, listing: str, convert: Callable[[Any], T] = lambda item: item
) -> Page[T]:
    """A page from a pynamodb result iterator run with `limit`: a token only when the page is
    full and DynamoDB has more to read."""
    items = read(results, convert)
    last = results.last_evaluated_key
    return Page(items, encode_token({"of": listing, "key": last}) if last and len(items) == limit else None)


def read(results: Any, convert: Callable[[Any], T] = lambda item: item) -> list[T]:
    """Every item of a result iterator; a start key DynamoDB finds no place for is a bad token."""
    try:
        return [convert(item) for item in results]
    except (QueryError, ScanError) as error:
        if getattr(error, "cause_response_code", None) == "ValidationException":
            raise BadPageToken() from None
        raise


def encode_token(position: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def decode_token(token: str, keys: set[str]) -> dict[str, Any]:
    """The position a token holds, which must have exactly these keys."""
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError:
        raise BadPageToken() from None
    if not isinstance(position, dict) or set(position) != keys:
        raise BadPageToken()
    return position
