"""ClearedChargingLimit (2.x): a limit an energy manager or the grid had set is lifted; kept and published."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.smart_charging import smart_charging_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("ClearedChargingLimit", (OcppVersion.V201, OcppVersion.V21))
def cleared_charging_limit(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = smart_charging_codec(context.profile).charging_limit(
        "ClearedChargingLimit", payload, context.received_at
    )
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
