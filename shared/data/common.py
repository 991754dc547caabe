"""What every data-access module shares: DynamoDB condition failures, optional attributes and
opaque page tokens."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pynamodb.attributes import Attribute
from pynamodb.expressions.update import Action

T = TypeVar("T")


class NotRegistered(Exception):
    """The charge point has no record (deregistered, or never registered)."""


class BadPageToken(ValueError):
    """A nextToken that this API did not hand out."""


def condition_failed(error: Exception) -> bool:
    return getattr(error, "cause_response_code", None) == "ConditionalCheckFailedException"


def set_or_remove(attribute: Attribute[Any], value: Any) -> Action:
    return attribute.remove() if value is None else attribute.set(value)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    next_token: str | None


def encode_token(position: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position, separators=(",", ":")).encode()).decode()


def decode_token(token: str, keys: set[str]) -> dict[str, Any]:
    """The position a token holds, which must have exactly these keys."""
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode()))
    except ValueError:
        raise BadPageToken("nextToken is not one this API handed out") from None
    if not isinstance(position, dict) or set(position) != keys:
        raise BadPageToken("nextToken is not one this API handed out")
    return position
