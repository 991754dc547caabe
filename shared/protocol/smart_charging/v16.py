"""Smart charging in OCPP 1.6: profiles on a connector (0: the charge point)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.charging_profiles import CompositeSchedule, ProfileFacts, peak_amps, problems_of
from shared.domain.commands import Command, Intent
from shared.domain.errors import CommandRefused
from shared.domain.sites import ALLOCATOR_STACK_LEVEL, ChargingNeeds, SiteProfile, SiteProfileKind
from shared.domain.station_events import StationEvent
from shared.protocol.common import not_in_version
from shared.protocol.smart_charging import (
    SmartChargingCodec,
    composite_call,
    composite_of,
    started_schedule,
)

_SITE_PURPOSES = {
    SiteProfileKind.SESSION: "TxProfile",
    SiteProfileKind.FALLBACK: "TxDefaultProfile",
    SiteProfileKind.STATION_MAX: "ChargePointMaxProfile",
}


class V16SmartCharging:
    def profile_facts(self, profile: dict[str, Any]) -> ProfileFacts:
        tid = profile.get("transactionId")
        return ProfileFacts(
            profile["chargingProfileId"],
            profile["chargingProfilePurpose"],
            profile["stackLevel"],
            profile["chargingProfileKind"],
            None if tid is None else str(tid),
            peak_amps([profile["chargingSchedule"]]),
            problems_of([profile["chargingSchedule"]], profile.get("validFrom"), profile.get("validTo")),
        )

    def with_start_schedule(self, profile: dict[str, Any], now: datetime) -> dict[str, Any]:
        schedule = started_schedule(profile["chargingSchedule"], profile["chargingProfileKind"], now)
        return {**profile, "chargingSchedule": schedule}

    def set_charging_profile(self, evse_id: int, profile: dict[str, Any]) -> Intent:
        return "SetChargingProfile", {"connectorId": evse_id, "csChargingProfiles": profile}

    def profile_sent(self, command: Command) -> tuple[int, dict[str, Any]]:
        return command.payload["connectorId"], command.payload["csChargingProfiles"]

    def clear_charging_profile(self, profile_id: int) -> Intent:
        return "ClearChargingProfile", {"id": profile_id}

    def get_composite_schedule(self, evse_id: int, duration_s: int, unit: str | None) -> Intent:
        return composite_call("connectorId", evse_id, duration_s, unit)

    def composite_schedule(self, command: Command, response: dict[str, Any]) -> CompositeSchedule | None:
        if response.get("status") != "Accepted":
            return None
        evse = response.get("connectorId", command.payload["connectorId"])
        return composite_of(evse, response.get("chargingSchedule"), response.get("scheduleStart"))

    def get_charging_profiles(self, request_id: int, evse_id: int | None) -> Intent:
        raise CommandRefused(
            "OCPP 1.6 cannot report its charging profiles (GetChargingProfiles came with 2.0.1)"
        )

    def charging_needs(self, payload: dict[str, Any]) -> ChargingNeeds:
        raise not_in_version("NotifyEVChargingNeeds")

    def site_profile(self, wanted: SiteProfile, now: datetime) -> Intent:
        kind, schedule = wanted.schedule(now)
        profile: dict[str, Any] = {
            "chargingProfileId": wanted.profile_id,
            "stackLevel": ALLOCATOR_STACK_LEVEL,
            "chargingProfilePurpose": _SITE_PURPOSES[wanted.kind],
            "chargingProfileKind": kind,
            "chargingSchedule": schedule,
        }
        if wanted.transaction_id is not None:
            profile["transactionId"] = int(wanted.transaction_id)
        return self.set_charging_profile(wanted.evse_id, profile)

    def reported_profiles(self, payload: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        raise not_in_version("ReportChargingProfiles")

    def ev_charging_schedule(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifyEVChargingSchedule")

    def charging_limit(self, action: str, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        raise not_in_version(action)

    def priority_charging(self, payload: dict[str, Any]) -> tuple[str, bool]:
        raise not_in_version("NotifyPriorityCharging")

    def dynamic_update(self, profile: dict[str, Any]) -> dict[str, Any] | None:
        raise not_in_version("PullDynamicScheduleUpdate")


CODEC: SmartChargingCodec = V16SmartCharging()
