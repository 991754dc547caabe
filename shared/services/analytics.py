"""The console's analytics: figures kept as sessions end and connectors fault (decision 0029),
and read back over a range of days. In a tenant's scope (decision 0033) the figures are its
charge points' only: summed from their members rather than read from the fleet's or a model's,
which every tenant's sessions add to."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.data import analytics, charge_points, connectors, sites, tenancy
from shared.data.analytics import StatusHistoryRecord
from shared.data.dynamo import Page, every_item
from shared.domain.analytics import (
    FAULTED,
    Breakdown,
    Figures,
    Owner,
    connector_label,
    day_key,
    days_of,
    fault_contribution,
    member_name,
    periods_of,
    session_contribution,
    total,
    utilisation,
)
from shared.domain.availability import ConnectorStatusReport
from shared.domain.provisioning import ChargePoint
from shared.grants import grants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("analytics", "charge-points", "connectors", "sites", "status-history"),
    writes=("analytics", "status-history"),
)


def _owner(charge_point_id: str) -> Owner:
    """1 read: the site and model a charge point counts towards."""
    found = charge_points.find_charge_point(charge_point_id)
    if found is None:
        return Owner(charge_point_id)
    return Owner(charge_point_id, found.site_id, found.model)


def session_ended(detail: dict[str, Any]) -> bool:
    """A SessionEnded event: its energy, count and busy time added once."""
    stopped = detail.get("stoppedAt")
    if not stopped or detail.get("active"):
        return False
    charge_point_id = str(detail["chargePointId"])
    contribution = session_contribution(
        _owner(charge_point_id),
        str(detail["transactionId"]),
        connector_label(detail.get("evseId"), detail.get("connectorId")),
        datetime.fromisoformat(str(detail["startedAt"])),
        datetime.fromisoformat(str(stopped)),
        detail.get("energyWh"),
    )
    return analytics.add(contribution)


def status_changed(detail: dict[str, Any]) -> bool:
    """A ConnectorStatusChanged event: kept in the history; a fault is counted once."""
    charge_point_id = str(detail["chargePointId"])
    connector = connector_label(detail.get("evseId"), detail.get("connectorId")) or "0"
    at = datetime.fromisoformat(str(detail["timestamp"]))
    status = str(detail["status"])
    analytics.record_status(
        charge_point_id, connector, status, detail.get("errorCode"), detail.get("info"), at
    )
    if status != FAULTED:
        return False
    return analytics.add(fault_contribution(_owner(charge_point_id), connector, at))


@dataclass(frozen=True)
class Day:
    day: date
    figures: Figures


def daily(first: date, last: date) -> list[Day]:
    """Every day of the range, with zeros where nothing happened (one batch read per 100 days;
    in a tenant's scope a scan of its charge points and one query per day, its charge points'
    figures summed)."""
    days = days_of(first, last)
    if tenancy.scope() is None:
        kept = analytics.fleet([day_key(day) for day in days])
    else:
        mine = {f"cp#{cp.charge_point_id}" for cp in _charge_points()}
        kept = {
            day_key(day): sum(
                (figures for member, figures in analytics.members([day_key(day)], "cp#") if member in mine),
                Figures(),
            )
            for day in days
        }
    return [Day(day, kept.get(day_key(day), Figures())) for day in days]


def _charge_points() -> list[ChargePoint]:
    """Every charge point in scope (a scan page per 1,000)."""
    return list(every_item(charge_points.list_charge_points))


@dataclass(frozen=True)
class Member:
    name: str
    figures: Figures
    utilisation: float | None  # connectors only


def breakdown(
    by: Breakdown, first: date, last: date, sort: str, descending: bool, limit: int
) -> tuple[list[Member], int]:
    """Each member's figures over the range, sorted, the first `limit`; and how many there are.
    A query per kept period (whole months, then days), and a scan of the registry: a charge
    point, site, model or connector with nothing in the range ranks too, at zero."""
    days = len(days_of(first, last))
    periods = periods_of(first, last)
    kept = analytics.members(periods, by.prefix) if tenancy.scope() is None else _tenants_members(by, periods)
    sums = dict.fromkeys(_registered(by), Figures()) | total(kept)
    rows = [
        Member(
            member_name(member, by),
            figures,
            utilisation(figures, days) if by is Breakdown.CONNECTOR else None,
        )
        for member, figures in sums.items()
    ]
    rows.sort(key=lambda row: (_sort_value(row, sort), row.name), reverse=descending)
    return rows[:limit], len(rows)


def _tenants_members(by: Breakdown, periods: list[str]) -> Iterator[tuple[str, Figures]]:
    """The members of the tenant in scope, period by period: its charge points, their connectors
    and its sites as kept; its models summed from its charge points' figures by their model now
    (a model's own figures are every tenant's)."""
    mine = {cp.charge_point_id: cp for cp in _charge_points()}
    if by is Breakdown.MODEL:
        for member, figures in analytics.members(periods, "cp#"):
            found = mine.get(member.removeprefix("cp#"))
            if found is not None and found.model:
                yield f"model#{found.model}", figures
        return
    own_sites = {f"site#{record.site_id}" for record in sites.all_sites()}
    for member, figures in analytics.members(periods, by.prefix):
        if by is Breakdown.SITE:
            if member in own_sites:
                yield member, figures
        elif member.split("#")[1] in mine:  # cp#<id> or conn#<id>#<connector>
            yield member, figures


def _registered(by: Breakdown) -> set[str]:
    """Every member the registry knows of (a page per 1,000 charge points or connectors)."""
    if by is Breakdown.CONNECTOR:
        owned = (
            (Owner(charge_point_id), connector_label(report.evse_id, report.connector_id))
            for charge_point_id, report in every_item(every_connector)
            if report.evse_id is not None or report.connector_id != 0  # 1.6: the charge point itself
        )
    else:
        owned = (
            (Owner(cp.charge_point_id, cp.site_id, cp.model), None)
            for cp in every_item(charge_points.list_charge_points)
        )
    return {
        member
        for owner, connector in owned
        for member in owner.members(connector)
        if member.startswith(by.prefix)
    }


def _sort_value(row: Member, sort: str) -> float:
    figures = row.figures
    return {
        "energyWh": figures.energy_wh,
        "sessions": float(figures.sessions),
        "busyHours": figures.busy_s,
        "faults": float(figures.faults),
        "utilisation": row.utilisation or figures.busy_s,
    }[sort]


def every_connector(limit: int, next_token: str | None) -> Page[tuple[str, ConnectorStatusReport]]:
    """A scan page; in a tenant's scope, the connectors of its charge points only, read on until
    the page is full (tenancy.filled; 1 read more per charge point met)."""
    if tenancy.scope() is None:
        return connectors.every_connector(limit, next_token)
    seen = charge_points.seen_in_scope()
    return tenancy.filled(connectors.every_connector, lambda item: seen(item[0]), limit, next_token)


def status_history(charge_point_id: str, limit: int, next_token: str | None) -> Page[StatusHistoryRecord]:
    return analytics.status_history(charge_point_id, limit, next_token)
