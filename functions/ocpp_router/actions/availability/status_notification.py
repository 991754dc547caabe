"""StatusNotification: the connector's (1.6) or EVSE connector's (2.x) latest status."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.availability import availability_codec
from shared.services import availability


@handles("StatusNotification")
def status_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = availability_codec(context.profile).connector_status(payload, context.received_at)
    availability.status_reported(context.charge_point_id, report, context.received_at)
    return {}
