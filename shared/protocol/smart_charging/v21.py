"""Smart charging in OCPP 2.1: 2.0.1's, with priority charging reported by the station and
dynamic profiles whose limits it pulls (PullDynamicScheduleUpdate)."""

from __future__ import annotations

from typing import Any

from shared.protocol.smart_charging import SmartChargingCodec
from shared.protocol.smart_charging.v2 import V2SmartCharging

# ChargingScheduleUpdateType: what a dynamic profile's period may say, per phase.
UPDATE_FIELDS = tuple(
    f"{name}{phase}"
    for name in ("limit", "dischargeLimit", "setpoint", "setpointReactive")
    for phase in ("", "_L2", "_L3")
)


class V21SmartCharging(V2SmartCharging):
    def priority_charging(self, payload: dict[str, Any]) -> tuple[str, bool]:
        return payload["transactionId"], bool(payload["activated"])

    def dynamic_update(self, profile: dict[str, Any]) -> dict[str, Any] | None:
        """A dynamic profile has one period, whose values the CSMS updates: those are the
        update."""
        if profile.get("chargingProfileKind") != "Dynamic":
            return None
        schedules = profile.get("chargingSchedule") or [{}]
        periods = schedules[0].get("chargingSchedulePeriod") or [{}]
        update = {field: periods[0][field] for field in UPDATE_FIELDS if field in periods[0]}
        return update or None


CODEC: SmartChargingCodec = V21SmartCharging()
