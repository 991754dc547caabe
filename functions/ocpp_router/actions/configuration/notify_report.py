"""NotifyReport (OCPP 2.x): the device model a GetBaseReport/GetReport asked for, part by
part, kept as the charge point's known configuration."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.configuration import configuration_codec
from shared.protocol.versions import OcppVersion
from shared.services import configuration


@handles("NotifyReport", (OcppVersion.V201, OcppVersion.V21))
def notify_report(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    part = configuration_codec(context.profile).report_part(payload)
    configuration.reported(context.charge_point_id, part, context.received_at)
    return {}
