"""Diagnostics in OCPP 1.6: the core profile's GetDiagnostics, the security extension's GetLog."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.maintenance import Kind, LogRequest, LogType, MaintenanceAnswer, StatusReport
from shared.domain.station_events import Monitor, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import maintenance_status, not_in_version, retries
from shared.protocol.diagnostics import DiagnosticsCodec, get_log_answer, get_log_payload, no_monitoring


class V16Diagnostics:
    def get_log(self, request: LogRequest) -> Intent:
        """Diagnostics as the core profile's GetDiagnostics, which every 1.6 station knows; the
        security log as the security extension's GetLog."""
        if request.log_type is LogType.SECURITY:
            return "GetLog", get_log_payload(request, "SecurityLog")
        payload: dict[str, Any] = {"location": request.location}
        for name, value in (("startTime", request.oldest), ("stopTime", request.latest)):
            if value is not None:
                payload[name] = format_timestamp(value)
        return "GetDiagnostics", payload | retries(request.retries, request.retry_interval_s)

    def log_status(self, payload: dict[str, Any]) -> StatusReport:
        return maintenance_status(Kind.LOG, payload)

    def log_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        if command.action == "GetDiagnostics":  # no file name: it has no diagnostics to send
            file_name = response.get("fileName")
            return MaintenanceAnswer(Kind.LOG, None, "Accepted" if file_name else "NoDiagnostics", file_name)
        if command.action == "GetLog":
            return get_log_answer(command, response)
        return None

    def device_events(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyEvent")

    def monitoring_report(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyMonitoringReport")

    def customer_information(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyCustomerInformation")

    def event_stream(self, payload: dict[str, Any], opened: bool, at: datetime) -> StationEvent:
        raise not_in_version("OpenPeriodicEventStream" if opened else "ClosePeriodicEventStream")

    def stream_data(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyPeriodicEventStream")

    def set_monitoring(self, monitors: list[Monitor]) -> Intent:
        raise no_monitoring("1.6")

    def monitoring_base(self, base: str) -> Intent:
        raise no_monitoring("1.6")

    def clear_monitoring(self, monitor_ids: list[int]) -> Intent:
        raise no_monitoring("1.6")

    def get_monitoring_report(self, request_id: int, criteria: list[str]) -> Intent:
        raise no_monitoring("1.6")


CODEC: DiagnosticsCodec = V16Diagnostics()
