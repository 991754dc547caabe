"""What a charge point shows drivers (2.x)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import Field

from functions.operator_api.models.common import ApiModel, UtcTime


class DisplayMessageIn(ApiModel):
    id: int = Field(ge=0, description="The message's id on the charge point (the same id replaces it)")
    content: str = Field(min_length=1, max_length=512)
    format: Literal["ASCII", "HTML", "URI", "UTF8", "QRCODE"] = "UTF8"
    language: str | None = Field(None, max_length=8, examples=["en"])
    priority: Literal["AlwaysFront", "InFront", "NormalCycle"] = "NormalCycle"
    state: str | None = Field(None, description="Show only while the charge point is Charging, Idle, ...")
    start_at: UtcTime | None = None
    end_at: UtcTime | None = None
    transaction_id: str | None = Field(None, description="Show only during this session")
    evse_id: int | None = Field(None, ge=1, description="Show only on this EVSE's display")


class KnownMessageOut(ApiModel):
    id: int
    message: dict[str, Any] = Field(description="As the charge point has it (MessageInfo)")
    source: str = Field(description="set (accepted SetDisplayMessage) or reported (NotifyDisplayMessages)")
    updated_at: datetime


class DisplayMessageList(ApiModel):
    items: list[KnownMessageOut]
