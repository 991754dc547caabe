"""The registry of charge points, what they last reported, and resetting one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from functions.operator_api.models.availability import ConnectorOut
from functions.operator_api.models.common import ApiModel
from functions.operator_api.models.configuration import ConfigurationReport
from shared.domain.passwords import MAX_LENGTH, MIN_LENGTH, PATTERN


class ChargePointSummary(ApiModel):
    id: str
    ocpp_version: str | None = Field(description="Negotiated at the latest connection")
    online: bool = Field(
        description="Connected; an OCPP 1.5 (SOAP) station, which holds no connection: heard from "
        "within its heartbeat interval and a minute"
    )
    connected_at: datetime | None
    registered_at: datetime | None
    blocked: bool
    has_password: bool = Field(description="Whether HTTP Basic credentials are required to connect")
    security_profile: int = Field(
        1,
        description="The OCPP security profile it must connect with: 1, 2 (TLS), 3 (client certificate)",
    )
    vendor: str | None
    model: str | None
    serial_number: str | None
    firmware_version: str | None
    last_boot_at: datetime | None
    site_id: str | None = None
    disconnected_at: datetime | None = Field(
        None,
        description="When its latest connection closed: an offline station was last heard then at the latest",
    )


class ChargePointDetail(ChargePointSummary):
    last_seen_at: datetime | None = Field(description="Last frame in either direction, from the gateway")
    boot_reason: str | None
    iccid: str | None
    imsi: str | None
    connectors: list[ConnectorOut]
    availability_result: dict[str, Any] | None = Field(
        None, description="Latest ChangeAvailability answer: status, requested, where, at, commandId"
    )
    reset_result: dict[str, Any] | None = Field(
        None, description="Latest Reset answer: status, type, at, commandId"
    )
    unlock_result: dict[str, Any] | None = Field(None, description="Latest UnlockConnector answer")
    local_list_version: int | None = Field(None, description="From SendLocalList / GetLocalListVersion")
    configuration_report: ConfigurationReport | None = Field(
        None, description="OCPP 2.x: whether its latest device model report arrived whole"
    )


class ChargePointPage(ApiModel):
    items: list[ChargePointSummary]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")


class ChargePointIn(ApiModel):
    """Register a charge point, or change its registration. Absent fields stay as they are."""

    password: str | None = Field(
        None,
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
        pattern=PATTERN,
        description="HTTP Basic password (security profiles 1 and 2), printable ASCII; null removes it",
    )
    blocked: bool | None = Field(None, description="A blocked charge point cannot connect")
    security_profile: int | None = Field(
        None,
        ge=1,
        le=3,
        description="The OCPP security profile it must connect with: 1 (HTTP Basic), 2 (TLS and "
        "HTTP Basic) or 3 (TLS and a client certificate naming it); a handshake below it is refused",
    )
    site_id: str | None = Field(
        None,
        min_length=1,
        max_length=64,
        description="Its site (tariffs by site); null removes it",
    )


class ResetIn(ApiModel):
    hard: bool = Field(False, description="Hard (1.6) / Immediate (2.x); else Soft / OnIdle")
    evse_id: int | None = Field(None, ge=0, description="OCPP 2.x: reset one EVSE")
