"""Operator commands: calls the CSMS makes to a charge point on an operator's behalf, the
states they pass through and the bounds on waiting for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

MAX_WAIT_S = 25  # the HTTP API's 29 s integration timeout, with room to answer
MIN_TIMEOUT_S, MAX_TIMEOUT_S = 5, 600


class CommandStatus(StrEnum):
    PENDING = "pending"  # queued or sent, not answered
    COMPLETED = "completed"  # CALLRESULT, valid for the action
    FAILED = "failed"  # CALLERROR, an invalid answer, or the connection went away
    TIMEOUT = "timeout"  # no answer within its timeout

    @property
    def final(self) -> bool:
        return self is not CommandStatus.PENDING


@dataclass(frozen=True)
class Failure:
    """Why a command did not complete: the CALLERROR's code, or Timeout, Disconnected, ..."""

    code: str
    description: str
    details: dict[str, Any] | None = None

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "description": self.description, "details": self.details or {}}


@dataclass(frozen=True)
class Command:
    command_id: str  # also the OCPP message id of the call
    charge_point_id: str
    ocpp_version: str
    action: str
    payload: dict[str, Any]
    status: CommandStatus
    created_at: datetime
    timeout_s: int
    sent_at: datetime | None = None
    completed_at: datetime | None = None
    response: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


Intent = tuple[str, dict[str, Any]]
"""An operator's intention (start, reset, ...) as an action and payload of one OCPP version."""
