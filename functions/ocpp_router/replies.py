"""Where a charge point's answers to CSMS calls (CALLRESULT, CALLERROR) go."""

from __future__ import annotations

from ocpp.messages import CallError, CallResult

from functions.ocpp_router.registry import CallContext
from shared.observability import logger


def handle_reply(context: CallContext, reply: CallResult | CallError) -> None:
    """No CSMS call is outstanding yet: every answer is to an id this CSMS never sent."""
    logger.warning(
        "Answer to an unknown message id ignored",
        extra={"message_id": reply.unique_id, "frame_type": reply.message_type_id},
    )
