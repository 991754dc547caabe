"""/tariffs and /cdrs: what charging costs, where and for whom, and ended sessions as OCPI 2.2.1
charge detail records for billing."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import Field, PlainSerializer

from functions.operator_api.models import ApiModel, CommandOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import Wait, intent_route, json_response, send_intent, with_examples
from shared.domain.tariffs import WEEKDAYS, Tariff, to_json
from shared.domain.timestamps import utc_now
from shared.services import cdrs, tariffs

router = APIGatewayHttpRouter()
TAGS = ["Tariffs and cost"]
TariffId = Annotated[str, Path(min_length=1, max_length=36, pattern=r"^[A-Za-z0-9._-]+$")]
# Read exactly (a string or a number), answered as a JSON number.
Money = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
Weekday = Literal[WEEKDAYS]  # type: ignore[valid-type]
Clock = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", examples=["07:00"])]


class PriceComponentIn(ApiModel):
    type: Literal["ENERGY", "TIME", "PARKING_TIME", "FLAT"] = Field(
        description="ENERGY per kWh, TIME per hour charging, PARKING_TIME per hour idle, FLAT per session"
    )
    price: Money = Field(description="Before tax")


class RestrictionsIn(ApiModel):
    start_time: Clock | None = Field(None, description="Local time it starts applying")
    end_time: Clock | None = Field(None, description="Local time it stops (before the start: next day)")
    days_of_week: list[Weekday] | None = Field(None, description="None: every day")


class TariffElementIn(ApiModel):
    price_components: list[PriceComponentIn] = Field(max_length=4)
    restrictions: RestrictionsIn | None = Field(None, description="None: the fallback, which comes last")


class TariffTextIn(ApiModel):
    language: str = Field(min_length=2, max_length=8, examples=["en"])
    text: str = Field(min_length=1, max_length=512, examples=["0.35 EUR/kWh, 6 EUR/h idle after 30 min"])


class AssignmentIn(ApiModel):
    charge_points: list[str] = Field([], max_length=1000)
    sites: list[str] = Field([], max_length=1000)
    id_token_groups: list[str] = Field([], max_length=1000, description="The list's parentIdToken values")
    default: bool = Field(False, description="Everywhere nothing more specific applies")


class TariffIn(ApiModel):
    """OCPI 2.2.1's tariff elements, with what an operator sets around them."""

    currency: str = Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])
    vat_rate: Money = Field(Decimal(0), description="Percent, added to the price")
    time_zone: str = Field("UTC", description="Of the restrictions' times", examples=["Europe/Paris"])
    idle_grace_minutes: int = Field(0, description="Idle time that is free before PARKING_TIME is charged")
    min_price: Money | None = Field(None, description="Before tax")
    max_price: Money | None = Field(None, description="Before tax")
    elements: list[TariffElementIn] = Field(max_length=50)
    text: list[TariffTextIn] = Field([], max_length=10, description="For drivers, on displays")
    assigned_to: AssignmentIn = Field(default_factory=AssignmentIn)


class TariffOut(TariffIn):
    tariff_id: str
    updated_at: datetime | None


class TariffList(ApiModel):
    items: list[TariffOut]


class DefaultTariffIn(ApiModel):
    tariff_id: str = Field(min_length=1, max_length=36)
    evse_id: int = Field(0, ge=0, description="0: every EVSE")


class CdrPage(ApiModel):
    items: list[dict[str, Any]] = Field(description="OCPI 2.2.1 CDR objects")
    next_token: str | None = None


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
        {"priceComponents": [{"type": "ENERGY", "price": 0.25}, {"type": "FLAT", "price": 0.5}]},
        {"priceComponents": [{"type": "PARKING_TIME", "price": 6}]},
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
        charge_point_id, lambda adapter: adapter.set_default_tariff(tariff, body.evse_id), wait
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
