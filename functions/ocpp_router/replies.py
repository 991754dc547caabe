"""Where a charge point's answers to CSMS calls (CALLRESULT, CALLERROR) go: they settle the
operator command they answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions.ocpp_router.registry import CallContext

if TYPE_CHECKING:
    from ocpp.messages import CallError, CallResult


def handle_reply(context: CallContext, reply: CallResult | CallError) -> None:
    from shared.services import commands  # the command path, loaded with the first answer

    commands.answer(
        context.charge_point_id, context.connection_id, context.profile, reply, context.received_at
    )
