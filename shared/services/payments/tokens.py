"""A paid session's id token (the payment's id) at the station: accepted at that EVSE only,
while its hold is open. The OCPP router asks, through the authorization block."""

from __future__ import annotations

from shared.data import payments as records
from shared.domain.authorization import Authorization, AuthorizationStatus
from shared.domain.payments import PaymentState, to_decimal
from shared.grants import grants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(reads=("payments",))


def authorization_of(charge_point_id: str, evse_id: int | None, payment_id: str) -> Authorization:
    """1 read. A message that names no EVSE (Authorize, 1.6's stop) is held to the charge point."""
    payment = records.find_payment(payment_id)
    if (
        payment is None
        or payment.state is not PaymentState.AUTHORIZED
        or payment.charge_point_id != charge_point_id
        or (evse_id is not None and payment.evse_id != evse_id)
    ):
        return Authorization(AuthorizationStatus.INVALID)
    return Authorization(
        AuthorizationStatus.ACCEPTED, max_cost=to_decimal(payment.authorized_amount, payment.currency)
    )
