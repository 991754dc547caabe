"""/tariffs and /cdrs: what charging costs, where and for whom, and ended sessions as OCPI 2.2.1
charge detail records for billing; and what stations' own payment terminals settled (2.1)."""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import EventPage
from functions.operator_api.models.tariff_and_cost import (
    CdrPage,
    DefaultTariffIn,
    PreviewIn,
    PreviewOut,
    TariffIn,
    TariffList,
    TariffOut,
)
from functions.operator_api.models.transactions import CostOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import Wait, intent_route, json_response, send_intent, with_examples
from functions.operator_api.station_events import page_of_kind
from shared.domain.accounts import Permission
from shared.domain.errors import BadRequest
from shared.domain.station_events import EventKind
from shared.domain.tariffs import Tariff, breakdown_json, to_json
from shared.domain.timestamps import utc_now
from shared.protocol.tariff_and_cost import tariff_and_cost_codec
from shared.services.tariff_and_cost import cdrs, tariffs

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /tariffs/<tariff_id>": Permission.TARIFFS,
    "GET /cdrs": Permission.READ,
    "GET /charge-points/<charge_point_id>/settlements": Permission.READ,
    "GET /charge-points/<charge_point_id>/vat-numbers": Permission.READ,
    "GET /tariffs": Permission.READ,
    "GET /tariffs/<tariff_id>": Permission.READ,
    "POST /tariffs/<tariff_id>/preview": Permission.TARIFFS,
    "POST /charge-points/<charge_point_id>/default-tariff": Permission.TARIFFS,
    "PUT /tariffs/<tariff_id>": Permission.TARIFFS,
}
TAGS = ["Tariffs and cost"]
TariffId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9._-]+$")]


def _out(tariff: Tariff) -> TariffOut:
    return TariffOut.model_validate(to_json(tariff))


EXAMPLE = {
    "currency": "EUR",
    "vatRate": 20,
    "timeZone": "Europe/Paris",
    "idleGraceMinutes": 30,
    "minPrice": 1,
    "elements": [
        {
            "priceComponents": [{"type": "ENERGY", "price": 0.35}, {"type": "FLAT", "price": 0.5}],
            "restrictions": {"startTime": "07:00", "endTime": "22:00"},
        },
        {
            "priceComponents": [
                {"type": "ENERGY", "price": 0.25},
                {"type": "FLAT", "price": 0.5},
                {"type": "PARKING_TIME", "price": 6},
            ]
        },
    ],
    "text": [{"language": "en", "text": "0.35 EUR/kWh by day, 0.25 at night; 6 EUR/h idle after 30 min"}],
    "assignedTo": {"sites": ["paris-1"]},
}


@router.put(
    "/tariffs/<tariff_id>",
    summary="Create or replace a tariff; sessions keep the tariff they started under",
    tags=TAGS,
    responses={200: {"description": "Replaced"}, 201: {"description": "Created"}},
)
def put_tariff(
    tariff_id: TariffId, body: Annotated[TariffIn, with_examples(("Day and night", EXAMPLE))]
) -> Response[TariffOut]:
    tariff, created = tariffs.put(tariff_id, body.model_dump(by_alias=True, mode="json"), utc_now())
    return json_response(HTTPStatus.CREATED if created else HTTPStatus.OK, _out(tariff))


@router.get("/tariffs", summary="Every tariff", tags=TAGS)
def list_tariffs() -> TariffList:
    return TariffList(items=[_out(t) for t in tariffs.list_all()])


@router.get("/tariffs/<tariff_id>", summary="One tariff", tags=TAGS)
def get_tariff(tariff_id: TariffId) -> TariffOut:
    return _out(tariffs.get(tariff_id))


@router.post(
    "/tariffs/<tariff_id>/preview",
    summary="What a session of these figures would cost under the tariff (priced as its CDR would be)",
    tags=TAGS,
)
def preview_tariff(
    tariff_id: TariffId,
    body: Annotated[
        PreviewIn,
        with_examples(
            ("22 kWh in 2 hours, starting now", {"energyWh": 22000, "durationMinutes": 120}),
            (
                "An evening, the last hour idle",
                {
                    "energyWh": 30000,
                    "start": "2026-03-02T18:00:00Z",
                    "end": "2026-03-02T23:00:00Z",
                    "idleMinutes": 60,
                },
            ),
        ),
    ],
) -> PreviewOut:
    if body.duration_minutes is not None and body.end is not None:
        raise BadRequest("Either durationMinutes or end, not both")
    if body.end is not None and body.start is None:
        raise BadRequest("end needs start")
    if body.duration_minutes is None and body.end is None:
        raise BadRequest("durationMinutes, or start and end, is needed")
    start = body.start or utc_now()
    end = body.end or start + timedelta(minutes=body.duration_minutes or 0)
    breakdown = tariffs.preview(tariff_id, start, end, body.energy_wh, body.idle_minutes * 60)
    return PreviewOut(started_at=start, ended_at=end, cost=CostOut.model_validate(breakdown_json(breakdown)))


@router.delete(
    "/tariffs/<tariff_id>", summary="Delete a tariff", tags=TAGS, responses={204: {"description": "Deleted"}}
)
def delete_tariff(tariff_id: TariffId) -> Response[None]:
    tariffs.delete(tariff_id)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@intent_route(
    router,
    "default-tariff",
    "2.1: the tariff a station applies to sessions it prices itself (SetDefaultTariff)",
    TAGS,
)
def set_default_tariff(
    charge_point_id: ChargePointId, body: Annotated[DefaultTariffIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    tariff = tariffs.get(body.tariff_id)
    return send_intent(
        charge_point_id,
        lambda profile: tariff_and_cost_codec(profile).set_default_tariff(tariff, body.evse_id),
        wait,
    )


@router.get("/cdrs", summary="Ended sessions as OCPI 2.2.1 CDRs, newest first, with their cost", tags=TAGS)
def list_cdrs(
    started_from: Annotated[datetime | None, Query(alias="from", description="Started at or after")] = None,
    started_to: Annotated[datetime | None, Query(alias="to", description="Started at or before")] = None,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> CdrPage:
    page = cdrs.list_cdrs(started_from, started_to, limit, next_token)
    return CdrPage(items=page.items, next_token=page.next_token)


@router.get(
    "/charge-points/<charge_point_id>/settlements",
    summary="2.1: payments its terminal settled (NotifySettlement), newest first",
    tags=TAGS,
)
def settlements(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.SETTLEMENT, limit, next_token)


@router.get(
    "/charge-points/<charge_point_id>/vat-numbers",
    summary="2.1: VAT numbers drivers gave its terminal (VatNumberValidation), with the answer, newest first",
    tags=TAGS,
)
def vat_numbers(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.VAT_NUMBER, limit, next_token)
