"""Sites and their allocator: the charge points behind one grid connection, and the current each
session charging there may draw, sent as a TxProfile whenever a session starts or ends or the
site changes (decision 0024)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from shared.aws.event_bus import DomainEvent
from shared.data import charge_points, charging_profiles, sites, transactions
from shared.domain.commands import Intent
from shared.domain.errors import ApplicationError, BadRequest, Conflict, NotFound
from shared.domain.grid import GridLimit, limit_in_force, next_edge
from shared.domain.sites import (
    STATION_MAX_PROFILE_ID,
    Allocation,
    ChargingNeeds,
    Draw,
    Sent,
    Site,
    SiteProfile,
    SiteProfileKind,
    allocate,
    lowered_first,
)
from shared.grants import grants
from shared.observability import logger, metrics
from shared.protocol.smart_charging import smart_charging_codec
from shared.services import commands
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "charging-profiles", "sites"),
    writes=("charge-points", "sites", "transactions"),
    indexes=("transactions/by-charge-point",),
)

if TYPE_CHECKING:
    from shared.protocol.versions import Profile

# How long one allocation may hold the site's turn before another may take it over.
TURN = timedelta(seconds=30)
# Rounds one invocation runs while asks keep coming, before leaving the rest to the next.
MAX_ROUNDS = 5
# Shares held back until lowered ones are taken are looked at again after this at the latest.
HELD_BACK_RETRY = timedelta(seconds=60)


def put(site_id: str, body: dict[str, Any], now: datetime) -> tuple[Site, bool]:
    """Creates or replaces a site. Its charge points join it; those it no longer names leave.
    409 when a charge point belongs to another site."""
    site = Site(site_id=site_id, **body)
    problems = site.problems()
    if problems:
        raise BadRequest("; ".join(problems))
    for charge_point_id in site.charge_points:
        member = charge_points.registered_charge_point(charge_point_id)
        if member.site_id not in (None, site_id):
            raise Conflict(f"Charge point {charge_point_id} belongs to site {member.site_id}")
    before = sites.find_site(site_id)
    old = sites.site_of(before) if before else None
    left = set(old.charge_points) - set(site.charge_points) if old else set()
    sites.put_site(site, now)
    for charge_point_id in site.charge_points:
        charge_points.register_charge_point(charge_point_id, now, site_id=site_id)
    for charge_point_id in left:
        charge_points.register_charge_point(charge_point_id, now, site_id=None)
    # Stations whose fallback or cap is not what the site now says are told (the others keep theirs).
    same = old is not None and (old.fallback_amps, old.station_max_amps, old.phases) == (
        site.fallback_amps,
        site.station_max_amps,
        site.phases,
    )
    told = [cp for cp in site.charge_points if not (same and old and cp in old.charge_points)]
    publish(DomainEvent.SITE_CHANGED, {"site_id": site_id, "defaults_to": told, "at": now})
    return replace(site, updated_at=now), before is None


def get(site_id: str) -> Site:
    record = sites.find_site(site_id)
    if record is None:
        raise NotFound(f"Site {site_id}")
    return sites.site_of(record)


def get_allocation(site_id: str) -> tuple[Site, dict[str, Any] | None, dict[str, Any] | None]:
    """The site, its latest allocation, and what its VTN said (None: not linked)."""
    record = sites.find_site(site_id)
    if record is None:
        raise NotFound(f"Site {site_id}")
    site = sites.site_of(record)
    return site, record.allocation, (record.grid or {}) if site.openadr else None


def all_sites() -> list[Site]:
    return [sites.site_of(record) for record in sites.all_sites()]


def site_of_charge_point(charge_point_id: str) -> str | None:
    charge_point = charge_points.find_charge_point(charge_point_id)
    return charge_point.site_id if charge_point else None


def react(
    detail_type: str, detail: dict[str, Any], published: datetime | None, now: datetime
) -> Allocation | None:
    """The allocator's reaction to a domain event: a booted station gets its fallback and cap,
    a changed site its stations' new ones; then the site's shares are worked out again, unless
    an allocation since the event was published has seen what it announced already (a burst
    of events, or a backlog, costs one allocation, not one each)."""
    site_id = detail.get("siteId")
    if not site_id and "siteId" not in detail:  # a session's events name the charge point only
        site_id = site_of_charge_point(detail.get("chargePointId") or "")
    if not site_id:
        return None
    told = detail.get("defaultsTo") or []
    if detail_type == DomainEvent.CHARGE_POINT_BOOTED:
        told = [detail["chargePointId"]]
    record = sites.find_site(site_id)
    if record is None:
        return None
    if told:
        station_defaults(sites.site_of(record), told, now)
    computed = (record.allocation or {}).get("computedAt")
    # The bus gives the time to the second: an allocation a second later read what it announced.
    if (
        published is not None
        and computed
        and datetime.fromisoformat(computed) >= published + timedelta(seconds=1)
    ):
        metrics.add_metric(name="SiteAllocationsSpared", unit="Count", value=1)
        return None
    return reallocate(site_id, detail_type, now)


def reallocate(site_id: str, reason: str, now: datetime) -> Allocation | None:
    """One allocation at a time per site: the event that finds the turn taken leaves its ask,
    and the holder runs again before it gives the turn back. None when another holds it."""
    sites.ask(site_id)
    allocation = None
    for _ in range(MAX_ROUNDS):
        seen = sites.take_turn(site_id, now, TURN)
        if seen is None:
            return allocation
        try:
            allocation = _allocate_once(site_id, reason, now)
        except Exception:
            sites.give_turn_back(site_id)
            raise
        if sites.end_turn(site_id, seen, allocation.as_json()):
            return allocation
        sites.give_turn_back(site_id)
        reason = "asked again while allocating"
    return allocation


def _allocate_once(site_id: str, reason: str, now: datetime) -> Allocation:
    record = sites.find_site(site_id)
    if record is None:
        raise NotFound(f"Site {site_id}")
    site = sites.site_of(record)
    limits = sites.grid_limits(record)
    draws = [draw for charge_point_id in site.charge_points for draw in _draws(charge_point_id)]
    before = in_force(record.allocation, set(record.awaiting or ()))
    allocation = allocate(site, draws, before, now, reason, grid_in_force(site, limits, now))
    allocation = lowered_first(allocation, before, site.fallback_amps)
    edges = [t for t in (next_edge(limits, now), *(d.departure for d in draws if d.leaving(now))) if t]
    if allocation.held_back:  # looked at again even if the lowered ones never answer
        edges.append(now + HELD_BACK_RETRY)
    allocation = replace(allocation, revisit_at=min(edges) if edges else None)
    changed = [share for share in allocation.shares if share.changed]
    ids = [commands.new_command_id() for _ in changed]
    if allocation.held_back:  # each of these falls: what it drew until its station takes it
        falling = {
            share.draw.key: (
                command_id,
                before[share.draw.key].amps if share.draw.key in before else site.fallback_amps,
            )
            for share, command_id in zip(changed, ids, strict=True)
        }
        allocation = replace(allocation, falling=falling)
    # The rest rise when the lowered ones are taken (SiteSharesLowered), or at the revisit: the
    # wait is written before any is sent, so that no answer can come before it.
    sites.await_answers(site_id, ids if allocation.held_back else [])
    for share, command_id in zip(changed, ids, strict=True):
        draw = share.draw
        kind = SiteProfileKind.SESSION
        profile = SiteProfile(kind, draw.evse_id, share.amps, draw.phases, draw.transaction_id, share.until)
        _send(draw.charge_point_id, _profile(profile, now), now, command_id)
    metrics.add_metric(name="SiteAllocations", unit="Count", value=1)
    return allocation


def in_force(allocation: dict[str, Any] | None, awaiting: set[str]) -> dict[str, Sent]:
    """What each session of the last allocation draws: its share, or, where it was told to fall
    and its station has not taken it yet (its command still awaited: unanswered, lost, timed
    out), what it drew before, so that the others are held back again rather than risen past
    the limit."""
    drawn = {}
    for s in (allocation or {}).get("sessions", []):
        untaken = s.get("commandId") in awaiting and s.get("was") is not None
        amps = float(s["was"] if untaken else s["amps"])
        drawn[f"{s['chargePointId']}/{s['transactionId']}"] = Sent(
            amps, datetime.fromisoformat(s["until"]) if s.get("until") else None
        )
    return drawn


def grid_in_force(site: Site, limits: list[GridLimit], now: datetime) -> GridLimit | None:
    """The grid's limit now, where it is below the site's own."""
    found = limit_in_force(limits, now)
    return found if found is not None and found.watts < site.own_watts else None


def _draws(charge_point_id: str) -> list[Draw]:
    """1 query: the sessions charging at this charge point."""
    found = []
    for r in transactions.active_sessions(charge_point_id):
        needs = r.charging_needs or {}
        found.append(
            Draw(
                charge_point_id=charge_point_id,
                transaction_id=r.transaction_id,
                evse_id=int(r.evse_id if r.evse_id is not None else r.connector_id or 1),
                started_at=datetime.fromisoformat(r.started_at),
                max_amps=None if r.ev_max_amps is None else float(r.ev_max_amps),
                energy_wh=needs.get("energyWh"),
                departure=_moment(needs.get("departureTime")),
                needs_at=_moment(needs.get("at")),
            )
        )
    return found


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _send(
    charge_point_id: str, build: Callable[[Profile], Intent], now: datetime, command_id: str | None = None
) -> None:
    """A profile of the allocator's; a station offline now gets what it needs when it boots."""
    try:
        charge_point = commands.connected(charge_point_id)
        intent = build(commands.profile_of(charge_point))
        commands.submit_to(charge_point, intent, None, now, command_id)
    except ApplicationError as error:
        logger.info("Not sent", extra={"charge_point_id": charge_point_id, "reason": error.message})


