"""/drivers (operators: make, look up and remove drivers' accounts, link their cards) and
/driver (a driver's own account: its cards, sessions, receipts and monthly statements).
docs/accounts.md, "Drivers"."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access, caller
from functions.operator_api.models.drivers import (
    AccountOut,
    DriverIn,
    DriverKeyOut,
    DriverOut,
    DriverPage,
    DriverSessionOut,
    DriverSessionPage,
    LinkIn,
    NewDriverOut,
    PendingLinkOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import file_route, json_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.timestamps import utc_now
from shared.services.drivers import accounts as drivers
from shared.services.drivers import receipts

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "POST /drivers": Permission.DRIVERS,
    "GET /drivers": Permission.DRIVERS,
    "GET /drivers/<driver_id>": Permission.DRIVERS,
    "DELETE /drivers/<driver_id>": Permission.DRIVERS,
    "POST /drivers/<driver_id>/keys": Permission.DRIVERS,
    "PUT /drivers/<driver_id>/id-tokens/<id_token>": Permission.DRIVERS,
    "DELETE /drivers/<driver_id>/id-tokens/<id_token>": Permission.DRIVERS,
    "GET /driver/account": Permission.DRIVER_ACCOUNT,
    "POST /driver/id-tokens": Permission.DRIVER_ACCOUNT,
    "DELETE /driver/id-tokens/<id_token>": Permission.DRIVER_ACCOUNT,
    "GET /driver/sessions": Permission.DRIVER_ACCOUNT,
    "GET /driver/sessions/<charge_point_id>/<transaction_id>/receipt": Permission.DRIVER_ACCOUNT,
    "GET /driver/statements/<month>": Permission.DRIVER_ACCOUNT,
}
OPERATORS, DRIVER = ["Drivers"], ["Driver's account"]
DriverId = Annotated[str, Path(min_length=1, max_length=64, description="The driver's account")]
IdToken = Annotated[str, Path(min_length=1, max_length=255, description="The card's id token")]
Format = Annotated[Literal["pdf", "csv"], Query(description="pdf (the default) or csv")]


# --- Operators --------------------------------------------------------------------------------


@router.post(
    "/drivers",
    summary="Make a driver's account (its key, to sign in with, is shown this once)",
    tags=OPERATORS,
    responses={201: {"description": "Made"}},
)
def create_driver(
    body: Annotated[
        DriverIn, with_examples(("A fleet's driver", {"name": "Ada Lovelace", "email": "ada@example.com"}))
    ],
) -> Response[NewDriverOut]:
    driver, key = drivers.create(caller(router), body.name, body.email, body.tenant_id, utc_now())
    return json_response(HTTPStatus.CREATED, NewDriverOut(**DriverOut.fields_of(driver), key=key))


@router.get("/drivers", summary="The tenant's drivers, or the one with an email address", tags=OPERATORS)
def list_drivers(
    email: Annotated[
        str | None, Query(max_length=320, description="Only the driver with this address")
    ] = None,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> DriverPage:
    page = drivers.lookup(email, limit, next_token)
    return DriverPage(items=[DriverOut.of(driver) for driver in page.items], next_token=page.next_token)


@router.get("/drivers/<driver_id>", summary="A driver, with its cards", tags=OPERATORS)
def get_driver(driver_id: DriverId) -> AccountOut:
    return AccountOut.of_account(drivers.account(drivers.find(driver_id), utc_now()))


@router.delete(
    "/drivers/<driver_id>",
    summary="Remove a driver's account (its cards stay, unlinked; its key stops working)",
    tags=OPERATORS,
    responses={204: {"description": "Removed"}},
)
def delete_driver(driver_id: DriverId) -> Response[None]:
    drivers.delete(driver_id, utc_now())
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@router.post(
    "/drivers/<driver_id>/keys",
    summary="A new key for the driver (the old one stops working)",
    tags=OPERATORS,
    responses={201: {"description": "Made"}},
)
def renew_driver_key(driver_id: DriverId) -> Response[DriverKeyOut]:
    key = drivers.renew_key(caller(router), driver_id, utc_now())
    return json_response(HTTPStatus.CREATED, DriverKeyOut(key=key))


@router.put(
    "/drivers/<driver_id>/id-tokens/<id_token>",
    summary="Link a card to the driver's account at once",
    tags=OPERATORS,
    responses={204: {"description": "Linked"}, 409: {"description": "Another driver's card"}},
)
def link_card(driver_id: DriverId, id_token: IdToken) -> Response[None]:
    drivers.link(driver_id, id_token, utc_now(), caller(router).principal)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@router.delete(
    "/drivers/<driver_id>/id-tokens/<id_token>",
    summary="Unlink a card from the driver's account",
    tags=OPERATORS,
    responses={204: {"description": "Unlinked"}},
)
def unlink_card(driver_id: DriverId, id_token: IdToken) -> Response[None]:
    drivers.unlink(drivers.find(driver_id), id_token, utc_now(), caller(router).principal)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


# --- The driver's own account -----------------------------------------------------------------


@router.get("/driver/account", summary="The driver's account: its cards and a link waiting", tags=DRIVER)
def get_account() -> AccountOut:
    now = utc_now()
    return AccountOut.of_account(drivers.account(drivers.of_principal(caller(router), now), now))


@router.post(
    "/driver/id-tokens",
    summary="Ask to link a card: present it at any station within 10 minutes",
    tags=DRIVER,
    responses={
        202: {"description": "Waiting for the card"},
        404: {"description": "No such card"},
        409: {"description": "Another driver's card, or already this account's"},
    },
)
def ask_link(
    body: Annotated[LinkIn, with_examples(("An RFID card", {"idToken": "04A2B3C4D5E6F7"}))],
) -> Response[PendingLinkOut]:
    now = utc_now()
    link = drivers.ask_link(drivers.of_principal(caller(router), now), body.id_token, now)
    return json_response(HTTPStatus.ACCEPTED, PendingLinkOut.of(link))


@router.delete(
    "/driver/id-tokens/<id_token>",
    summary="Unlink one of the driver's cards",
    tags=DRIVER,
    responses={204: {"description": "Unlinked"}},
)
def unlink_own_card(id_token: IdToken) -> Response[None]:
    now = utc_now()
    driver = drivers.of_principal(caller(router), now)
    drivers.unlink(driver, id_token, now, driver.driver_id)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@router.get(
    "/driver/sessions", summary="The driver's sessions, newest first, with energy and cost", tags=DRIVER
)
def list_own_sessions(
    started_from: Annotated[
        datetime | None, Query(alias="from", description="Started at or after (default: 400 days ago)")
    ] = None,
    started_to: Annotated[datetime | None, Query(alias="to", description="Started at or before")] = None,
    limit: PageSize = 20,
    next_token: NextToken = None,
) -> DriverSessionPage:
    now = utc_now()
    driver = drivers.of_principal(caller(router), now)
    page = drivers.sessions(driver, started_from, started_to, limit, next_token, now)
    return DriverSessionPage(
        items=[DriverSessionOut.of(session, now) for session in page.items], next_token=page.next_token
    )


@router.get(
    "/driver/sessions/<charge_point_id>/<transaction_id>/receipt",
    summary="A receipt for one of the driver's ended sessions (PDF or CSV)",
    tags=DRIVER,
    responses={
        200: {"description": "The receipt", "content": {"application/pdf": {}, "text/csv": {}}},
        404: {"description": "Not one of the driver's sessions"},
        409: {"description": "Still running"},
    },
)
@file_route
def get_receipt(
    charge_point_id: ChargePointId,
    transaction_id: Annotated[str, Path(min_length=1, max_length=64)],
    format: Format = "pdf",
) -> Response[bytes]:
    now = utc_now()
    driver = drivers.of_principal(caller(router), now)
    return _download(receipts.receipt(driver, charge_point_id, transaction_id, format, now))


@router.get(
    "/driver/statements/<month>",
    summary="The driver's statement of a month (YYYY-MM): its ended sessions and totals",
    tags=DRIVER,
    responses={200: {"description": "The statement", "content": {"application/pdf": {}, "text/csv": {}}}},
)
@file_route
def get_statement(
    month: Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM, UTC")],
    format: Format = "pdf",
) -> Response[bytes]:
    now = utc_now()
    driver = drivers.of_principal(caller(router), now)
    return _download(receipts.statement(driver, month, format, now))


def _download(document: receipts.Document) -> Response[bytes]:
    """A file the browser saves under its name (bytes: base64 through API Gateway)."""
    return Response(
        status_code=int(HTTPStatus.OK),
        content_type=document.content_type,
        body=document.body,
        headers={"Content-Disposition": f'attachment; filename="{document.filename}"'},
    )
