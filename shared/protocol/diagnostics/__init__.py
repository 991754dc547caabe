"""Diagnostics on the wire: logs asked for and reported, 2.x's device model reports of
events, monitors and customer information, with the monitors set and cleared, and 2.1's
periodic event streams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.errors import CommandRefused
from shared.domain.maintenance import Kind, LogRequest, MaintenanceAnswer
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import retries

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.commands import Command, Intent
    from shared.domain.maintenance import StatusReport
    from shared.domain.station_events import Monitor, StationEvent
    from shared.protocol.versions import Profile


class DiagnosticsCodec(Protocol):
    def get_log(self, request: LogRequest) -> Intent: ...

    def log_status(self, payload: dict[str, Any]) -> StatusReport:
        """LogStatusNotification, or 1.6's DiagnosticsStatusNotification."""
        ...

    def log_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        """What an answer to a log request said (None for other actions)."""
        ...

    def device_events(self, payload: dict[str, Any]) -> StationEvent:
        """2.x NotifyEvent, a part as it came."""
        ...

    def monitoring_report(self, payload: dict[str, Any]) -> StationEvent:
        """2.x NotifyMonitoringReport, a part as it came."""
        ...

    def customer_information(self, payload: dict[str, Any]) -> StationEvent:
        """2.x NotifyCustomerInformation, a part as it came."""
        ...

    def event_stream(self, payload: dict[str, Any], opened: bool, at: datetime) -> StationEvent:
        """2.1 OpenPeriodicEventStream (`opened`) or ClosePeriodicEventStream."""
        ...

    def stream_data(self, payload: dict[str, Any]) -> StationEvent:
        """2.1 NotifyPeriodicEventStream: one message's values, as they came."""
        ...

    def set_monitoring(self, monitors: list[Monitor]) -> Intent: ...
    def monitoring_base(self, base: str) -> Intent: ...
    def clear_monitoring(self, monitor_ids: list[int]) -> Intent: ...
    def get_monitoring_report(self, request_id: int, criteria: list[str]) -> Intent: ...


def diagnostics_codec(profile: Profile) -> DiagnosticsCodec:
    return cast("DiagnosticsCodec", profile.codec(__name__))


def get_log_payload(request: LogRequest, log_type: str) -> dict[str, Any]:
    """GetLog, the same in the 1.6 security extension and 2.x."""
    log: dict[str, Any] = {"remoteLocation": request.location}
    if request.oldest is not None:
        log["oldestTimestamp"] = format_timestamp(request.oldest)
    if request.latest is not None:
        log["latestTimestamp"] = format_timestamp(request.latest)
    return {
        "logType": log_type,
        "requestId": request.request_id,
        "log": log,
        **retries(request.retries, request.retry_interval_s),
    }


def get_log_answer(command: Command, response: dict[str, Any]) -> MaintenanceAnswer:
    return MaintenanceAnswer(
        Kind.LOG, command.payload["requestId"], response["status"], response.get("filename")
    )


def no_monitoring(version: str) -> CommandRefused:
    return CommandRefused(f"OCPP {version} has no variable monitoring (it came with 2.0.1's device model)")
