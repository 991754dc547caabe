"""NotifyReport (OCPP 2.x): the device model a GetBaseReport/GetReport asked for, part by
part, kept as the charge point's known configuration."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.data import commands
from shared.domain.configuration import variable_key
from shared.protocol.versions import OcppVersion


@handles("NotifyReport", (OcppVersion.V201, OcppVersion.V21))
def notify_report(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    values = [
        (
            variable_key(item["component"], item["variable"], attribute.get("type")),
            attribute.get("value"),
            attribute.get("mutability") == "ReadOnly" if "mutability" in attribute else None,
        )
        for item in payload.get("reportData") or []
        for attribute in item["variableAttribute"]
    ]
    if values:
        commands.put_configuration(context.charge_point_id, values, context.received_at)
    return {}
