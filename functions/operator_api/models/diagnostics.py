"""Log requests and their uploads, and variable monitors (2.x)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import ApiModel, RequestOut, UtcTime
from shared.domain.maintenance import LogType


class LogIn(ApiModel):
    type: LogType = Field(description="Diagnostics (GetDiagnostics on 1.6) or SecurityLog (GetLog)")
    oldest: UtcTime | None = Field(None, alias="from", description="Entries from")
    latest: UtcTime | None = Field(None, alias="to", description="Entries up to")
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
