"""DynamoDB helpers every data module uses: condition failures, optional attributes and
opaque page tokens."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from pynamodb.attributes import Attribute
from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action

from shared.domain.errors import BadPageToken
from shared.settings import get_settings

T = TypeVar("T")


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


def resume_from(next_token: str | None) -> dict[str, Any] | None:
    """The DynamoDB start key a page token holds (None: the first page)."""
    return decode_token(next_token, {"key"})["key"] if next_token else None


def page_of(results: Any, limit: int, convert: Callable[[Any], T] = lambda item: item) -> Page[T]:
    """A page from a pynamodb result iterator run with `limit`: a token only when the page is
    full and DynamoDB has more to read."""
    items = [convert(item) for item in results]
    last = results.last_evaluated_key
    return Page(items, encode_token({"key": last}) if last and len(items) == limit else None)


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
