"""A driver's receipts and monthly statements: the CDRs of its sessions (so that a receipt's
figures are its CDR's), rendered by shared.domain.receipts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from shared.data import id_tokens, transactions
from shared.data.dynamo import every_item
from shared.domain import receipts as rendering
from shared.domain.drivers import Driver, LinkedCard
from shared.domain.errors import Conflict, NotFound
from shared.grants import grants
from shared.services.drivers import accounts
from shared.services.tariff_and_cost.cdrs import cdr_for
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("transactions",),
    indexes=("id-tokens/by-driver", "transactions/by-id-token"),
)

Format = Literal["pdf", "csv"]
_TYPES = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}


@dataclass(frozen=True)
class Document:
    body: bytes
    content_type: str
    filename: str


def _document(kind: str, name: str, fmt: Format, pdf: Any, csv: Any) -> Document:
    body = pdf() if fmt == "pdf" else csv().encode()
    return Document(body, _TYPES[fmt], f"{kind}-{name}.{fmt}")


def _holds(cards: list[LinkedCard], record: transactions.TransactionRecord) -> bool:
    """Whether the session is the driver's: started with one of its cards since it was linked."""
    started = datetime.fromisoformat(record.started_at)
    return any(card.id_token == record.id_token and card.linked_at <= started for card in cards)


def _issuer() -> rendering.Issuer:
    settings = get_settings()
    return rendering.Issuer(settings.operator_name, settings.operator_address, settings.operator_vat_id)


def _party(driver: Driver) -> rendering.Recipient:
    return rendering.Recipient(name=driver.name, email=driver.email)


def receipt(
    driver: Driver, charge_point_id: str, transaction_id: str, fmt: Format, now: datetime
) -> Document:
    """One ended session's receipt: 1 read of the cards, 1 of the session, 1 query of its meter
    values. Another driver's session is NotFound, as one that never was."""
    found = transactions.find_session(charge_point_id, transaction_id)
    if found is None or not _holds(id_tokens.cards_of(driver.driver_id), found):
        raise NotFound(f"Session {transaction_id} of charge point {charge_point_id}")
    if found.stopped_at is None:
        raise Conflict("The session is still running: its receipt comes when it ends")
    cdr = cdr_for(found, now)
    return _document(
        "receipt",
        cdr["id"],
        fmt,
        lambda: rendering.receipt_pdf(cdr, _issuer(), _party(driver)),
        lambda: rendering.receipt_csv(cdr, _issuer(), _party(driver)),
    )


def statement(driver: Driver, month: str, fmt: Format, now: datetime) -> Document:
    """The month's ended sessions (those that started in it, UTC) and their totals: 1 query per
    card and page, 1 batch read per 100 sessions, 1 query per session for its meter values."""
    start, end = rendering.month_bounds(month)
    cards = id_tokens.cards_of(driver.driver_id)
    keys = every_item(
        lambda limit, token: accounts.session_keys(
            cards, start, end - timedelta(microseconds=1), limit, token, now
        ),
        page_size=100,
    )
    records = transactions.sessions_by_key(list(keys))
    cdrs = [cdr_for(record, now) for record in reversed(records) if record.stopped_at is not None]
    return _document(
        "statement",
        month,
        fmt,
        lambda: rendering.statement_pdf(cdrs, month, _issuer(), _party(driver)),
        lambda: rendering.statement_csv(cdrs, month, _issuer(), _party(driver)),
    )
