"""ReportDERControl (2.1): the DER controls a station holds, its answer to GetDERControl, kept
part by part as it comes."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.der import der_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events


@handles("ReportDERControl", (OcppVersion.V21,))
def report_der_control(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    event = der_codec(context.profile).report(payload, context.received_at)
    station_events.reported(context.charge_point_id, event, context.received_at)
    return {}
