"""TransactionEvent (OCPP 2.x): Started, Updated and Ended events of a session, in any order."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.domain.transactions import EventKind
from shared.protocol.transactions import transactions_codec
from shared.protocol.versions import OcppVersion
from shared.services import authorization, transactions


@handles("TransactionEvent", (OcppVersion.V201, OcppVersion.V21))
def transaction_event(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = transactions_codec(context.profile).transaction_event(payload)
    answer = authorization.id_token_answer(
        context.profile,
        context.charge_point_id,
        report.id_token,
        context.received_at,
        report.evse_id,
        starts=report.event.kind is EventKind.STARTED,
    )
    version = context.profile.version.value
    final = transactions.event_reported(context.charge_point_id, version, report, context.received_at)
    if final is not None:  # 2.x: the final cost, tax included, in the Ended event's answer
        answer["totalCost"] = float(final.total_incl_vat)
    return answer
