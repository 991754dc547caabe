"""What the blocks' codecs share, whatever the version: reading a time, an answer's status,
the error for a message a version does not have, a maintenance status."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger

from shared.domain.maintenance import Kind, StatusReport
from shared.protocol.errors import ErrorKind, RpcError

logger = Logger(child=True)

# The years a charge point's clock can mean (an unset clock says 1970 or 2000). Outside them a
# time is refused rather than stored: arithmetic on it would leave the calendar.
EARLIEST_YEAR, LATEST_YEAR = 1970, 9000


def not_in_version(what: str) -> RpcError:
    """For a message the registry never routes to this version's codec."""
    return RpcError(ErrorKind.NOT_SUPPORTED, f"{what} is not a message of this OCPP version")


def parse_timestamp(value: str, field: str) -> datetime:
    """Read an OCPP dateTime. One without a zone is read as UTC and flagged in the log, as
    real chargers send them and rejecting the message would lose data."""
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            logger.warning(
                "Timestamp without a time zone read as UTC", extra={"field": field, "value": value}
            )
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # not a date-time, or one that leaves the calendar in UTC
        raise RpcError(
            ErrorKind.PROPERTY_CONSTRAINT, f"{field}: {value!r} is not an ISO 8601 date-time"
        ) from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise RpcError(
            ErrorKind.PROPERTY_CONSTRAINT,
            f"{field}: {value!r} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}",
        )
    return parsed


def accepted(response: dict[str, Any] | None) -> bool:
    return bool(response) and (response or {}).get("status") == "Accepted"


def status_text(info: dict[str, Any] | None) -> str:
    """2.x's statusInfo as one line: its reason code and additional info."""
    info = info or {}
    return " ".join(part for part in (info.get("reasonCode"), info.get("additionalInfo")) if part)


def status_reason(response: dict[str, Any]) -> str:
    """An answer's status with the reason 2.x may give (statusInfo)."""
    why = status_text(response.get("statusInfo"))
    return f"{response.get('status')}: {why}" if why else str(response.get("status"))


def retries(count: int | None, interval_s: int | None) -> dict[str, Any]:
    """The retries and retryInterval of a firmware update or a log request, where given."""
    found = {"retries": count, "retryInterval": interval_s}
    return {key: value for key, value in found.items() if value is not None}


def maintenance_status(kind: Kind, payload: dict[str, Any]) -> StatusReport:
    """A firmware or log status notification: every version says `status`, the security
    extension and 2.x a `requestId` and 2.x a `statusInfo`."""
    text = status_text(payload.get("statusInfo"))
    return StatusReport(kind, payload["status"], payload.get("requestId"), text or None)
