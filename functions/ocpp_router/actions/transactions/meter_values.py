"""MeterValues: samples inside a session (1.6 names the transaction) or outside one, kept per
session or per connector/EVSE. A resend lands on the item its first copy wrote."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.data import transactions
from shared.domain.sessions import EventKind, SessionEvent


@handles("MeterValues")
def meter_values(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = context.profile.adapter.meter_values_report(payload)
    first = min(mv.timestamp for mv in report.meter_values)
    event = SessionEvent(EventKind.METER_VALUES, first, meter_values=report.meter_values)
    transactions.record_event(
        transactions.meter_stream(context.charge_point_id, report), event, context.received_at
    )
    return {}