def share_taken(charge_point_id: str, command_id: str, at: datetime) -> None:
    """A station took a lowered share (an allocator's TxProfile, Accepted): when it was the last
    one an allocation waited for, SiteSharesLowered, and the held-back shares rise. 1 read and
    1 conditional write."""
    site_id = site_of_charge_point(charge_point_id)
    if site_id and sites.answered(site_id, command_id):
        detail = {"site_id": site_id, "charge_point_id": charge_point_id, "at": at}
        publish(DomainEvent.SITE_SHARES_LOWERED, detail)


def _profile(wanted: SiteProfile, now: datetime) -> Callable[[Profile], Intent]:
    return lambda profile: smart_charging_codec(profile).site_profile(wanted, now)


def _clear_cap(profile: Profile) -> Intent:
    return smart_charging_codec(profile).clear_charging_profile(STATION_MAX_PROFILE_ID)


def station_defaults(site: Site, charge_point_ids: list[str], now: datetime) -> None:
    """What each station draws on its own: a TxDefaultProfile of `fallbackAmps` on the whole
    station, so that a session starting before the allocator answers (or while the station
    is offline) draws little, and the station's cap where the site sets one (or none, cleared)."""
    fallback = SiteProfile(SiteProfileKind.FALLBACK, 0, site.fallback_amps, site.phases)
    for charge_point_id in charge_point_ids:
        _send(charge_point_id, _profile(fallback, now), now)
        if site.station_max_amps is not None:
            cap = SiteProfile(SiteProfileKind.STATION_MAX, 0, float(site.station_max_amps), site.phases)
            _send(charge_point_id, _profile(cap, now), now)
        elif any(
            p.facts.profile_id == STATION_MAX_PROFILE_ID
            for p in charging_profiles.profiles_of(charge_point_id)
        ):
            _send(charge_point_id, _clear_cap, now)


