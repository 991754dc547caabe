"""Diagnostics in OCPP 2.0.1 (and 2.1, which adds its event streams in v21.py): GetLog, the
device model's reports and monitors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Command, Intent
from shared.domain.maintenance import Kind, LogRequest, LogType, MaintenanceAnswer, StatusReport
from shared.domain.station_events import EventKind, Monitor, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import maintenance_status, not_in_version, parse_timestamp
from shared.protocol.diagnostics import DiagnosticsCodec, get_log_answer, get_log_payload
from shared.protocol.v2 import component_variable


class V2Diagnostics:
    def get_log(self, request: LogRequest) -> Intent:
        log_type = "SecurityLog" if request.log_type is LogType.SECURITY else "DiagnosticsLog"
        return "GetLog", get_log_payload(request, log_type)

    def log_status(self, payload: dict[str, Any]) -> StatusReport:
        return maintenance_status(Kind.LOG, payload)

    def log_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        return get_log_answer(command, response) if command.action == "GetLog" else None

    def device_events(self, payload: dict[str, Any]) -> StationEvent:
        return _part(EventKind.DEVICE, "eventData", payload)

    def monitoring_report(self, payload: dict[str, Any]) -> StationEvent:
        return _part(EventKind.MONITORING_REPORT, "monitor", payload)

    def customer_information(self, payload: dict[str, Any]) -> StationEvent:
        return _part(EventKind.CUSTOMER_INFORMATION, "data", payload)

    def event_stream(self, payload: dict[str, Any], opened: bool, at: datetime) -> StationEvent:
        raise not_in_version("OpenPeriodicEventStream" if opened else "ClosePeriodicEventStream")

    def stream_data(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyPeriodicEventStream")

    def set_monitoring(self, monitors: list[Monitor]) -> Intent:
        data = []
        for monitor in monitors:
            target = component_variable(monitor.key)
            if monitor.evse_id is not None:
                target["component"]["evse"] = {"id": monitor.evse_id}
            item: dict[str, Any] = {
                **target,
                "type": monitor.type,
                "value": monitor.value,
                "severity": monitor.severity,
                "transaction": monitor.transaction,
            }
            if monitor.monitor_id is not None:
                item["id"] = monitor.monitor_id
            data.append(item)
        return "SetVariableMonitoring", {"setMonitoringData": data}

    def monitoring_base(self, base: str) -> Intent:
        return "SetMonitoringBase", {"monitoringBase": base}

    def clear_monitoring(self, monitor_ids: list[int]) -> Intent:
        return "ClearVariableMonitoring", {"id": monitor_ids}

    def get_monitoring_report(self, request_id: int, criteria: list[str]) -> Intent:
        payload: dict[str, Any] = {"requestId": request_id}
        if criteria:
            payload["monitoringCriteria"] = criteria
        return "GetMonitoringReport", payload


def _part(kind: EventKind, field: str, payload: dict[str, Any]) -> StationEvent:
    """NotifyMonitoringReport and NotifyCustomerInformation come in parts by requestId and seqNo;
    NotifyEvent in parts by seqNo. Each part is kept as it came."""
    generated = parse_timestamp(payload["generatedAt"], "generatedAt")
    body: dict[str, Any] = {
        "generatedAt": format_timestamp(generated),
        "seqNo": payload["seqNo"],
        "tbc": payload.get("tbc", False),
        field: payload.get(field),
    }
    if "requestId" in payload:
        body["requestId"] = payload["requestId"]
        sort = f"{payload['requestId']:010d}#{payload['seqNo']:06d}"
    else:  # NotifyEvent: its parts by when they were made
        sort = f"{format_timestamp(generated)}#{payload['seqNo']:06d}"
    return StationEvent(kind, sort, generated, body)


CODEC: DiagnosticsCodec = V2Diagnostics()
