"""Charging profiles as resources: sent with SetChargingProfile and kept with the answer,
cleared with ClearChargingProfile, reported by 2.x stations after GetChargingProfiles, and the
composite schedule a station works out from them, in one shape for every version."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from shared.data import charge_points, charging_profiles, sites
from shared.domain.charging_profiles import CompositeSchedule, KnownProfile, ProfileFacts, clash
from shared.domain.commands import Command
from shared.domain.errors import BadRequest, CommandRefused
from shared.domain.sites import ALLOCATOR_PROFILE_ID, STATION_MAX_PROFILE_ID
from shared.grants import grants
from shared.protocol.smart_charging import SmartChargingCodec, smart_charging_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands
from shared.services.smart_charging import sites as allocator

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "charging-profiles", "commands", "sites"),
    writes=("charging-profiles",),
)

# The ids the site allocator gives its own profiles (a station's cap, its fallback, its shares).
RESERVED_FROM = STATION_MAX_PROFILE_ID


def install(
    charge_point_id: str, evse_id: int, profile_id: int, profile: dict[str, Any], now: datetime
) -> Command:
    """SetChargingProfile, in the charge point's version's words. 422 when the profile is not
    one its version takes or its stack level on that EVSE belongs to another profile."""
    charge_point = commands.connected(charge_point_id)
    codec = smart_charging_codec(commands.profile_of(charge_point))
    try:
        facts = codec.profile_facts(profile)
        profile = codec.with_start_schedule(profile, now)
    except (KeyError, TypeError, AttributeError) as error:
        raise CommandRefused(
            f"Not a charging profile of OCPP {charge_point.ocpp_version}: {error} is missing or malformed"
        ) from None
    if facts.profile_id != profile_id:
        raise BadRequest(f"The profile's id is {facts.profile_id}; the path names {profile_id}")
    if facts.problems:
        raise CommandRefused("Not a charging profile a station takes: " + "; ".join(facts.problems))
    if profile_id >= RESERVED_FROM:
        raise CommandRefused(f"Profile ids from {RESERVED_FROM} up are the site allocator's: choose another")
    _within_site(charge_point.site_id, facts)
    other = clash(evse_id, facts, charging_profiles.profiles_of(charge_point_id))
    if other is not None:
        raise CommandRefused(
            f"Stack level {facts.stack_level} of {facts.purpose} on EVSE {evse_id} is profile "
            f"{other.facts.profile_id}'s: clear it first or choose another level"
        )
    return commands.submit_to(charge_point, codec.set_charging_profile(evse_id, profile), None, now)


def _within_site(site_id: str | None, facts: ProfileFacts) -> None:
    """A profile set by hand that lets a station draw more than its site's limit is refused:
    the site's limit is the grid connection's, and the allocator keeps the site under it."""
    record = sites.find_site(site_id) if site_id else None
    if record is None or facts.peak_amps is None:
        return
    limit = sites.site_of(record).per_phase_amps
    if facts.peak_amps > limit + 1e-9:
        raise CommandRefused(
            f"The profile allows {facts.peak_amps:g} A per phase; site {site_id}'s limit is {limit:g} A"
        )


def clear(charge_point_id: str, profile_id: int, now: datetime) -> Command:
    return commands.submit_intent(
        charge_point_id,
        lambda profile: smart_charging_codec(profile).clear_charging_profile(profile_id),
        None,
        now,
    )


def ask_for_all(charge_point_id: str, now: datetime) -> Command:
    """2.x GetChargingProfiles: the station answers with ReportChargingProfiles, kept as it comes."""
    request_id = random.randint(1, 2**31 - 1)
    return commands.submit_intent(
        charge_point_id,
        lambda profile: smart_charging_codec(profile).get_charging_profiles(request_id, None),
        None,
        now,
    )


def composite(
    charge_point_id: str, evse_id: int, duration_s: int, unit: str | None, wait_s: int, now: datetime
) -> tuple[Command, CompositeSchedule | None]:
    """GetCompositeSchedule, waited for: the command as it stands and the schedule, if any."""
    command = commands.submit_intent(
        charge_point_id,
        lambda profile: smart_charging_codec(profile).get_composite_schedule(evse_id, duration_s, unit),
        None,
        now,
    )
    command = commands.wait_for(command, wait_s)
    if command.response is None:
        return command, None
    return command, smart_charging_codec(profile_for(command.ocpp_version)).composite_schedule(
        command, command.response
    )


@answers.keeps("SetChargingProfile", "ClearChargingProfile")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """SetChargingProfile: kept with its answer (a refused one shows why). ClearChargingProfile
    accepted (or Unknown: it never had it): gone."""
    codec = smart_charging_codec(profile_for(command.ocpp_version))
    status = response.get("status") or "Unknown"
    if command.action == "SetChargingProfile":
        evse_id, profile = codec.profile_sent(command)
        known = KnownProfile(
            command.charge_point_id, evse_id, codec.profile_facts(profile), profile, status, "set", now
        )
        charging_profiles.put_profile(known)
        if status == "Accepted" and known.facts.profile_id >= ALLOCATOR_PROFILE_ID:
            allocator.share_taken(command.charge_point_id, command.command_id, now)
    elif command.action == "ClearChargingProfile" and status in ("Accepted", "Unknown"):
        profile_id = command.payload.get("id", command.payload.get("chargingProfileId"))
        if profile_id is not None:
            charging_profiles.delete_profile(command.charge_point_id, int(profile_id))


def reported(charge_point_id: str, ocpp_version: str, payload: dict[str, Any], at: datetime) -> None:
    """ReportChargingProfiles (2.x): a write per profile it names."""
    codec = smart_charging_codec(profile_for(ocpp_version))
    evse_id, profiles = codec.reported_profiles(payload)
    for profile in profiles:
        facts: ProfileFacts = codec.profile_facts(profile)
        charging_profiles.put_profile(
            KnownProfile(charge_point_id, evse_id, facts, profile, "Reported", "reported", at)
        )


def dynamic_update(charge_point_id: str, profile_id: int, codec: SmartChargingCodec) -> dict[str, Any] | None:
    """2.1 PullDynamicScheduleUpdate: the limits in force of the dynamic profile the station
    has under this id, as it was last set and accepted (1 read). None: no such profile."""
    known = charging_profiles.find_profile(charge_point_id, profile_id)
    if known is None or known.status not in ("Accepted", "Reported"):
        return None
    return codec.dynamic_update(known.profile)


def profiles_of(charge_point_id: str) -> list[KnownProfile]:
    charge_points.registered_charge_point(charge_point_id)
    found = charging_profiles.profiles_of(charge_point_id)
    return sorted(found, key=lambda p: (p.evse_id, p.facts.purpose, -p.facts.stack_level, p.facts.profile_id))