def charging_needs(charge_point_id: str, needs: ChargingNeeds, raw: dict[str, Any], at: datetime) -> bool:
    """NotifyEVChargingNeeds: kept on the session charging at that EVSE (1 query, 1 write) and
    published, so that the site's allocator counts what the EV can take. False: no session."""
    in_progress = transactions.sessions_in_progress(charge_point_id)
    transaction_id = next((tid for (evse, _), tid in in_progress.items() if evse == needs.evse_id), None)
    if transaction_id is None:
        return False
    transactions.record_charging_needs(charge_point_id, transaction_id, needs, raw, at)
    publish(
        DomainEvent.EV_CHARGING_NEEDS,
        {
            "charge_point_id": charge_point_id,
            "transaction_id": transaction_id,
            "evse_id": needs.evse_id,
            "max_amps": needs.max_amps,
            "energy_wh": needs.energy_wh,
            "departure_time": needs.departure,
            "at": at,
        },
    )
    return True


def priority_charging(charge_point_id: str, transaction_id: str, activated: bool, at: datetime) -> bool:
    """2.1 NotifyPriorityCharging: kept on the session (1 conditional write; a resend writes
    nothing). False when there is no such session, or it already said so."""
    return transactions.record_priority_charging(charge_point_id, transaction_id, activated, at)
