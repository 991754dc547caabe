"""The API's JSON shapes: camelCase on the wire, documented in the OpenAPI from these models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.domain.authorization import AuthorizationStatus, TokenEntry
from shared.domain.availability import ConnectorStatusReport
from shared.domain.commands import MAX_TIMEOUT_S, MIN_TIMEOUT_S, CommandStatus
from shared.domain.configuration import ReportProgress
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

    @staticmethod
    def fields(report: ConnectorStatusReport) -> dict[str, Any]:
        """What a connector's latest report says, as the API words it."""
        return {
            "evse_id": report.evse_id,
            "connector_id": report.connector_id,
            "status": report.status,
            "error_code": report.error_code,
            "info": report.info,
            "vendor_id": report.vendor_id,
            "vendor_error_code": report.vendor_error_code,
            "status_at": report.timestamp,
        }


class ConfigurationReport(ApiModel):
    """Which parts of the latest device model report (OCPP 2.x NotifyReport) arrived."""

    request_id: int
    parts_received: list[int]
    last_part: int | None = Field(description="The part that said no more follow; null until it came")
    complete: bool = Field(description="Every part up to the last one arrived")
    missing: list[int] = Field(description="Parts that did not arrive (so far, while incomplete)")

    @classmethod
    def of(cls, progress: ReportProgress | None) -> ConfigurationReport | None:
        if progress is None:
            return None
        return cls(
            request_id=progress.request_id,
            parts_received=sorted(progress.parts),
            last_part=progress.last_part,
            complete=progress.complete,
            missing=progress.missing,
        )


class ChargePointSummary(ApiModel):
    id: str
    ocpp_version: str | None = Field(description="Negotiated at the latest connection")
    online: bool
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


class ChargePointDetail(ChargePointSummary):
    last_seen_at: datetime | None = Field(description="Last frame in either direction, from the gateway")
    disconnected_at: datetime | None
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
        description="HTTP Basic password (security profiles 1 and 2); null removes it",
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


class PasswordIn(ApiModel):
    """A new HTTP Basic password for the charge point; absent, the CSMS makes a strong one."""

    password: str | None = Field(None, min_length=MIN_LENGTH, max_length=MAX_LENGTH)


class SecurityProfileIn(ApiModel):
    """The profile to move a connected charge point to; for 2.x, the connection profile too."""

    security_profile: int = Field(ge=2, le=3)
    configuration_slot: int | None = Field(None, ge=0, description="2.x: the slot the profile goes in")
    csms_url: str | None = Field(
        None,
        pattern=r"^wss://",
        max_length=512,
        description="2.x: this CSMS's wss:// URL, without the identity",
    )
    ocpp_interface: str = Field("Wired0", description="2.x: Wired0..3, Wireless0..3 (2.1: Any too)")
    message_timeout: int = Field(30, ge=1, le=600, description="2.x: seconds")


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

    @classmethod
    def of(cls, entry: TokenEntry) -> IdTokenOut:
        return cls(
            id_token=entry.id_token,
            status=entry.status,
            type=entry.token_type,
            expiry_date=entry.expiry_date,
            parent_id_token=entry.parent_id_token,
        )


