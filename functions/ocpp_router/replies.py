"""Where a charge point's answers to CSMS calls (CALLRESULT, CALLERROR) go: they settle the
operator command they answer."""

from __future__ import annotations

from ocpp.messages import CallError, CallResult

from functions.ocpp_router.registry import CallContext
from shared.services import commands


def handle_reply(context: CallContext, reply: CallResult | CallError) -> None:
    commands.answer(
        context.charge_point_id, context.connection_id, context.profile, reply, context.received_at
    )
