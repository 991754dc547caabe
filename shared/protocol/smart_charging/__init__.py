"""Smart charging on the wire: charging profiles set, cleared and reported, composite
schedules, the site allocator's profiles, 2.x's EV charging needs and charging limits, and
2.1's priority charging and dynamic schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.charging_profiles import CompositeSchedule, periods_of
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import parse_timestamp

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.charging_profiles import ProfileFacts
    from shared.domain.commands import Command, Intent
    from shared.domain.sites import ChargingNeeds, SiteProfile
    from shared.domain.station_events import StationEvent
    from shared.protocol.versions import Profile


class SmartChargingCodec(Protocol):
    def profile_facts(self, profile: dict[str, Any]) -> ProfileFacts:
        """Id, purpose, stack level and kind of a profile in the version's words."""
        ...

    def with_start_schedule(self, profile: dict[str, Any], now: datetime) -> dict[str, Any]:
        """Absolute and recurring schedules carry a start (chargers refuse them without)."""
        ...

    def set_charging_profile(self, evse_id: int, profile: dict[str, Any]) -> Intent: ...

    def profile_sent(self, command: Command) -> tuple[int, dict[str, Any]]:
        """The EVSE (0: the station) and the profile a SetChargingProfile carried."""
        ...

    def clear_charging_profile(self, profile_id: int) -> Intent: ...
    def get_composite_schedule(self, evse_id: int, duration_s: int, unit: str | None) -> Intent: ...

    def composite_schedule(self, command: Command, response: dict[str, Any]) -> CompositeSchedule | None:
        """The answer's schedule (None when the station refused or has none)."""
        ...

    def get_charging_profiles(self, request_id: int, evse_id: int | None) -> Intent: ...

    def reported_profiles(self, payload: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        """2.x ReportChargingProfiles: the EVSE and the profiles it has there."""
        ...

    def site_profile(self, wanted: SiteProfile, now: datetime) -> Intent:
        """A profile of the site allocator's (a session's share, the station's fallback or its
        cap), in the version's words."""
        ...

    def charging_needs(self, payload: dict[str, Any]) -> ChargingNeeds:
        """2.x NotifyEVChargingNeeds in the domain's terms."""
        ...

    def ev_charging_schedule(self, payload: dict[str, Any]) -> StationEvent:
        """2.x NotifyEVChargingSchedule, as an event to keep."""
        ...

    def charging_limit(self, action: str, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        """2.x NotifyChargingLimit or ClearedChargingLimit, as an event to keep."""
        ...

    def priority_charging(self, payload: dict[str, Any]) -> tuple[str, bool]:
        """2.1 NotifyPriorityCharging: the session and whether its priority is now on."""
        ...

    def dynamic_update(self, profile: dict[str, Any]) -> dict[str, Any] | None:
        """2.1 PullDynamicScheduleUpdate's `scheduleUpdate` from a profile the station has:
        None when it is not a dynamic one."""
        ...


def smart_charging_codec(profile: Profile) -> SmartChargingCodec:
    return cast("SmartChargingCodec", profile.codec(__name__))


START_KINDS = frozenset({"Absolute", "Recurring"})


def started_schedule(schedule: dict[str, Any], kind: str, now: datetime) -> dict[str, Any]:
    """A schedule of an absolute or recurring profile, with `startSchedule` (now, to the
    second) when it had none."""
    if kind not in START_KINDS or "startSchedule" in schedule:
        return schedule
    return {**schedule, "startSchedule": format_timestamp(now.replace(microsecond=0))}


def composite_call(where: str, evse_id: int, duration_s: int, unit: str | None) -> Intent:
    """GetCompositeSchedule for the EVSE (or connector) under the version's key."""
    payload: dict[str, Any] = {where: evse_id, "duration": duration_s}
    if unit:
        payload["chargingRateUnit"] = unit
    return "GetCompositeSchedule", payload


def composite_of(
    evse_id: int, schedule: dict[str, Any] | None, start: str | None
) -> CompositeSchedule | None:
    """A composite schedule in the domain's shape; `start` when the version gives it apart."""
    if not schedule:
        return None
    begins = parse_timestamp(
        start or schedule.get("scheduleStart") or schedule["startSchedule"], "scheduleStart"
    )
    unit = schedule["chargingRateUnit"]
    return CompositeSchedule(
        evse_id=evse_id,
        start=begins,
        duration_s=schedule.get("duration"),
        unit=unit,
        periods=periods_of(begins, unit, schedule.get("chargingSchedulePeriod") or []),
    )
