"""/transactions: charging sessions, newest first, with their energy and meter values."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.errors import bad_request, not_found
from functions.operator_api.models import (
    MeterValueOut,
    SampleOut,
    SessionEventOut,
    TransactionDetail,
    TransactionOut,
    TransactionPage,
)
from functions.operator_api.params import NextToken, PageSize
from shared import remote_starts
from shared.data import transactions
from shared.data.common import BadPageToken
from shared.domain.sessions import merge

router = APIGatewayHttpRouter()


@router.get("/transactions", summary="List sessions, newest first", tags=["Transactions"])
def list_transactions(
    charge_point_id: Annotated[
        str | None, Query(alias="chargePointId", max_length=48, description="Only this charge point's")
    ] = None,
    active: Annotated[bool | None, Query(description="true: in progress only; false: ended only")] = None,
    started_from: Annotated[datetime | None, Query(alias="from", description="Started at or after")] = None,
    started_to: Annotated[datetime | None, Query(alias="to", description="Started at or before")] = None,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> TransactionPage:
    for name, value in (("from", started_from), ("to", started_to)):
        if value is not None and value.tzinfo is None:
            raise bad_request(f"{name} needs a time zone, e.g. 2026-11-24T00:00:00Z")
    if started_from and started_to and started_from > started_to:
        raise bad_request("from is after to")
    try:
        page = transactions.list_sessions(
            limit=limit,
            next_token=next_token,
            charge_point_id=charge_point_id,
            active=active,
            started_from=started_from,
            started_to=started_to,
        )
    except BadPageToken as error:
        raise bad_request(str(error)) from None
    items = [TransactionOut(**asdict(transactions.summarise(record))) for record in page.items]
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
            alias="chargePointId", max_length=48, description="Needed only when two charge points use the id"
        ),
    ] = None,
) -> TransactionDetail:
    found = transactions.find_sessions(transaction_id, charge_point_id)
    if not found:
        raise not_found(f"Transaction {transaction_id}")
    if len(found) > 1:
        raise bad_request(
            f"Transaction id {transaction_id} is used by several charge points "
            f"({', '.join(r.charge_point_id for r in found)}): add chargePointId"
        )
    record = found[0]
    progress = merge(
        transactions.events_of(transactions.session_stream(record.charge_point_id, transaction_id))
    )
    summary = transactions.summarise(record, progress.meter_values, progress.charging_state)
    return TransactionDetail(
        **asdict(summary),
        remote_start_command_id=remote_starts.command_that_began(summary),
        meter_values=[
            MeterValueOut(
                timestamp=mv.timestamp, sampled_values=[SampleOut(**asdict(sample)) for sample in mv.samples]
            )
            for mv in progress.meter_values
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
            for event in progress.events
        ],
    )