class IdTokenPage(ApiModel):
    items: list[IdTokenOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")


class CostOut(ApiModel):
    """A session's cost in its tariff's currency; the parts add up to the totals exactly."""

    currency: str
    tariff_id: str
    energy_wh: float = Field(description="Priced energy")
    charging_seconds: int
    idle_seconds: int
    energy: float
    time: float = Field(description="For time charging")
    idle: float = Field(description="For idle time after the grace period")
    fee: float = Field(description="The session fee")
    adjustment: float = Field(description="What the tariff's minimum or maximum added or took off")
    total_excl_vat: float
    vat_percent: float
    tax: float
    total_incl_vat: float
    flags: list[str] = Field(
        description="energyUnknown, energySpreadEvenly (no reading inside the session), inProgress"
    )


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
    tariff_id: str | None = Field(None, description="The tariff it started under")
    cost: CostOut | None = Field(
        None, description="Under its tariff; so far while active (in lists only with withCost=true)"
    )


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
    remote_start_command_id: str | None = Field(description="The remote start that began it, if one did")
    meter_values: list[MeterValueOut]
    events: list[SessionEventOut] = Field(description="Reports merged by seqNo (2.x) or time (1.6)")
    station_cost: dict[str, Any] | None = Field(
        None, description="2.1: costDetails as the station reckons the cost (latest report)"
    )


class TransactionPage(ApiModel):
    items: list[TransactionOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")


class CommandIn(ApiModel):
    action: str = Field(
        description="An OCPP action the CSMS sends, of the charge point's version", examples=["Reset"]
    )
    payload: dict[str, Any] = Field(
        default_factory=dict,
        description="The call's payload, camelCase as on the wire",
        examples=[{"type": "Soft"}],
    )
    timeout_seconds: int | None = Field(
        None, ge=MIN_TIMEOUT_S, le=MAX_TIMEOUT_S, description="How long to wait for the answer (default 30)"
    )


class CommandError(ApiModel):
    code: str = Field(
        description="The CALLERROR code, or Timeout, Disconnected, ConnectionGone, InvalidResponse"
    )
    description: str
    details: dict[str, Any] = Field(default_factory=dict)


class CommandOut(ApiModel):
    command_id: str = Field(description="Also the OCPP message id of the call")
    charge_point_id: str
    ocpp_version: str
    action: str
    payload: dict[str, Any]
    status: CommandStatus
    response: dict[str, Any] | None = Field(description="The CALLRESULT payload")
    error: CommandError | None
    created_at: datetime
    sent_at: datetime | None = Field(description="Absent while queued behind an outstanding call")
    completed_at: datetime | None
    timeout_seconds: int
    transaction_id: str | None = Field(
        None, description="Remote starts: the session it began, once the charge point has started it"
    )


class CommandPage(ApiModel):
    items: list[CommandOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")


class ConfigurationItem(ApiModel):
    key: str = Field(description="1.6: the key; 2.x: Component[:instance][@evse]/Variable[:instance][/type]")
    value: str | None
    readonly: bool | None
    updated_at: datetime


class Configuration(ApiModel):
    items: list[ConfigurationItem]
    report: ConfigurationReport | None = Field(
        None, description="OCPP 2.x: the latest device model report's parts; absent before one"
    )


class Where(ApiModel):
    evse_id: int | None = Field(None, ge=0, description="OCPP 2.x EVSE")
    connector_id: int | None = Field(None, ge=0, description="Connector (1.6), or of the EVSE (2.x)")


class RemoteStartIn(Where):
    id_token: str = Field(max_length=36, examples=["04A2B3C4D5"])
    id_token_type: str = Field("Central", description="OCPP 2.x token type")


class RemoteStopIn(ApiModel):
    transaction_id: str = Field(max_length=36)


class ResetIn(ApiModel):
    hard: bool = Field(False, description="Hard (1.6) / Immediate (2.x); else Soft / OnIdle")
    evse_id: int | None = Field(None, ge=0, description="OCPP 2.x: reset one EVSE")


class UnlockIn(ApiModel):
    evse_id: int | None = Field(None, ge=0, description="OCPP 2.x (default 1)")
    connector_id: int = Field(ge=0)


class AvailabilityIn(Where):
    operative: bool


class ConfigurationReadIn(ApiModel):
    keys: list[str] = Field(default_factory=list, description="Keys to read; none: all")


class ConfigurationChangeIn(ApiModel):
    key: str = Field(description="1.6 key, or Component/Variable for 2.x", examples=["HeartbeatInterval"])
    value: str = Field(max_length=1000)


class TriggerIn(Where):
    message: str = Field(description="The message to send: BootNotification, StatusNotification, ...")
