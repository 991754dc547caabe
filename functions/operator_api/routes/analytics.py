"""What the console reads: the fleet's figures day by day, a breakdown by charge point, site,
model or connector, every connector's state at once, and a charge point's status history."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.analytics import (
    BreakdownOut,
    DailyOut,
    DayOut,
    FleetConnectorOut,
    FleetConnectorPage,
    MemberOut,
    StatusEntryOut,
    StatusHistoryPage,
)
from functions.operator_api.models.availability import ConnectorOut
from functions.operator_api.params import ChargePointId, FleetPageSize, NextToken, PageSize
from shared.domain.accounts import Permission
from shared.domain.analytics import MAX_DAYS, Breakdown, Figures
from shared.domain.timestamps import utc_now
from shared.services import analytics

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /analytics/breakdown": Permission.READ,
    "GET /analytics/daily": Permission.READ,
    "GET /charge-points/<charge_point_id>/status-history": Permission.READ,
    "GET /connectors": Permission.READ,
}
TAGS = ["Analytics"]

From = Annotated[date | None, Query(alias="from", description="First day (UTC); default 29 days before 'to'")]
To = Annotated[date | None, Query(alias="to", description="Last day (UTC), included; default today")]


def _figures(figures: Figures) -> dict[str, float | int]:
    """A period's or member's sums as the API words them."""
    return {
        "energy_wh": round(figures.energy_wh, 3),
        "sessions": figures.sessions,
        "busy_hours": round(figures.busy_s / 3600, 4),
        "faults": figures.faults,
    }


def _range(first: date | None, last: date | None) -> tuple[date, date]:
    last = last or utc_now().date()
    return first or last - timedelta(days=29), last


@router.get(
    "/analytics/daily", summary="The fleet's energy, sessions, busy hours and faults, day by day", tags=TAGS
)
def daily(first: From = None, last: To = None) -> DailyOut:
    start, end = _range(first, last)
    return DailyOut(items=[DayOut(date=d.day, **_figures(d.figures)) for d in analytics.daily(start, end)])


@router.get(
    "/analytics/breakdown",
    summary="Figures over a range per charge point, site, model or connector, sorted",
    description=f"Ranges of up to {MAX_DAYS} days, read from figures kept per month and per day as "
    "sessions end: top stations with order=desc, bottom ones with order=asc. Every registered "
    "charge point (its site and model) and every connector it reported ranks, at zero when nothing "
    "happened in the range.",
    tags=TAGS,
)
def breakdown(
    by: Annotated[Breakdown, Query(description="What to break the figures down by")] = Breakdown.CHARGE_POINT,
    first: From = None,
    last: To = None,
    sort: Annotated[
        Literal["energyWh", "sessions", "busyHours", "faults", "utilisation"], Query(description="Sorted by")
    ] = "energyWh",
    order: Annotated[Literal["asc", "desc"], Query()] = "desc",
    limit: FleetPageSize = 100,
) -> BreakdownOut:
    start, end = _range(first, last)
    rows, count = analytics.breakdown(by, start, end, sort, order == "desc", limit)
    return BreakdownOut(
        by=by,
        from_=start,
        to=end,
        count=count,
        items=[MemberOut(key=row.name, utilisation=row.utilisation, **_figures(row.figures)) for row in rows],
    )


@router.get("/connectors", summary="Every connector's state across the fleet, a page at a time", tags=TAGS)
def fleet_connectors(limit: FleetPageSize = 1000, next_token: NextToken = None) -> FleetConnectorPage:
    page = analytics.every_connector(limit, next_token)
    return FleetConnectorPage(
        items=[
            FleetConnectorOut(charge_point_id=charge_point_id, **ConnectorOut.fields(report))
            for charge_point_id, report in page.items
        ],
        next_token=page.next_token,
    )


@router.get(
    "/charge-points/<charge_point_id>/status-history",
    summary="Each status its connectors reported over the last month, newest first",
    tags=TAGS,
)
def status_history(
    charge_point_id: ChargePointId, limit: PageSize = 100, next_token: NextToken = None
) -> StatusHistoryPage:
    page = analytics.status_history(charge_point_id, limit, next_token)
    return StatusHistoryPage(
        items=[
            StatusEntryOut(
                connector=entry.connector,
                status=entry.status,
                error_code=entry.error_code,
                info=entry.info,
                at=entry.entry.partition("#")[0],
            )
            for entry in page.items
        ],
        next_token=page.next_token,
    )
