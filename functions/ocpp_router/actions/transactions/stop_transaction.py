"""StopTransaction (OCPP 1.6): ends the session, with its transactionData kept as meter values."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.transactions import transactions_codec
from shared.protocol.versions import OcppVersion
from shared.services import authorization, transactions


@handles("StopTransaction", (OcppVersion.V16,))
def stop_transaction(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    stop, meter_values = transactions_codec(context.profile).transaction_stop(payload)
    answer = authorization.id_token_answer(
        context.profile, context.charge_point_id, stop.id_token, context.received_at
    )
    version = context.profile.version.value
    transactions.stopped(context.charge_point_id, version, stop, meter_values, context.received_at)
    return answer
