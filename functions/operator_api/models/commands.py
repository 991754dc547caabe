"""Commands to charge points, as every command endpoint shows them, and the actions of a version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from functions.operator_api.models.common import ApiModel
from shared.domain.commands import MAX_TIMEOUT_S, MIN_TIMEOUT_S, CommandStatus


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


class ActionsOut(ApiModel):
    version: str
    actions: list[str] = Field(description="What a CSMS may send a charge point of this version")
