"""StartTransaction (OCPP 1.6): the CSMS names the transaction; a resend gets the same id."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.transactions import transactions_codec
from shared.protocol.versions import OcppVersion
from shared.services import authorization, transactions


@handles("StartTransaction", (OcppVersion.V16,))
def start_transaction(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    start = transactions_codec(context.profile).transaction_start(payload)
    answer = authorization.id_token_answer(
        context.profile, context.charge_point_id, start.id_token, context.received_at, start.connector_id
    )
    version = context.profile.version.value
    transaction_id = transactions.started(context.charge_point_id, version, start, context.received_at)
    return {"transactionId": int(transaction_id), **answer}
