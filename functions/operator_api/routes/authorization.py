"""/id-tokens: the authorization list that Authorize and the transaction messages answer from."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.authorization import IdTokenIn, IdTokenOut, IdTokenPage
from functions.operator_api.params import NextToken, PageSize
from shared.domain.accounts import Permission
from shared.domain.authorization import TokenEntry
from shared.domain.timestamps import utc_now
from shared.observability import logger
from shared.services import authorization

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /id-tokens/<id_token>": Permission.ID_TOKENS,
    "GET /id-tokens": Permission.READ,
    "GET /id-tokens/<id_token>": Permission.READ,
    "PUT /id-tokens/<id_token>": Permission.ID_TOKENS,
}

IdTokenValue = Annotated[
    str, Path(min_length=1, max_length=255, description="The token: an RFID UID, an eMAID, a key code, ...")
]


def _out(entry: TokenEntry) -> IdTokenOut:
    return IdTokenOut.of(entry)


@router.get("/id-tokens", summary="List the authorization list", tags=["Authorization"])
def list_id_tokens(
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> IdTokenPage:
    page = authorization.list_id_tokens(limit, next_token)
    return IdTokenPage(items=[_out(entry) for entry in page.items], next_token=page.next_token)


@router.get("/id-tokens/<id_token>", summary="One id token", tags=["Authorization"])
def get_id_token(id_token: IdTokenValue) -> IdTokenOut:
    return _out(authorization.find_id_token(id_token))


@router.put(
    "/id-tokens/<id_token>",
    summary="Add an id token or replace its entry",
    tags=["Authorization"],
    responses={200: {"description": "Replaced"}, 201: {"description": "Added"}},
)
def put_id_token(
    id_token: IdTokenValue, body: Annotated[IdTokenIn, Body(embed=False)]
) -> Response[IdTokenOut]:
    entry = TokenEntry(
        id_token=id_token,
        status=body.status,
        token_type=body.type,
        expiry_date=body.expiry_date,
        parent_id_token=body.parent_id_token,
    )
    created = authorization.put_id_token(entry, utc_now())
    logger.info("Id token added" if created else "Id token replaced", extra={"status": entry.status.value})
    return Response(
        status_code=int(HTTPStatus.CREATED if created else HTTPStatus.OK),
        content_type=content_types.APPLICATION_JSON,
        body=_out(entry),
    )


@router.delete(
    "/id-tokens/<id_token>",
    summary="Remove an id token (it then answers Invalid)",
    tags=["Authorization"],
    responses={204: {"description": "Removed"}},
)
def delete_id_token(id_token: IdTokenValue) -> Response[None]:
    authorization.delete_id_token(id_token)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))
