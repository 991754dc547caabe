"""The JSON shapes of remote maintenance: firmware, rollouts, logs, station events, vendors."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field, model_validator

from functions.operator_api.models import ApiModel, CommandOut
from shared.domain.maintenance import LogType, MaintenanceRequest

HEX_SHA256 = r"^[0-9a-fA-F]{64}$"


class FirmwareIn(ApiModel):
    vendor: str = Field(min_length=1, max_length=50, examples=["Acme"])
    model: str = Field(min_length=1, max_length=50, description="The model BootNotification reports")
    version: str = Field(min_length=1, max_length=50, examples=["2.4.1"])
    description: str | None = Field(None, max_length=500)
    location: str | None = Field(
        None,
        max_length=512,
        pattern=r"^(https?|ftps?)://",
        description="An image kept elsewhere; without it the answer has an uploadUrl for the file",
    )
    sha256: str | None = Field(None, pattern=HEX_SHA256, description="Of the file, for checks")
    size: int | None = Field(None, ge=0)
    signing_certificate: str | None = Field(None, max_length=5500, description="PEM, for a signed update")
    signature: str | None = Field(None, max_length=800, description="Base64, for a signed update")

    @model_validator(mode="after")
    def _signed_in_full(self) -> FirmwareIn:
        if (self.signing_certificate is None) != (self.signature is None):
            raise ValueError("signingCertificate and signature come together")
        return self


class FirmwareOut(ApiModel):
    firmware_id: str
    vendor: str
    model: str
    version: str
    description: str | None
    location: str | None = Field(description="External images only")
    sha256: str | None
    size: int | None = Field(description="As registered, or of the uploaded file")
    signed: bool
    uploaded: bool = Field(description="The file is in the CSMS (always true for external images)")
    created_at: datetime
    upload_url: str | None = Field(None, description="On registration: PUT the file here within an hour")


class FirmwarePage(ApiModel):
    items: list[FirmwareOut]
    next_token: str | None


class FirmwareUpdateIn(ApiModel):
    firmware_id: str | None = Field(None, description="An image of the catalogue")
    location: str | None = Field(
        None, max_length=512, pattern=r"^(https?|ftps?)://", description="Or a URL the charge point downloads"
    )
    retrieve_at: datetime | None = Field(None, description="Not before; default now")
    retries: int | None = Field(None, ge=0, le=100)
    retry_interval: int | None = Field(None, ge=0, le=86400, description="Seconds between retries")
    install_at: datetime | None = Field(None, description="2.x and signed 1.6 updates: not before")
    force: bool = Field(False, description="Send an image of another vendor or model all the same")

    @model_validator(mode="after")
    def _one_source(self) -> FirmwareUpdateIn:
        if (self.firmware_id is None) == (self.location is None):
            raise ValueError("give firmwareId or location, not both")
        return self


class StatusOut(ApiModel):
    status: str
    at: datetime = Field(description="When the charge point reported it")
    info: str | None = None


class RequestOut(ApiModel):
    """What firmware updates and log requests share."""

    request_id: int
    charge_point_id: str
    origin: str = Field(description="operator, rollout or unsolicited (a status with no request known)")
    created_at: datetime | None
    command_id: str | None
    answer: dict[str, Any] | None = Field(description="The charge point's answer to the call")
    status: str | None = Field(description="The latest status it reported")
    outcome: str = Field(description="pending, succeeded or failed")
    statuses: list[StatusOut] = Field(description="The first 50 it reported, in order")
    statuses_dropped: int = Field(description="Reported beyond those 50 (status is still the latest)")

    @staticmethod
    def fields(request: MaintenanceRequest) -> dict[str, Any]:
        return {
            "request_id": request.request_id,
            "charge_point_id": request.charge_point_id,
            "origin": request.origin.value,
            "created_at": request.created_at,
            "command_id": request.command_id,
            "answer": request.answer,
            "status": request.status,
            "outcome": request.outcome.value,
            "statuses": [StatusOut(status=s.status, at=s.at, info=s.info) for s in request.statuses],
            "statuses_dropped": request.statuses_dropped,
        }


class FirmwareUpdateOut(RequestOut):
    details: dict[str, Any] = Field(description="What was asked: firmwareId, version, retrieveAt, ...")
    rollout_id: str | None
    firmware_version_after: str | None = Field(
        description="The version the first BootNotification after this update reported"
    )
    command: CommandOut | None = Field(None, description="On creation: the call sent")


class FirmwareUpdatePage(ApiModel):
    items: list[FirmwareUpdateOut]
    next_token: str | None


class LogIn(ApiModel):
    type: LogType = Field(description="Diagnostics (GetDiagnostics on 1.6) or SecurityLog (GetLog)")
    oldest: datetime | None = Field(None, alias="from", description="Entries from")
    latest: datetime | None = Field(None, alias="to", description="Entries up to")
    retries: int | None = Field(None, ge=0, le=100)
    retry_interval: int | None = Field(None, ge=0, le=86400)
    via: Literal["http", "ftp"] = Field("http", description="Upload location: HTTPS (PUT or POST) or FTP")


class UploadOut(ApiModel):
    file_name: str
    size: int
    at: datetime
    via: str


class LogOut(RequestOut):
    details: dict[str, Any] = Field(description="What was asked: logType, from, to, via, uploadUntil")
    upload: UploadOut | None = Field(description="The file, once it arrived")
    download_url: str | None = Field(None, description="One request: a link to the file, good for an hour")
    command: CommandOut | None = None


class LogPage(ApiModel):
    items: list[LogOut]
    next_token: str | None


class EventPage(ApiModel):
    items: list[dict[str, Any]] = Field(description="As the charge point sent them, with receivedAt")
    next_token: str | None


class MonitorIn(ApiModel):
    key: str = Field(description="Component/Variable", examples=["EVSE/Temperature"])
    type: Literal["UpperThreshold", "LowerThreshold", "Delta", "Periodic", "PeriodicClockAligned"]
    value: float
    severity: int = Field(ge=0, le=9, description="0 danger ... 9 debug")
    evse_id: int | None = Field(None, ge=0)
    transaction: bool = False
    id: int | None = Field(None, description="An existing monitor to replace")


class MonitorsIn(ApiModel):
    monitors: list[MonitorIn] = Field(min_length=1, max_length=50)


class MonitoringBaseIn(ApiModel):
    base: Literal["All", "FactoryDefault", "HardWiredOnly"]


class MonitorIdsIn(ApiModel):
    ids: list[int] = Field(min_length=1, max_length=50)


class MonitoringReportIn(ApiModel):
    criteria: list[Literal["ThresholdMonitoring", "DeltaMonitoring", "PeriodicMonitoring"]] = Field(
        default_factory=list
    )


class VendorIn(ApiModel):
    message_ids: list[str] | None = Field(None, description="Accepted message ids; none: all of the vendor's")
    description: str | None = Field(None, max_length=500)


class VendorOut(ApiModel):
    vendor_id: str
    message_ids: list[str] | None
    description: str | None
    created_at: datetime


class VendorList(ApiModel):
    items: list[VendorOut]


class RolloutIn(ApiModel):
    firmware_id: str
    charge_points: list[str] | None = Field(None, min_length=1, max_length=5000, description="These; or")
    model: str | None = Field(None, description="every charge point of this model (default: the image's)")
    wave_size: int = Field(10, ge=1, le=500, description="Charge points updated at once")
    max_failure_rate: float = Field(
        0.1, ge=0, le=1, description="Pause when failures of finished updates pass it"
    )
    retries: int | None = Field(None, ge=0, le=100)
    retry_interval: int | None = Field(None, ge=0, le=86400)
    force: bool = Field(False, description="Update charge points of another model all the same")


class RolloutMemberOut(ApiModel):
    charge_point_id: str
    outcome: str = Field(description="waiting, sent, succeeded, failed or skipped (could not be sent)")
    wave: int | None
    request_id: int | None = Field(description="Its firmware update")
    sent_at: datetime | None
    error: str | None


class RolloutOut(ApiModel):
    rollout_id: str
    firmware_id: str
    state: str = Field(description="running, paused, cancelled or completed")
    reason: str | None = Field(description="Why it paused itself")
    wave_size: int
    max_failure_rate: float
    waves_sent: int
    failure_rate: float
    counts: dict[str, int] = Field(description="Charge points by outcome")
    created_at: datetime
    updated_at: datetime
    members: list[RolloutMemberOut]


class ReservationIn(ApiModel):
    id_token: str = Field(min_length=1, max_length=36, examples=["04A2B3C4D5"])
    id_token_type: str = Field("ISO14443", description="OCPP 2.x token type")
    connector_id: int | None = Field(None, ge=0, description="1.6: the connector (0 or none: any)")
    evse_id: int | None = Field(None, ge=1, description="2.x: the EVSE (none: any)")
    expires_at: datetime
    parent_id_token: str | None = Field(None, max_length=36)


class ReservationOut(ApiModel):
    reservation_id: int = Field(description="The OCPP reservation id, given by the CSMS")
    charge_point_id: str
    state: str = Field(description="pending, active, used, expired, cancelled or refused")
    id_token: str
    id_token_type: str
    connector_id: int | None
    evse_id: int | None
    parent_id_token: str | None
    expires_at: datetime
    answer: str | None = Field(description="The charge point's answer to ReserveNow")
    transaction_id: str | None = Field(description="The session that used it")
    reason: str | None = Field(description="Why it ended")
    created_at: datetime
    updated_at: datetime
    command: CommandOut | None = Field(None, description="On creation and cancellation: the call sent")


class ReservationPage(ApiModel):
    items: list[ReservationOut]
    next_token: str | None
