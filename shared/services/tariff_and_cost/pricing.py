"""What sessions cost: priced by the tariff they started under, shown to drivers as it grows
(2.x CostUpdated; 1.6 OCA California pricing DataTransfer where the charge point can show it)
and at the end (decision 0023)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from shared.data import configuration, session_events, transactions
from shared.data.transactions import TransactionRecord
from shared.domain.errors import ApplicationError
from shared.domain.payments import is_payment_reference
from shared.domain.provisioning import ChargePoint
from shared.domain.tariffs import Breakdown, breakdown_json, from_json, price, to_json
from shared.domain.transactions import Progress, SessionSummary, merge, usage_of
from shared.grants import grants
from shared.observability import logger
from shared.protocol.tariff_and_cost import TariffAndCostCodec, tariff_and_cost_codec
from shared.services import commands
from shared.services.tariff_and_cost import tariffs
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("configuration", "session-events", "transactions"),
    writes=("transactions",),
)


def tariff_json(charge_point_id: str, id_token: str | None) -> dict[str, Any] | None:
    """The tariff a session starting now is priced by, as it is kept on the session."""
    tariff = tariffs.tariff_for(charge_point_id, id_token)
    return None if tariff is None else to_json(tariff)


def cost(record: TransactionRecord, summary: SessionSummary, progress: Progress) -> Breakdown | None:
    if record.tariff is None:
        return None
    tariff = from_json(record.tariff)
    return price(tariff, usage_of(summary, progress))


def priced(record: TransactionRecord, progress: Progress) -> tuple[SessionSummary, Breakdown | None]:
    """The session with its energy and, where it has a tariff, its cost."""
    summary = transactions.summarise(record, progress.meter_values, progress.charging_state)
    breakdown = cost(record, summary, progress)
    return (summary if breakdown is None else replace(summary, cost=breakdown_json(breakdown))), breakdown


def progress_of(record: TransactionRecord) -> Progress:
    """1 query per 1 MB of the session's events."""
    stream = session_events.session_stream(record.charge_point_id, record.transaction_id)
    return merge(session_events.events_of(stream))


def with_cost(record: TransactionRecord) -> tuple[SessionSummary, Breakdown | None]:
    """A session priced (1 query) where it has a tariff: for the event that ends it, and for
    lists that ask for the cost."""
    if record.tariff is None:
        return transactions.summarise(record), None
    return priced(record, progress_of(record))


def final_cost(record: TransactionRecord, breakdown: Breakdown | None, at: datetime) -> None:
    """A call with the final cost where the version sends one after the session (1.6)."""
    if breakdown is None or record.tariff is None:
        return
    try:
        showing = _showing(record.charge_point_id)
        if showing is None:
            return
        charge_point, codec = showing
        text = from_json(record.tariff).text_for()
        intent = codec.final_cost(record.transaction_id, breakdown, text.text if text else None)
        if intent is not None:
            commands.submit_to(charge_point, intent, None, at)
    except ApplicationError as error:  # offline or refused: the cost is on the session all the same
        logger.info("Final cost not sent", extra={"reason": error.message})


def running_cost(
    charge_point_id: str, transaction_id: str, at: datetime, record: TransactionRecord | None = None
) -> None:
    """After a report inside a session: the cost so far goes to the charge point when it grew
    by the step, at most once per interval; a paid session that reached its hold is stopped
    (payments.limits). 1 read, unless the caller read the session already;
    1 query when the interval has passed; 1 conditional write and a command when it is sent."""
    if not tariffs.all_tariffs():
        return  # no tariffs at all (cached): nothing is priced, nothing read
    if record is None:
        record = transactions.find_session(charge_point_id, transaction_id)
    if record is None or record.tariff is None or record.stopped_at:
        return
    settings = get_settings()
    sent_at: datetime | None = record.cost_sent_at  # null until the first is sent
    if sent_at is not None and at - sent_at < timedelta(seconds=settings.cost_update_interval_s):
        return
    summary, breakdown = priced(record, progress_of(record))
    if breakdown is None:
        return
    if is_payment_reference(record.id_token):
        from shared.services.payments import limits  # only for paid sessions

        if limits.running_cost(record, breakdown.total_incl_vat, at):
            return  # stopped: its end brings the final cost
    sent: str | None = record.cost_sent  # null until the first is sent
    last = Decimal(sent) if sent is not None else Decimal(0)
    if breakdown.total_incl_vat <= last or breakdown.total_incl_vat - last < settings.cost_update_step:
        return
    try:
        showing = _showing(charge_point_id)
        if showing is None:
            return
        charge_point, codec = showing
        if not transactions.mark_cost_sent(
            charge_point_id, transaction_id, sent, str(breakdown.total_incl_vat), at
        ):
            return  # another report of this session sent it
        intent = codec.running_cost(transaction_id, breakdown, summary.meter_stop_wh, at)
        commands.submit_to(charge_point, intent, None, at)
    except ApplicationError as error:
        logger.info("Running cost not sent", extra={"reason": error.message})


def _showing(charge_point_id: str) -> tuple[ChargePoint, TariffAndCostCodec] | None:
    """The charge point and its version's codec, if it is connected and shows costs: 1 read, and 1 more
    where the version needs the charge point to say so (1.6's CustomDisplayCostAndPrice)."""
    charge_point = commands.connected(charge_point_id)
    codec = tariff_and_cost_codec(commands.profile_of(charge_point))
    key = codec.cost_display_key
    if key is not None and (configuration.value_of(charge_point_id, key) or "").strip().lower() != "true":
        return None
    return charge_point, codec
