"""BatterySwap (2.1): a battery put in or taken out at a swap station, under the swap's
request id; kept as a swap (a kind of its own: no energy metered, no CDR)."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.transactions import transactions_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("BatterySwap", (OcppVersion.V21,))
def battery_swap(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = transactions_codec(context.profile).battery_swap(payload, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
