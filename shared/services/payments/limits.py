"""The hold as a paid session's limit: a session whose running cost reaches its hold is stopped
(RemoteStopTransaction / RequestStopTransaction), once. The running cost is the tariff block's
(`pricing.running_cost`), which hands a paid session's here; a 2.1 station also gets the hold
as its transactionLimit.maxCost (`tokens`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from shared.data import payments as records
from shared.data.transactions import TransactionRecord
from shared.domain.errors import ApplicationError
from shared.domain.payments import PaymentState, to_minor
from shared.grants import grants
from shared.observability import logger
from shared.protocol.remote_control import remote_control_codec
from shared.services import commands

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(reads=("payments",), writes=("payments",))


def running_cost(record: TransactionRecord, cost: Decimal, at: datetime) -> bool:
    """Whether the session was asked to stop now: 1 read of the payment; when the cost (tax
    included) reached the hold, 1 conditional write (so a second report asks nothing) and the
    stop."""
    payment = records.find_payment(str(record.id_token))
    if (
        payment is None
        or payment.state is not PaymentState.AUTHORIZED
        or payment.charge_point_id != record.charge_point_id
        or to_minor(cost, payment.currency) < payment.authorized_amount
    ):
        return False
    if not records.mark_stop_asked(payment.payment_id, at):
        return False
    logger.info("A paid session reached its hold", extra={"paymentId": payment.payment_id})
    try:
        charge_point = commands.connected(record.charge_point_id)
        codec = remote_control_codec(commands.profile_of(charge_point))
        commands.submit_to(charge_point, codec.remote_stop(record.transaction_id), None, at)
    except ApplicationError as error:  # offline: the station stops at its own limit, or is stopped by hand
        logger.warning("The stop at the hold was not sent", extra={"reason": error.message})
        return False
    return True
