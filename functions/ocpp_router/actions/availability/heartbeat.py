"""Heartbeat: answer the time, touch nothing. The gateway already knows when the connection
was last active (GetConnection's lastActiveAt), so liveness costs no DynamoDB write."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.domain.timestamps import format_timestamp


@handles("Heartbeat")
def heartbeat(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    return {"currentTime": format_timestamp(context.received_at)}
