"""A charge point's configuration (1.6 keys, 2.x device model variables) and its reports."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from functions.operator_api.models.common import ApiModel
from shared.domain.configuration import ReportProgress


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


class ConfigurationItem(ApiModel):
    key: str = Field(description="1.6: the key; 2.x: Component[:instance][@evse]/Variable[:instance][/type]")
    value: str | None
    readonly: bool | None
    updated_at: datetime


class Configuration(ApiModel):
    items: list[ConfigurationItem]
    next_token: str | None = Field(
        None, description="Pass as nextToken for the next page; absent on the last"
    )
    report: ConfigurationReport | None = Field(
        None, description="OCPP 2.x: the latest device model report's parts; absent before one"
    )


class ConfigurationReadIn(ApiModel):
    keys: list[str] = Field(default_factory=list, description="Keys to read; none: all")


class ConfigurationChangeIn(ApiModel):
    key: str = Field(description="1.6 key, or Component/Variable for 2.x", examples=["HeartbeatInterval"])
    value: str = Field(max_length=1000)
