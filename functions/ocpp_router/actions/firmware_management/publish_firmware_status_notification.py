"""PublishFirmwareStatusNotification (2.x): a local controller publishing firmware to the
stations behind it, kept as a station event."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.firmware_management import firmware_management_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("PublishFirmwareStatusNotification", (OcppVersion.V201, OcppVersion.V21))
def publish_firmware_status_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = firmware_management_codec(context.profile).publish_status(payload, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
