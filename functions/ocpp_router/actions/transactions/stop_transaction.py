"""StopTransaction (OCPP 1.6): ends the session, with its transactionData kept as meter values.
A resend changes nothing; a stop whose start never arrived still makes the session."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.actions.authorization.authorize import id_token_answer
from functions.ocpp_router.registry import CallContext, handles
from shared.data import transactions
from shared.domain.sessions import EventKind, SessionEvent
from shared.events import DomainEvent, publish
from shared.protocol.adapters.v16 import ADAPTER
from shared.protocol.versions import OcppVersion


@handles("StopTransaction", (OcppVersion.V16,))
def stop_transaction(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    stop, meter_values = ADAPTER.transaction_stop(payload)
    answer = id_token_answer(context, stop.id_token)
    if meter_values:
        event = SessionEvent(EventKind.STOP_TRANSACTION, stop.timestamp, meter_values=meter_values)
        stream = transactions.session_stream(context.charge_point_id, stop.transaction_id)
        transactions.record_event(stream, event, context.received_at)
    session = transactions.record_stop(
        context.charge_point_id, context.profile.version.value, stop, context.received_at
    )
    if session is not None:
        publish(DomainEvent.SESSION_ENDED, transactions.summarise(session))
    return answer
