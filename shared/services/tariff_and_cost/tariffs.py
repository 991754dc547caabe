"""Tariffs: kept by the operator, one per place or driver group, and the one that prices a
session chosen when it starts (decision 0023). Functions read the list whole and keep it for a
minute, so pricing costs no reads on the hot path once warm."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from shared.data import charge_points, id_tokens, tenancy
from shared.data import tariffs as records
from shared.domain.errors import BadRequest, Conflict, NotFound
from shared.domain.tariffs import Breakdown, Tariff, from_json, most_specific, planned_usage, price
from shared.grants import grants
from shared.services.station_tenant import tenant_of_charge_point

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "id-tokens", "tariffs"),
    writes=("tariffs",),
)

CACHE_S = 60.0
_cache: list[tuple[float, dict[str, list[Tariff]]]] = []


def forget() -> None:
    """Read the list afresh next time (after a change here, and between tests)."""
    _cache.clear()


def _by_tenant() -> dict[str, list[Tariff]]:
    """Every tariff by tenant, kept CACHE_S; in a tenant's scope its own, read afresh (never
    cached, so that pricing, which runs unscoped, never sees one tenant's list alone)."""
    if tenancy.scope() is not None:
        return records.tariffs_by_tenant()
    now = time.monotonic()
    if _cache and now - _cache[0][0] < CACHE_S:
        return _cache[0][1]
    found = records.tariffs_by_tenant()
    _cache[:] = [(now, found)]
    return found


def all_tariffs() -> list[Tariff]:
    """Every tariff (kept as _by_tenant keeps them)."""
    return [tariff for tariffs in _by_tenant().values() for tariff in tariffs]


def put(tariff_id: str, body: dict[str, Any], now: datetime) -> tuple[Tariff, bool]:
    """Creates or replaces it; 400 with every reason it cannot be used, 409 when a place or
    group it is assigned to has another tariff already."""
    try:
        tariff = from_json({**body, "tariffId": tariff_id, "updatedAt": None})
    except (ValueError, KeyError, ArithmeticError) as error:
        raise BadRequest(f"tariff: {error}") from None
    problems = tariff.problems()
    if problems:
        raise BadRequest("; ".join(problems))
    tariff = replace(tariff, updated_at=now)
    for other in records.all_tariffs():
        if other.tariff_id != tariff_id:
            clash = _shared_assignment(tariff, other)
            if clash:
                raise Conflict(f"{clash} has tariff {other.tariff_id} already")
    created = records.put_tariff(tariff, now)
    forget()
    return tariff, created


def _shared_assignment(mine: Tariff, theirs: Tariff) -> str | None:
    a, b = mine.assigned, theirs.assigned
    for kind, ours, others in (
        ("charge point", a.charge_points, b.charge_points),
        ("site", a.sites, b.sites),
        ("id-token group", a.id_token_groups, b.id_token_groups),
    ):
        both = sorted(ours & others)
        if both:
            return f"{kind} {both[0]}"
    return "the default" if a.default and b.default else None


def get(tariff_id: str) -> Tariff:
    tariff = records.find_tariff(tariff_id)
    if tariff is None:
        raise NotFound(f"Tariff {tariff_id}")
    return tariff


# The longest session a preview prices: a week, as long as any real one lasts.
PREVIEW_MOST = timedelta(days=7)


def preview(
    tariff_id: str, started_at: datetime, ended_at: datetime, energy_wh: float, idle_s: int
) -> Breakdown:
    """What a session of these figures would cost under the tariff, priced as a CDR is."""
    if ended_at <= started_at:
        raise BadRequest("The session must end after it starts")
    if ended_at - started_at > PREVIEW_MOST:
        raise BadRequest("A preview prices a session of 7 days at most")
    if timedelta(seconds=idle_s) > ended_at - started_at:
        raise BadRequest("idleMinutes: longer than the session")
    return price(get(tariff_id), planned_usage(started_at, ended_at, energy_wh, idle_s))


def delete(tariff_id: str) -> None:
    """Sessions priced by it keep it: each carries the tariff it started under."""
    if not records.delete_tariff(tariff_id):
        raise NotFound(f"Tariff {tariff_id}")
    forget()


UNKNOWN: Any = object()


def tariff_for(charge_point_id: str, id_token: str | None, group: str | None = UNKNOWN) -> Tariff | None:
    """The tariff for a session here of this driver, among the station's tenant's (each tenant
    has its default and its assignments). Reads only what the assignments need: the charge point
    (its site) when a tariff is assigned to sites, the token (its group) when one is assigned to
    groups and the caller does not know the group."""
    by_tenant = _by_tenant()
    if not by_tenant:
        return None
    tariffs = by_tenant.get(tenant_of_charge_point(charge_point_id), [])
    if not tariffs:
        return None
    site = None
    if any(t.assigned.sites for t in tariffs):
        charge_point = charge_points.find_charge_point(charge_point_id)
        site = charge_point.site_id if charge_point else None
    if group is UNKNOWN:
        group = None
        if id_token and any(t.assigned.id_token_groups for t in tariffs):
            entry = id_tokens.find_id_token(id_token)
            group = entry.parent_id_token if entry else None
    return most_specific(tariffs, charge_point_id, site, group)


def list_all() -> list[Tariff]:
    """Every tariff as stored now (the operator API reads afresh, not the cache)."""
    return records.all_tariffs()
