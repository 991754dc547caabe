"""NotifySettlement (2.1): a payment terminal at the station settled a session; kept and
published, and made a payment of kind `terminal` (docs/payments.md), answered with its receipt."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.payments import payments_codec
from shared.protocol.tariff_and_cost import tariff_and_cost_codec
from shared.protocol.versions import OcppVersion
from shared.services import station_events
from shared.services.payments import receipts, terminal


@handles("NotifySettlement", (OcppVersion.V21,))
def notify_settlement(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    codec = payments_codec(context.profile)
    settlement = codec.settlement(payload)  # first: an amount no payment can hold is refused
    event = tariff_and_cost_codec(context.profile).settlement(payload)
    station_events.reported(context.charge_point_id, event, context.received_at)
    payment = terminal.settled(context.charge_point_id, settlement, context.received_at)
    return codec.settlement_answer(receipts.receipt_url(payment), payment.payment_id)
