"""StatusNotification: the connector's (1.6) or EVSE connector's (2.x) latest status."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.data import store
from shared.events import DomainEvent, publish


@handles("StatusNotification")
def status_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = context.profile.adapter.connector_status(payload, context.received_at)
    if store.record_connector_status(context.charge_point_id, report, context.received_at):
        publish(
            DomainEvent.CONNECTOR_STATUS_CHANGED,
            {"charge_point_id": context.charge_point_id, **asdict(report)},
        )
    return {}
