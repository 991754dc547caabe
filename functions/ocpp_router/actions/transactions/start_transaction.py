"""StartTransaction (OCPP 1.6): the CSMS names the transaction; a resend gets the same id."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.actions.authorization.authorize import id_token_answer
from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.versions import OcppVersion
from shared.services import transactions


@handles("StartTransaction", (OcppVersion.V16,))
def start_transaction(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    start = context.profile.adapter.transaction_start(payload)
    answer = id_token_answer(context, start.id_token)
    version = context.profile.version.value
    transaction_id = transactions.started(context.charge_point_id, version, start, context.received_at)
    return {"transactionId": int(transaction_id), **answer}
