"""NotifyMonitoringReport (2.x): the monitors a GetMonitoringReport asked for, part by part."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyMonitoringReport", (OcppVersion.V201, OcppVersion.V21))
def notify_monitoring_report(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = diagnostics_codec(context.profile).monitoring_report(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
