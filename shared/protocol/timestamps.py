"""Wire timestamps: ISO 8601 in, aware UTC out."""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools import Logger

from shared.protocol.errors import ErrorKind, RpcError

logger = Logger(child=True)


def parse_timestamp(value: str, field: str) -> datetime:
    """Read an OCPP dateTime. One without a zone is read as UTC and flagged in the log, as
    real chargers send them and rejecting the message would lose data."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise RpcError(
            ErrorKind.PROPERTY_CONSTRAINT, f"{field}: {value!r} is not an ISO 8601 date-time"
        ) from None
    if parsed.tzinfo is None:
        logger.warning("Timestamp without a time zone read as UTC", extra={"field": field, "value": value})
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_timestamp(value: datetime) -> str:
    """UTC with millisecond precision and a Z, the form every OCPP version accepts."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def utc_now() -> datetime:
    return datetime.now(UTC)
