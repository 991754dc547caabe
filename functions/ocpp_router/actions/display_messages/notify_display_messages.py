"""NotifyDisplayMessages (2.x): the messages a charge point shows, after GetDisplayMessages."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.versions import OcppVersion
from shared.services import display_messages


@handles("NotifyDisplayMessages", (OcppVersion.V201, OcppVersion.V21))
def notify_display_messages(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    version = context.profile.version.value
    display_messages.reported(context.charge_point_id, version, payload, context.received_at)
    return {}
