"""ReportChargingProfiles (2.x): the profiles a station says it has, after GetChargingProfiles."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.versions import OcppVersion
from shared.services.smart_charging import charging_profiles


@handles("ReportChargingProfiles", (OcppVersion.V201, OcppVersion.V21))
def report_charging_profiles(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    version = context.profile.version.value
    charging_profiles.reported(context.charge_point_id, version, payload, context.received_at)
    return {}
