"""/transactions: charging sessions, newest first, with their energy and meter values; 2.1 battery
swaps, a kind of their own."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.common import EventPage
from functions.operator_api.models.transactions import (
    MeterValueOut,
    SampleOut,
    SessionEventOut,
    TransactionDetail,
    TransactionOut,
    TransactionPage,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.station_events import page_of_kind
from shared.domain.accounts import Permission
from shared.domain.station_events import EventKind
from shared.domain.transactions import SessionFilter
from shared.services import transactions

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /charge-points/<charge_point_id>/battery-swaps": Permission.READ,
    "GET /transactions": Permission.READ,
    "GET /transactions/<transaction_id>": Permission.READ,
}


@router.get("/transactions", summary="List sessions, newest first", tags=["Transactions"])
def list_transactions(
    charge_point_id: Annotated[
        str | None, Query(alias="chargePointId", max_length=48, description="Only this charge point's")
    ] = None,
    active: Annotated[bool | None, Query(description="true: in progress only; false: ended only")] = None,
    started_from: Annotated[datetime | None, Query(alias="from", description="Started at or after")] = None,
    started_to: Annotated[datetime | None, Query(alias="to", description="Started at or before")] = None,
    id_token: Annotated[
        str | None, Query(alias="idToken", max_length=255, description="Only this driver's (id tag or token)")
    ] = None,
    with_cost: Annotated[
        bool,
        Query(alias="withCost", description="Each priced session's cost too (a read of its meter values)"),
    ] = False,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> TransactionPage:
    wanted = SessionFilter(charge_point_id, active, started_from, started_to, id_token)
    page = transactions.list_sessions(wanted, limit, next_token, cost=with_cost)
    items = [TransactionOut(**asdict(summary)) for summary in page.items]
    return TransactionPage(items=items, next_token=page.next_token)


@router.get(
    "/transactions/<transaction_id>", summary="One session with its meter values", tags=["Transactions"]
)
def get_transaction(
    transaction_id: Annotated[
        str, Path(min_length=1, max_length=36, description="As the charge point knows it")
    ],
    charge_point_id: Annotated[
        str | None,
        Query(
            alias="chargePointId",
            min_length=1,
            max_length=48,
            description="Needed only when two charge points use the id",
        ),
    ] = None,
) -> TransactionDetail:
    detail = transactions.session_detail(transaction_id, charge_point_id)
    return TransactionDetail(
        **asdict(detail.summary),
        remote_start_command_id=detail.remote_start_command_id,
        station_cost=detail.station_cost,
        priority_charging=detail.priority_charging,
        meter_values=[
            MeterValueOut(
                timestamp=mv.timestamp, sampled_values=[SampleOut(**asdict(sample)) for sample in mv.samples]
            )
            for mv in detail.meter_values
        ],
        events=[
            SessionEventOut(
                kind=event.kind.value,
                timestamp=event.timestamp,
                seq_no=event.seq_no,
                trigger_reason=event.trigger_reason,
                charging_state=event.charging_state,
                offline=event.offline,
            )
            for event in detail.events
        ],
    )


@router.get(
    "/charge-points/<charge_point_id>/battery-swaps",
    summary="2.1: batteries put in and taken out (BatterySwap), by swap request, newest first",
    tags=["Transactions"],
)
def battery_swaps(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.BATTERY_SWAP, limit, next_token)
