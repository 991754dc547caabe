"""PullDynamicScheduleUpdate (2.1): a station asks for the limits now in force of a dynamic
profile it has; answered from that profile as the CSMS last set it, Rejected when it has no
such dynamic profile."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.smart_charging import smart_charging_codec
from shared.protocol.versions import OcppVersion
from shared.services.smart_charging import charging_profiles


@handles("PullDynamicScheduleUpdate", (OcppVersion.V21,))
def pull_dynamic_schedule_update(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = smart_charging_codec(context.profile)
    update = charging_profiles.dynamic_update(context.charge_point_id, payload["chargingProfileId"], codec)
    if update is None:
        return {
            "status": "Rejected",
            "statusInfo": {
                "reasonCode": "UnknownProfile",
                "additionalInfo": "No dynamic profile with this id",
            },
        }
    return {"status": "Accepted", "scheduleUpdate": update}
