"""/me, /api-keys, /tenants and /audit: who calls, integrations' keys, the tenants an
installation serves, and the trail of changes and refusals (docs/accounts.md)."""

from __future__ import annotations

from datetime import datetime
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access, caller
from functions.operator_api.models.accounts import (
    ApiKeyIn,
    ApiKeyOut,
    ApiKeyPage,
    AuditOut,
    AuditPage,
    MeOut,
    NewApiKeyOut,
    TenantIn,
    TenantOut,
    TenantPage,
)
from functions.operator_api.params import NextToken, PageSize
from functions.operator_api.responses import json_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.timestamps import utc_now
from shared.services.accounts import api_keys, audit, tenants

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /me": Permission.ME,
    "POST /api-keys": Permission.API_KEYS,
    "GET /api-keys": Permission.API_KEYS,
    "DELETE /api-keys/<api_key_id>": Permission.API_KEYS,
    "POST /tenants": Permission.TENANTS,
    "GET /tenants": Permission.TENANTS,
    "GET /audit": Permission.AUDIT,
}
TAGS = ["Accounts"]
ApiKeyId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/me", summary="Who the caller is: its principal, role, tenant and permissions", tags=TAGS)
def me() -> MeOut:
    return MeOut.of(caller(router))


@router.post(
    "/api-keys",
    summary="Make an API key for an integration (the key is shown this once)",
    tags=TAGS,
    responses={
        201: {"description": "Made"},
        403: {"description": "A role above the maker's, or another tenant"},
    },
)
def create_api_key(
    body: Annotated[
        ApiKeyIn,
        with_examples(
            ("A dashboard that only reads", {"name": "dashboard", "role": "viewer"}),
            (
                "A maintenance tool for a year",
                {"name": "field-tool", "role": "technician", "expiresAt": "2027-12-31T23:59:59Z"},
            ),
            (
                "The platform admin's key for a tenant",
                {"name": "acme-ops", "role": "admin", "tenantId": "acme"},
            ),
        ),
    ],
) -> Response[NewApiKeyOut]:
    key, secret = api_keys.create(
        caller(router), body.name, body.role, body.tenant_id, body.expires_at, utc_now()
    )
    return json_response(
        HTTPStatus.CREATED,
        NewApiKeyOut(
            api_key_id=key.api_key_id,
            key=secret,
            name=key.name,
            role=key.role,
            tenant_id=key.tenant_id,
            expires_at=key.expires_at,
            created_at=key.created_at,
        ),
    )


@router.get("/api-keys", summary="The tenant's API keys (never the keys themselves)", tags=TAGS)
def list_api_keys(limit: PageSize = 50, next_token: NextToken = None) -> ApiKeyPage:
    page = api_keys.listing(caller(router), limit, next_token)
    return ApiKeyPage(items=[ApiKeyOut.of(key) for key in page.items], next_token=page.next_token)


@router.delete(
    "/api-keys/<api_key_id>",
    summary="Revoke an API key (refused everywhere within 60 s)",
    tags=TAGS,
    responses={204: {"description": "Revoked"}, 404: {"description": "Unknown"}},
)
def revoke_api_key(api_key_id: ApiKeyId) -> Response[None]:
    api_keys.revoke(caller(router), api_key_id, utc_now())
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@router.post(
    "/tenants",
    summary="Add a tenant (the platform admin only)",
    tags=TAGS,
    responses={201: {"description": "Added"}, 409: {"description": "It exists"}},
)
def add_tenant(
    body: Annotated[
        TenantIn, with_examples(("A property owner", {"tenantId": "acme", "name": "Acme Estates"}))
    ],
) -> Response[TenantOut]:
    tenant = tenants.add(caller(router), body.tenant_id, body.name, utc_now())
    return json_response(HTTPStatus.CREATED, TenantOut.of(tenant))


@router.get("/tenants", summary="Every tenant, the default one first (the platform admin only)", tags=TAGS)
def list_tenants(limit: PageSize = 50, next_token: NextToken = None) -> TenantPage:
    page = tenants.listing(limit, next_token)
    return TenantPage(items=[TenantOut.of(tenant) for tenant in page.items], next_token=page.next_token)


@router.get("/audit", summary="Changes and refusals, newest first (the caller's tenant's)", tags=TAGS)
def list_audit(
    start: Annotated[
        datetime | None, Query(alias="from", description="At or after (default: 30 days before to)")
    ] = None,
    end: Annotated[datetime | None, Query(alias="to", description="At or before (default: now)")] = None,
    principal: Annotated[str | None, Query(max_length=128, description="Only this principal's")] = None,
    resource: Annotated[
        str | None, Query(max_length=512, description="Only on this resource (its ids)")
    ] = None,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> AuditPage:
    page = audit.listing(caller(router), start, end, principal, resource, limit, next_token, utc_now())
    return AuditPage(items=[AuditOut.of(entry) for entry in page.items], next_token=page.next_token)
