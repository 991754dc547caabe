"""The firmware catalogue, firmware updates and rollouts across the fleet."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, model_validator

from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import ApiModel, ChargePointRef, RequestOut, UtcTime

HEX_SHA256 = r"^[0-9a-fA-F]{64}$"
# An image of the catalogue, as its path names it: an empty id is no key to look one up by.
CatalogueId = Annotated[str, Field(min_length=1, max_length=64)]


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
    firmware_id: CatalogueId | None = Field(None, description="An image of the catalogue")
    location: str | None = Field(
        None, max_length=512, pattern=r"^(https?|ftps?)://", description="Or a URL the charge point downloads"
    )
    retrieve_at: UtcTime | None = Field(None, description="Not before; default now")
    retries: int | None = Field(None, ge=0, le=100)
    retry_interval: int | None = Field(None, ge=0, le=86400, description="Seconds between retries")
    install_at: UtcTime | None = Field(None, description="2.x and signed 1.6 updates: not before")
    force: bool = Field(False, description="Send an image of another vendor or model all the same")

    @model_validator(mode="after")
    def _one_source(self) -> FirmwareUpdateIn:
        if (self.firmware_id is None) == (self.location is None):
            raise ValueError("give firmwareId or location, not both")
        return self


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


class RolloutIn(ApiModel):
    firmware_id: CatalogueId
    charge_points: list[ChargePointRef] | None = Field(
        None, min_length=1, max_length=5000, description="These; or"
    )
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


class RolloutSummaryOut(ApiModel):
    rollout_id: str
    firmware_id: str
    state: str = Field(description="running, paused, cancelled or completed")
    reason: str | None = Field(description="Why it paused itself")
    wave_size: int
    max_failure_rate: float
    waves_sent: int
    created_at: datetime
    updated_at: datetime


class RolloutOut(RolloutSummaryOut):
    failure_rate: float
    counts: dict[str, int] = Field(description="Charge points by outcome")
    members: list[RolloutMemberOut]


class RolloutPage(ApiModel):
    items: list[RolloutSummaryOut] = Field(
        description="Newest first; each one's progress is GET /firmware-rollouts/{rolloutId}"
    )
    next_token: str | None
