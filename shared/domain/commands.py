"""Operator commands: the states they pass through and the bounds on waiting."""

from __future__ import annotations

from enum import StrEnum

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
