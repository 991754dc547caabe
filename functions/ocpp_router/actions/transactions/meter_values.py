"""MeterValues: samples inside a session (1.6 names the transaction) or outside one."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.transactions import transactions_codec
from shared.services import transactions


@handles("MeterValues")
def meter_values(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = transactions_codec(context.profile).meter_values_report(payload)
    transactions.meter_values_reported(context.charge_point_id, report, context.received_at)
    return {}
