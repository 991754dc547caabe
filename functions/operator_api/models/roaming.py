"""Roaming partners as operators manage them (docs/roaming.md): never a token but token A, once."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from functions.operator_api.models.common import ApiModel


class PartnerIn(ApiModel):
    name: str = Field(min_length=1, max_length=100)
    country_code: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    party_id: str = Field(pattern=r"^[A-Z0-9]{3}$", description="The partner's party id (ISO 15118)")
    role: Literal["EMSP", "HUB"]


class PartnerChange(ApiModel):
    name: str | None = Field(None, min_length=1, max_length=100)
    suspended: bool | None = Field(None, description="true: its calls are refused (401) until false")


class EndpointOut(ApiModel):
    identifier: str
    role: str
    url: str


class PartnerOut(ApiModel):
    partner_id: str
    name: str
    country_code: str
    party_id: str
    role: str
    status: Literal["PENDING", "REGISTERED", "SUSPENDED", "UNREGISTERED"]
    partner_versions_url: str | None = Field(None, description="The partner's, told at registration")
    endpoints: list[EndpointOut] = Field([], description="The partner's 2.2.1 modules")
    roles: list[dict[str, Any]] = Field([], description="Who the partner said it is")
    last_error: str | None = None
    created_at: datetime
    updated_at: datetime | None = None


class PartnerCreated(ApiModel):
    partner_id: str
    token_a: str = Field(description="Hand it to the partner: it registers with it, once. Shown only now")
    versions_url: str = Field(description="This CSMS's OCPI versions endpoint, to hand over with token A")
    status: Literal["PENDING"] = "PENDING"


class PartnerList(ApiModel):
    items: list[PartnerOut]
