"""Sites and their allocator: the charge points behind one grid connection, and the current each
session charging there may draw, sent as a TxProfile whenever a session starts or ends or the
site changes (decision 0024)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from shared.aws.event_bus import DomainEvent, publish
from shared.data import charge_points, sites, transactions
from shared.domain.errors import ApplicationError, BadRequest, Conflict, NotFound
from shared.domain.sites import Allocation, ChargingNeeds, Draw, Site, allocate
from shared.observability import logger, metrics
from shared.services import commands

# How long one allocation may hold the site's turn before another may take it over.
TURN = timedelta(seconds=30)
# Rounds one invocation runs while asks keep coming, before leaving the rest to the next.
MAX_ROUNDS = 5


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
    left = set(sites.site_of(before).charge_points) - set(site.charge_points) if before else set()
    sites.put_site(site, now)
    for charge_point_id in site.charge_points:
        charge_points.register_charge_point(charge_point_id, now, site_id=site_id)
    for charge_point_id in left:
        charge_points.register_charge_point(charge_point_id, now, site_id=None)
    publish(DomainEvent.SITE_CHANGED, {"site_id": site_id, "at": now})
    return replace(site, updated_at=now), before is None


def get(site_id: str) -> tuple[Site, dict[str, Any] | None]:
    record = sites.find_site(site_id)
    if record is None:
        raise NotFound(f"Site {site_id}")
    return sites.site_of(record), record.allocation


def all_sites() -> list[Site]:
    return [sites.site_of(record) for record in sites.all_sites()]


def site_of_charge_point(charge_point_id: str) -> str | None:
    charge_point = charge_points.find_charge_point(charge_point_id)
    return charge_point.site_id if charge_point else None


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
    draws = [draw for charge_point_id in site.charge_points for draw in _draws(charge_point_id)]
    before = {
        f"{s['chargePointId']}/{s['transactionId']}": float(s["amps"])
        for s in (record.allocation or {}).get("sessions", [])
    }
    allocation = allocate(site, draws, before, now, reason)
    for share in allocation.shares:
        if share.changed:
            _send(share.draw, share.amps, now)
    metrics.add_metric(name="SiteAllocations", unit="Count", value=1)
    return allocation


def _draws(charge_point_id: str) -> list[Draw]:
    """1 query: the sessions charging at this charge point."""
    return [
        Draw(
            charge_point_id=charge_point_id,
            transaction_id=r.transaction_id,
            evse_id=int(r.evse_id if r.evse_id is not None else r.connector_id or 1),
            started_at=datetime.fromisoformat(r.started_at),
            max_amps=None if r.ev_max_amps is None else float(r.ev_max_amps),
        )
        for r in transactions.active_sessions(charge_point_id)
    ]


def _send(draw: Draw, amps: float, now: datetime) -> None:
    """A TxProfile for the session; a station offline now keeps its default until it returns."""
    try:
        charge_point = commands.connected(draw.charge_point_id)
        adapter = commands.adapter_of(charge_point)
        intent = adapter.allocation_profile(draw.evse_id, draw.transaction_id, amps, draw.phases)
        commands.submit_to(charge_point, intent, None, now)
    except ApplicationError as error:
        logger.info(
            "Allocation not sent", extra={"charge_point_id": draw.charge_point_id, "reason": error.message}
        )


def charging_needs(charge_point_id: str, needs: ChargingNeeds, raw: dict[str, Any], at: datetime) -> bool:
    """NotifyEVChargingNeeds: kept on the session charging at that EVSE (1 query, 1 write) and
    published, so that the site's allocator counts what the EV can take. False: no session."""
    in_progress = transactions.sessions_in_progress(charge_point_id)
    transaction_id = next((tid for (evse, _), tid in in_progress.items() if evse == needs.evse_id), None)
    if transaction_id is None:
        return False
    transactions.record_charging_needs(charge_point_id, transaction_id, needs.max_amps, raw)
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
