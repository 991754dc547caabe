"""Smart charging in OCPP 2.0.1 and 2.1: profiles on an EVSE, schedules as lists, the EV's
charging needs, limits set by others."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from shared.domain.charging_profiles import (
    DEFAULT_PHASES,
    NOMINAL_VOLTAGE,
    CompositeSchedule,
    ProfileFacts,
    peak_amps,
    problems_of,
)
from shared.domain.commands import Command, Intent
from shared.domain.sites import ALLOCATOR_STACK_LEVEL, ChargingNeeds, SiteProfile, SiteProfileKind
from shared.domain.station_events import EventKind, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import not_in_version, parse_timestamp
from shared.protocol.smart_charging import (
    SmartChargingCodec,
    composite_call,
    composite_of,
    started_schedule,
)

_SITE_PURPOSES = {
    SiteProfileKind.SESSION: "TxProfile",
    SiteProfileKind.FALLBACK: "TxDefaultProfile",
    SiteProfileKind.STATION_MAX: "ChargingStationMaxProfile",
}


class V2SmartCharging:
    def profile_facts(self, profile: dict[str, Any]) -> ProfileFacts:
        tid = profile.get("transactionId")
        return ProfileFacts(
            profile["id"],
            profile["chargingProfilePurpose"],
            profile["stackLevel"],
            profile["chargingProfileKind"],
            tid,
            peak_amps(profile["chargingSchedule"]),
            problems_of(profile["chargingSchedule"], profile.get("validFrom"), profile.get("validTo")),
        )

    def with_start_schedule(self, profile: dict[str, Any], now: datetime) -> dict[str, Any]:
        kind = profile["chargingProfileKind"]
        return {
            **profile,
            "chargingSchedule": [started_schedule(s, kind, now) for s in profile["chargingSchedule"]],
        }

    def set_charging_profile(self, evse_id: int, profile: dict[str, Any]) -> Intent:
        return "SetChargingProfile", {"evseId": evse_id, "chargingProfile": profile}

    def profile_sent(self, command: Command) -> tuple[int, dict[str, Any]]:
        return command.payload["evseId"], command.payload["chargingProfile"]

    def clear_charging_profile(self, profile_id: int) -> Intent:
        return "ClearChargingProfile", {"chargingProfileId": profile_id}

    def get_composite_schedule(self, evse_id: int, duration_s: int, unit: str | None) -> Intent:
        return composite_call("evseId", evse_id, duration_s, unit)

    def composite_schedule(self, command: Command, response: dict[str, Any]) -> CompositeSchedule | None:
        schedule = response.get("schedule")
        if response.get("status") != "Accepted" or not schedule:
            return None
        return composite_of(schedule.get("evseId", command.payload["evseId"]), schedule, None)

    def get_charging_profiles(self, request_id: int, evse_id: int | None) -> Intent:
        payload: dict[str, Any] = {"requestId": request_id, "chargingProfile": {}}
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "GetChargingProfiles", payload

    def charging_needs(self, payload: dict[str, Any]) -> ChargingNeeds:
        needs = payload["chargingNeeds"]
        ac, dc = needs.get("acChargingParameters") or {}, needs.get("dcChargingParameters") or {}
        max_amps = ac.get("evMaxCurrent")
        if max_amps is None and dc.get("evMaxPower") is not None:
            max_amps = float(dc["evMaxPower"]) / (NOMINAL_VOLTAGE * DEFAULT_PHASES)
        energy = ac.get("energyAmount", dc.get("energyAmount"))
        departure = needs.get("departureTime")
        return ChargingNeeds(
            evse_id=payload["evseId"],
            max_amps=None if max_amps is None else float(max_amps),
            energy_wh=None if energy is None else float(energy),
            departure=None
            if departure is None
            else parse_timestamp(departure, "chargingNeeds/departureTime"),
        )

    def site_profile(self, wanted: SiteProfile, now: datetime) -> Intent:
        kind, schedule = wanted.schedule(now)
        profile: dict[str, Any] = {
            "id": wanted.profile_id,
            "stackLevel": ALLOCATOR_STACK_LEVEL,
            "chargingProfilePurpose": _SITE_PURPOSES[wanted.kind],
            "chargingProfileKind": kind,
            "chargingSchedule": [{"id": 1, **schedule}],
        }
        if wanted.transaction_id is not None:
            profile["transactionId"] = wanted.transaction_id
        return self.set_charging_profile(wanted.evse_id, profile)

    def reported_profiles(self, payload: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        return payload["evseId"], list(payload.get("chargingProfile") or [])

    def ev_charging_schedule(self, payload: dict[str, Any]) -> StationEvent:
        """Kept by its time base and EVSE: a resend is the same."""
        as_sent = {k: v for k, v in payload.items() if k != "customData"}
        base = parse_timestamp(payload["timeBase"], "timeBase")
        return StationEvent(
            EventKind.EV_CHARGING_SCHEDULE, f"{format_timestamp(base)}#{payload['evseId']}", base, as_sent
        )

    def charging_limit(self, action: str, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        """The same message is the same fact."""
        as_sent = {k: v for k, v in payload.items() if k != "customData"}
        digest = hashlib.sha256(json.dumps([action, as_sent], sort_keys=True).encode()).hexdigest()
        limit = {**as_sent, "cleared": action == "ClearedChargingLimit"}
        return StationEvent(EventKind.CHARGING_LIMIT, digest[:24], received_at, limit)

    def priority_charging(self, payload: dict[str, Any]) -> tuple[str, bool]:
        raise not_in_version("NotifyPriorityCharging")

    def dynamic_update(self, profile: dict[str, Any]) -> dict[str, Any] | None:
        raise not_in_version("PullDynamicScheduleUpdate")


CODEC: SmartChargingCodec = V2SmartCharging()
