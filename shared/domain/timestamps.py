"""Timestamps as the CSMS stores and sends them: aware UTC, millisecond precision, a Z."""

from __future__ import annotations

from datetime import UTC, datetime


def format_timestamp(value: datetime) -> str:
    """UTC with millisecond precision and a Z, the form every OCPP version accepts and that
    sorts as text in DynamoDB keys."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> datetime:
    return datetime.now(UTC)
