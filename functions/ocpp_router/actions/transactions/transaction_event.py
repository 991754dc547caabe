"""TransactionEvent (OCPP 2.x): every event is kept once per seqNo; Started and Ended also
shape the session. Events merge in any order: an Ended whose Started never came still makes
the session, and a Started that comes late fills in its start."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.actions.authorization.authorize import id_token_answer
from functions.ocpp_router.registry import CallContext, handles
from shared.data import transactions
from shared.domain.sessions import EventKind, SessionSummary
from shared.events import DomainEvent, publish
from shared.protocol.adapters.v2 import ADAPTER
from shared.protocol.versions import OcppVersion


@handles("TransactionEvent", (OcppVersion.V201, OcppVersion.V21))
def transaction_event(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = ADAPTER.transaction_event(payload)
    answer = id_token_answer(context, report.id_token)
    charge_point, version, at = context.charge_point_id, context.profile.version.value, context.received_at
    stream = transactions.session_stream(charge_point, report.transaction_id)
    kind = report.event.kind
    if kind is EventKind.STARTED:
        # The session first, then the event: a retry after a failure in between redoes both.
        transactions.record_start(charge_point, version, report.start, at)
        if transactions.record_event(stream, report.event, at):
            publish(DomainEvent.SESSION_STARTED, SessionSummary.of_start(charge_point, version, report.start))
    elif kind is EventKind.ENDED:
        # The event first, so that the session's energy sees its meter values.
        transactions.record_event(stream, report.event, at)
        session = transactions.record_stop(charge_point, version, report.stop, at, start=report.start)
        if session is not None:
            publish(DomainEvent.SESSION_ENDED, transactions.summarise(session))
    else:
        transactions.record_event(stream, report.event, at)
    return answer
