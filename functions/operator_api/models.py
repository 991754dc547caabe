"""The API's JSON shapes: camelCase on the wire, documented in the OpenAPI from these models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.domain.authorization import AuthorizationStatus
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
    active_transaction_id: str | None = Field(None, description="The session in progress on it, if any")


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


class IdTokenIn(ApiModel):
    """An entry of the authorization list; a PUT replaces the whole entry."""

    status: AuthorizationStatus = Field(description="What Authorize and the transaction messages answer")
    type: str | None = Field(
        None,
        max_length=20,
        description="OCPP 2.x token type (ISO14443, eMAID, KeyCode, ...); absent matches any type",
        examples=["ISO14443"],
    )
    expiry_date: datetime | None = Field(None, description="After this the token answers Expired")
    parent_id_token: str | None = Field(
        None, max_length=255, description="Group token (parentIdTag in 1.6, groupIdToken in 2.x)"
    )


class IdTokenOut(IdTokenIn):
    id_token: str


class IdTokenPage(ApiModel):
    items: list[IdTokenOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")


class TransactionOut(ApiModel):
    transaction_id: str = Field(description="As the charge point knows it (an integer in OCPP 1.6)")
    charge_point_id: str
    ocpp_version: str
    evse_id: int | None = Field(description="OCPP 2.x")
    connector_id: int | None
    id_token: str | None
    id_token_type: str | None = Field(description="OCPP 2.x")
    started_at: datetime
    stopped_at: datetime | None
    meter_start_wh: float | None = Field(description="Register at the start (else the earliest sample)")
    meter_stop_wh: float | None = Field(description="Register at the stop (else the latest sample)")
    energy_wh: float | None = Field(description="meterStopWh - meterStartWh; so far, while active")
    stop_reason: str | None
    active: bool
    remote_start_id: int | None = Field(description="OCPP 2.x: the RequestStartTransaction that began it")
    charging_state: str | None = Field(None, description="OCPP 2.x: latest reported (detail only)")


class SampleOut(ApiModel):
    measurand: str
    value: float | None = Field(description="In the base unit: Wh, W, varh, A, V, ...")
    unit: str | None
    phase: str | None = None
    location: str
    context: str
    raw: str | None = Field(None, description="What the meter sent when it was not a plain number")


class MeterValueOut(ApiModel):
    timestamp: datetime
    sampled_values: list[SampleOut]


class SessionEventOut(ApiModel):
    kind: str = Field(description="Started, Updated, Ended (2.x); MeterValues, StopTransaction (1.6)")
    timestamp: datetime
    seq_no: int | None
    trigger_reason: str | None
    charging_state: str | None
    offline: bool


class TransactionDetail(TransactionOut):
    meter_values: list[MeterValueOut]
    events: list[SessionEventOut] = Field(description="Reports merged by seqNo (2.x) or time (1.6)")


class TransactionPage(ApiModel):
    items: list[TransactionOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")
