"""StartTransaction (OCPP 1.6): the CSMS names the transaction. A resend of the same start
(same connector, idTag, timestamp and meterStart) gets the id it got the first time."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from functions.ocpp_router.actions.authorization.authorize import id_token_answer
from functions.ocpp_router.registry import CallContext, handles
from shared.data import transactions
from shared.domain.sessions import SessionSummary, start_key
from shared.events import DomainEvent, publish
from shared.protocol.adapters.v16 import ADAPTER
from shared.protocol.versions import OcppVersion


@handles("StartTransaction", (OcppVersion.V16,))
def start_transaction(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    start = ADAPTER.transaction_start(payload)
    answer = id_token_answer(context, start.id_token)
    key = start_key(
        context.charge_point_id,
        payload["connectorId"],
        payload["idTag"],
        payload["timestamp"],
        payload["meterStart"],
    )
    transaction_id = transactions.find_start(key)
    if transaction_id is None:
        assigned = str(transactions.next_transaction_id())
        version = context.profile.version.value
        start = replace(start, transaction_id=assigned)
        if transactions.record_assigned_start(
            context.charge_point_id, version, start, key, context.received_at
        ):
            transaction_id = assigned
            publish(
                DomainEvent.SESSION_STARTED, SessionSummary.of_start(context.charge_point_id, version, start)
            )
        else:  # a copy of this start, handled at the same moment, was first
            transaction_id = transactions.find_start(key)
    assert transaction_id is not None
    return {"transactionId": int(transaction_id), **answer}
