"""Who calls: the caller itself, integrations' API keys, tenants and the audit trail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from pydantic import Field

from functions.operator_api.models.common import ApiModel, UtcTime
from shared.domain.accounts import ApiKey, AuditEntry, Permission, Principal, Role, Tenant

# A tenant's id: a short slug (lower case, digits, dashes).
TenantId = Annotated[
    str, Field(min_length=1, max_length=32, pattern=r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
]


class MeOut(ApiModel):
    principal: str
    kind: str = Field(description="token (the bootstrap token), user (Cognito) or key")
    role: Role
    tenant_id: str | None = Field(description="None: the platform, every tenant")
    permissions: list[Permission] = Field(
        description="What the caller may do, as a refusal names it (the console shows only these)"
    )

    @classmethod
    def of(cls, principal: Principal) -> MeOut:
        return cls(
            principal=principal.principal,
            kind=principal.kind,
            role=principal.role,
            tenant_id=principal.tenant_id,
            permissions=[permission for permission in Permission if principal.may(permission)],
        )


class ApiKeyIn(ApiModel):
    name: str = Field(min_length=1, max_length=100)
    role: Role
    tenant_id: TenantId | None = None
    expires_at: UtcTime | None = None


class ApiKeyOut(ApiModel):
    api_key_id: str
    name: str
    role: Role
    tenant_id: str | None
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, key: ApiKey) -> ApiKeyOut:
        return cls(
            api_key_id=key.api_key_id,
            name=key.name,
            role=key.role,
            tenant_id=key.tenant_id,
            created_at=key.created_at,
            created_by=key.created_by,
            expires_at=key.expires_at,
            revoked_at=key.revoked_at,
        )


class NewApiKeyOut(ApiModel):
    api_key_id: str
    key: str = Field(description="Send as `Authorization: Bearer <key>`; shown this once, never again")
    name: str
    role: Role
    tenant_id: str | None
    expires_at: datetime | None
    created_at: datetime


class ApiKeyPage(ApiModel):
    items: list[ApiKeyOut]
    next_token: str | None = None


class TenantIn(ApiModel):
    tenant_id: TenantId
    name: str = Field(min_length=1, max_length=200)


class TenantOut(ApiModel):
    tenant_id: str
    name: str
    created_at: datetime | None = Field(description="None for the default tenant, which is implicit")

    @classmethod
    def of(cls, tenant: Tenant) -> TenantOut:
        return cls(tenant_id=tenant.tenant_id, name=tenant.name, created_at=tenant.created_at)


class TenantPage(ApiModel):
    items: list[TenantOut]
    next_token: str | None = None


class AuditOut(ApiModel):
    at: datetime
    principal: str
    kind: str
    role: str
    tenant_id: str | None
    source_ip: str
    method: str
    path: str
    resource: str = Field(description="The ids the path names, joined by /")
    status: int
    request_id: str

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditOut:
        return cls(**asdict(entry))


class AuditPage(ApiModel):
    items: list[AuditOut]
    next_token: str | None = None
