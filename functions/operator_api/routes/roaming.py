"""Roaming partners (OCPI 2.2.1 eMSPs and hubs): made with token A to hand over, read, renamed or
suspended, deleted. The OCPI interface they call is functions/ocpi/. docs/roaming.md."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.roaming import (
    EndpointOut,
    PartnerChange,
    PartnerCreated,
    PartnerIn,
    PartnerList,
    PartnerOut,
)
from functions.operator_api.responses import json_response
from shared.domain.accounts import Permission
from shared.domain.roaming import Partner, PartnerRole
from shared.domain.timestamps import utc_now
from shared.manifest import OCPI_PATH
from shared.services.roaming import partners
from shared.settings import get_settings

router = APIGatewayHttpRouter()
ACCESS: Access = {
    "POST /roaming/partners": Permission.ROAMING,
    "GET /roaming/partners": Permission.READ,
    "GET /roaming/partners/<partner_id>": Permission.READ,
    "PATCH /roaming/partners/<partner_id>": Permission.ROAMING,
    "DELETE /roaming/partners/<partner_id>": Permission.ROAMING,
}
TAGS = ["Roaming"]
PartnerId = Annotated[str, Path(min_length=1, max_length=64, description="The partner")]


def _out(partner: Partner) -> PartnerOut:
    return PartnerOut(
        partner_id=partner.partner_id,
        name=partner.name,
        country_code=partner.country_code,
        party_id=partner.party_id,
        role=partner.role.value,
        status=partner.status.value,
        partner_versions_url=partner.versions_url,
        endpoints=[EndpointOut(**e) for e in partner.endpoints],
        roles=list(partner.roles),
        last_error=partner.last_error,
        created_at=partner.created_at,
        updated_at=partner.updated_at,
    )


def _versions_url() -> str:
    base = get_settings().public_url or f"https://{router.current_event.request_context.domain_name}"
    return f"{base}{OCPI_PATH}/versions"


@router.post(
    "/roaming/partners",
    summary="A roaming partner, and the token A it registers with",
    tags=TAGS,
    responses={201: {"description": "Made: hand tokenA and versionsUrl to the partner"}},
)
def create_partner(body: Annotated[PartnerIn, Body(embed=False)]) -> Response[PartnerCreated]:
    partner, token_a = partners.create(
        body.name, body.country_code, body.party_id, PartnerRole(body.role), utc_now()
    )
    created = PartnerCreated(partner_id=partner.partner_id, token_a=token_a, versions_url=_versions_url())
    return json_response(HTTPStatus.CREATED, created)


@router.get("/roaming/partners", summary="Every roaming partner", tags=TAGS)
def list_partners() -> PartnerList:
    return PartnerList(items=[_out(p) for p in partners.all_partners()])


@router.get("/roaming/partners/<partner_id>", summary="One partner: status, endpoints, last error", tags=TAGS)
def get_partner(partner_id: PartnerId) -> PartnerOut:
    return _out(partners.get(partner_id))


@router.patch(
    "/roaming/partners/<partner_id>", summary="Rename a partner, or suspend or resume it", tags=TAGS
)
def change_partner(partner_id: PartnerId, body: Annotated[PartnerChange, Body(embed=False)]) -> PartnerOut:
    return _out(partners.change(partner_id, body.name, body.suspended, utc_now()))


@router.delete(
    "/roaming/partners/<partner_id>",
    summary="Delete a partner: its token stops working",
    tags=TAGS,
    responses={204: {"description": "Deleted"}},
)
def delete_partner(partner_id: PartnerId) -> Response[None]:
    partners.delete(partner_id)
    return Response(status_code=HTTPStatus.NO_CONTENT)
