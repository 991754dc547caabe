"""SignedFirmwareStatusNotification (1.6 security extension): how a signed update is going."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.firmware_management import firmware_management_codec
from shared.protocol.versions import OcppVersion
from shared.services import maintenance


@handles("SignedFirmwareStatusNotification", (OcppVersion.V16,))
def signed_firmware_status_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = firmware_management_codec(context.profile).firmware_status(payload)
    maintenance.status_reported(context.charge_point_id, report, context.received_at)
    return {}
