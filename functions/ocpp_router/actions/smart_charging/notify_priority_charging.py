"""NotifyPriorityCharging (2.1): the driver turned priority charging on or off for a session
(at the station, or after UsePriorityCharging); kept on the session."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.observability import logger
from shared.protocol.smart_charging import smart_charging_codec
from shared.protocol.versions import OcppVersion
from shared.services.smart_charging import sites


@handles("NotifyPriorityCharging", (OcppVersion.V21,))
def notify_priority_charging(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    transaction_id, activated = smart_charging_codec(context.profile).priority_charging(payload)
    if not sites.priority_charging(context.charge_point_id, transaction_id, activated, context.received_at):
        logger.info("Priority charging unchanged or of no session", extra={"transaction_id": transaction_id})
    return {}
