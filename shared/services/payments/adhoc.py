"""Ad hoc charging without a contract (AFIR Art. 5): the public page's price before the start
and whether the EVSE can take a session, then the hold and the remote start, whose id token is
the payment's id (accepted at that EVSE only: `tokens`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from shared.data import charge_points, connectors
from shared.data import payments as records
from shared.domain.errors import ApplicationError, BadRequest, Conflict, NotFound, PaymentDeclined
from shared.domain.pay_page import pay_page_html
from shared.domain.payments import (
    TEST_ACCEPTED,
    TEST_DECLINES,
    Declined,
    HistoryEntry,
    HistoryEvent,
    Money,
    Payment,
    PaymentKind,
    PaymentState,
    UnknownPaymentMethod,
    hold_key,
    new_payment_id,
    new_receipt_token,
    price_shown,
)
from shared.domain.provisioning import ChargePoint
from shared.domain.tariffs import Tariff
from shared.grants import grants
from shared.observability import logger
from shared.protocol.remote_control import remote_control_codec
from shared.protocol.versions import profile_for
from shared.services import commands
from shared.services.payments import history, providers, settlement, web_payments
from shared.services.station_tenant import tenant_of_charge_point
from shared.services.tariff_and_cost import tariffs
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "connectors", "payments"),
    writes=("payments",),
    indexes=("payments/by-charge-point",),
)

FAULTED = frozenset({"Faulted", "Unavailable"})


@dataclass(frozen=True)
class Evse:
    charge_point: ChargePoint
    evse_id: int
    why_not: str | None  # None: it can take a session now; else offline, faulted or busy
    tariff: Tariff | None


def evse(charge_point_id: str, evse_id: int) -> Evse:
    """1 read of the charge point, 1 query of its connectors, 1 of its payments (an open hold
    here makes the EVSE busy). 404 for an EVSE that never reported."""
    charge_point = charge_points.find_charge_point(charge_point_id)
    if charge_point is None:
        raise NotFound(f"Charge point {charge_point_id}")
    statuses = [
        c.status
        for c in connectors.connectors_of(charge_point_id)
        if (c.evse_id if c.evse_id is not None else c.connector_id) == evse_id and evse_id > 0
    ]
    if not statuses:
        raise NotFound(f"EVSE {evse_id} of charge point {charge_point_id}")
    tariff = tariffs.tariff_for(charge_point_id, None, None)
    why_not: str | None = None
    if not charge_point.connected or not charge_point.ocpp_version:
        why_not = "offline"
    elif any(status in FAULTED for status in statuses):
        why_not = "faulted"
    else:
        startable = remote_control_codec(profile_for(charge_point.ocpp_version)).startable
        held = any(
            p.evse_id == evse_id and p.state is PaymentState.AUTHORIZED
            for p in records.payments_at(charge_point_id)
        )
        if held or not any(status in startable for status in statuses):
            why_not = "busy"
    return Evse(charge_point, evse_id, why_not, tariff)


def page(charge_point_id: str, evse_id: int, now: datetime, code: str | None = None) -> dict[str, Any]:
    """What the driver reads before paying. Where the EVSE shows dynamic codes, only with a
    valid one (web_payments.checked), which a 2.1 station is told of."""
    found = evse(charge_point_id, evse_id)
    if web_payments.checked(charge_point_id, evse_id, code, now) and found.why_not is None:
        web_payments.page_opened(charge_point_id, evse_id, now)
    why_not = found.why_not or (None if found.tariff else "not offered")
    shown: dict[str, Any] = {
        "chargePointId": charge_point_id,
        "evseId": evse_id,
        "canStart": why_not is None,
        "price": price_shown(found.tariff, now) if found.tariff else None,
        "maxHold": get_settings().payment_max_hold,
    }
    if why_not:
        shown["reason"] = why_not
    return shown


def pay(
    charge_point_id: str,
    evse_id: int,
    payment_method: str,
    max_amount: int,
    now: datetime,
    code: str | None = None,
) -> Payment:
    """The hold, then the remote start. 409 (and no hold) when the EVSE cannot take a session;
    402 with the provider's reason when the hold is declined (nothing is sent to the station).
    Where the EVSE shows dynamic codes, a valid one is needed, and pays once."""
    found = evse(charge_point_id, evse_id)
    dynamic = web_payments.checked(charge_point_id, evse_id, code, now)
    if found.why_not:
        raise Conflict(f"EVSE {evse_id} of charge point {charge_point_id} is {found.why_not}")
    if found.tariff is None:
        raise Conflict(f"Charge point {charge_point_id} has no tariff: ad hoc charging is not offered")
    limit = get_settings().payment_max_hold
    if not 0 < max_amount <= limit:
        raise BadRequest(f"maxAmount must be between 1 and {limit} (minor units of {found.tariff.currency})")
    amount = Money(max_amount, found.tariff.currency)
    if dynamic and code:
        web_payments.use(charge_point_id, evse_id, code)
    payment_id = new_payment_id()
    provider = providers.provider()
    made = Payment(
        payment_id=payment_id,
        kind=PaymentKind.ADHOC,
        state=PaymentState.AUTHORIZED,
        currency=amount.currency,
        authorized_amount=amount.amount,
        charge_point_id=charge_point_id,
        evse_id=evse_id,
        created_at=now,
        provider=provider.name,
        receipt_token=new_receipt_token(),
        tenant_id=tenant_of_charge_point(charge_point_id),
    )
    try:
        reference = provider.hold(payment_method, amount, hold_key(payment_id))
    except Declined as declined:
        entry = HistoryEntry(
            now, HistoryEvent.DECLINED, amount.amount, declined.decline_code or declined.code
        )
        refused = replace(made, state=PaymentState.DECLINED, authorized_amount=0, history=(entry,))
        records.put_payment(refused)
        history.announce(refused, entry)
        raise PaymentDeclined(declined.message) from None
    except UnknownPaymentMethod as error:
        raise BadRequest(f"paymentMethod: {error}") from None
    entry = HistoryEntry(now, HistoryEvent.AUTHORIZED, amount.amount)
    command_id = commands.new_command_id()
    held = replace(made, provider_ref=reference, remote_start_command_id=command_id, history=(entry,))
    records.put_payment(held)
    history.announce(held, entry)
    codec = remote_control_codec(profile_for(found.charge_point.ocpp_version or ""))
    try:
        commands.submit_to(found.charge_point, codec.paid_start(payment_id, evse_id), None, now, command_id)
    except ApplicationError as error:  # the station went away in between: no hold stays
        logger.info("Paid start not sent", extra={"reason": error.message})
        settlement.release(held, now, "the remote start could not be sent")
        raise Conflict(f"Charge point {charge_point_id} is offline") from None
    return held


def page_html(
    charge_point_id: str, evse_id: int, now: datetime, code: str | None, accept_language: str | None
) -> str:
    """The page as HTML for a phone; the local provider's test tokens as the methods offered."""
    shown = page(charge_point_id, evse_id, now, code)
    local = get_settings().payment_provider == "local"
    methods = sorted(TEST_ACCEPTED, reverse=True) + sorted(TEST_DECLINES) if local else []
    return pay_page_html(shown, accept_language, code, methods)
