"""NotifyChargingLimit (2.x): a limit an energy manager or the grid set at the station; kept and published."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.smart_charging import smart_charging_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyChargingLimit", (OcppVersion.V201, OcppVersion.V21))
def notify_charging_limit(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = smart_charging_codec(context.profile).charging_limit(
        "NotifyChargingLimit", payload, context.received_at
    )
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
