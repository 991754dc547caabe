"""NotifyDERStartStop (2.1): a DER control started or stopped at the station (and which it
superseded); kept and published (DERStartStop)."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.der import der_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("NotifyDERStartStop", (OcppVersion.V21,))
def notify_der_start_stop(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = der_codec(context.profile).start_stop(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
