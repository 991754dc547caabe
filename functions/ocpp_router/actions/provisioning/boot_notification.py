"""BootNotification: keep what the station says about itself; tell it how often to heartbeat."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.data import store
from shared.domain.charge_points import RegistrationStatus
from shared.protocol.timestamps import format_timestamp
from shared.settings import get_settings


@handles("BootNotification")
def boot_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    boot = context.profile.adapter.boot_info(payload)
    store.record_boot(context.charge_point_id, boot, context.received_at)
    return {
        "currentTime": format_timestamp(context.received_at),
        "interval": get_settings().heartbeat_interval_s,
        "status": RegistrationStatus.ACCEPTED.value,
    }
