"""FirmwareStatusNotification: how a firmware update is going (1.6 names no request: its
latest update is meant; 2.x names the request id)."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.firmware_management import firmware_management_codec
from shared.services import maintenance


@handles("FirmwareStatusNotification")
def firmware_status_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = firmware_management_codec(context.profile).firmware_status(payload)
    maintenance.status_reported(context.charge_point_id, report, context.received_at)
    return {}
