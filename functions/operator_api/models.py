"""The API's JSON shapes: camelCase on the wire, documented in the OpenAPI from these models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.domain.passwords import MAX_LENGTH, MIN_LENGTH


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ConnectorOut(ApiModel):
    evse_id: int | None = Field(description="EVSE (OCPP 2.x); absent for OCPP 1.6 connectors")
    connector_id: int = Field(description="Connector; 0 is the whole charge point in OCPP 1.6")
    status: str
    error_code: str | None = Field(None, description="OCPP 1.6 ChargePointErrorCode")
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None
    status_at: datetime = Field(description="When the charge point reported the status")


class ChargePointSummary(ApiModel):
    id: str
    ocpp_version: str | None = Field(description="Negotiated at the latest connection")
    online: bool
    connected_at: datetime | None
    registered_at: datetime | None
    blocked: bool
    has_password: bool = Field(description="Whether HTTP Basic credentials are required to connect")
    vendor: str | None
    model: str | None
    serial_number: str | None
    firmware_version: str | None
    last_boot_at: datetime | None


class ChargePointDetail(ChargePointSummary):
    last_seen_at: datetime | None = Field(description="Last frame in either direction, from the gateway")
    disconnected_at: datetime | None
    boot_reason: str | None
    iccid: str | None
    imsi: str | None
    connectors: list[ConnectorOut]


class ChargePointPage(ApiModel):
    items: list[ChargePointSummary]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")


class ChargePointIn(ApiModel):
    """Register a charge point, or change its registration. Absent fields stay as they are."""

    password: str | None = Field(
        None,
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        description="HTTP Basic password (security profiles 1 and 2); null removes it",
    )
    blocked: bool | None = Field(None, description="A blocked charge point cannot connect")
