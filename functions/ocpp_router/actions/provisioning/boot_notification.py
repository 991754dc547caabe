"""BootNotification: keep what the station says about itself; tell it how often to heartbeat."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.domain.provisioning import RegistrationStatus
from shared.domain.timestamps import format_timestamp
from shared.protocol.provisioning import provisioning_codec
from shared.services import provisioning
from shared.settings import get_settings


@handles("BootNotification")
def boot_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    provisioning.booted(
        context.charge_point_id, provisioning_codec(context.profile).boot_info(payload), context.received_at
    )
    return {
        "currentTime": format_timestamp(context.received_at),
        "interval": get_settings().heartbeat_interval_s,
        "status": RegistrationStatus.ACCEPTED.value,
    }
