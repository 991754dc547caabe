"""NotifyDERAlarm (2.1): a DER control's alarm raised or ended at the station; kept and
published (DERAlarm) for an operator or integration to act on."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.der import der_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyDERAlarm", (OcppVersion.V21,))
def notify_der_alarm(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = der_codec(context.profile).alarm(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
