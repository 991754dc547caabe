"""Charge detail records: ended sessions, priced, as OCPI 2.2.1 CDRs for billing systems."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import transactions
from shared.data.dynamo import Page
from shared.data.transactions import TransactionRecord
from shared.domain.cdrs import cdr_of
from shared.domain.errors import BadRequest
from shared.domain.tariffs import from_json
from shared.domain.timestamps import utc_now
from shared.domain.transactions import SessionFilter
from shared.grants import grants
from shared.services.tariff_and_cost import pricing
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    indexes=("transactions/by-year",),
)


def list_cdrs(
    started_from: datetime | None, started_to: datetime | None, limit: int, next_token: str | None
) -> Page[dict[str, Any]]:
    """Newest first; a query for the page and one per session for its meter values."""
    wanted = SessionFilter(active=False, started_from=started_from, started_to=started_to)
    problem = wanted.problem()
    if problem:
        raise BadRequest(problem)
    now = utc_now()
    page = transactions.list_sessions(wanted, limit, next_token)
    return Page([cdr_for(record, now) for record in page.items], page.next_token)


def cdr_for(record: TransactionRecord, now: datetime) -> dict[str, Any]:
    """An ended session's CDR (1 query for its meter values)."""
    settings = get_settings()
    summary, cost = pricing.priced(record, pricing.progress_of(record))
    tariff = None if record.tariff is None else from_json(record.tariff)
    return cdr_of(summary, cost, tariff, settings.ocpi_country_code, settings.ocpi_party_id, now)
