"""The analytics table: figures added as events arrive, read back period by period; and each
connector's status history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.update import Action
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data.dynamo import Page, cancelled_by_condition, connection, key_names, page_of, resume_from
from shared.data.tables import OnDemand
from shared.domain.analytics import Contribution, Figures
from shared.domain.timestamps import format_timestamp


class AnalyticsRecord(Model):
    """Figures added up as sessions end and connectors fault (shared.domain.analytics): one item
    per period (a day or a month) and member (the fleet, a charge point, site, model or
    connector). An item `seen#<event>` marks an event already counted."""

    class Meta(OnDemand, table="analytics"): ...

    period = UnicodeAttribute(hash_key=True)  # day#2026-12-01, month#2026-12, or seen#...
    member = UnicodeAttribute(range_key=True)  # fleet, cp#id, site#id, model#name, conn#id#connector
    energy_wh = NumberAttribute(default=0)
    sessions = NumberAttribute(default=0)
    busy_s = NumberAttribute(default=0)
    faults = NumberAttribute(default=0)


class StatusHistoryRecord(Model):
    """Each status a connector reported, for the console's history; kept a month (TTL)."""

    class Meta(OnDemand, table="status-history"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    entry = UnicodeAttribute(range_key=True)  # when it was reported, then the connector
    connector = UnicodeAttribute()  # 1.6: the connector id; 2.x: evse/connector
    status = UnicodeAttribute()
    error_code = UnicodeAttribute(null=True)
    info = UnicodeAttribute(null=True)
    expires_at = TTLAttribute()


HISTORY_KEPT = timedelta(days=31)
SEEN_MEMBER = "-"


def add(contribution: Contribution) -> bool:
    """One transaction: the event's mark, which must be new, and an addition to every member of
    every period it touches (at most 5 members by 17 periods + 1 items: 15 days and 2 months, within
    the 100 a transaction takes). A second delivery of the same event fails the mark and adds nothing;
    returns whether this one counted."""
    fields = AnalyticsRecord
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(
                AnalyticsRecord(f"seen#{contribution.key}", SEEN_MEMBER),
                condition=AnalyticsRecord.period.does_not_exist(),
            )
            for period, figures in contribution.periods.items():
                actions: list[Action] = [
                    fields.energy_wh.add(figures.energy_wh),
                    fields.sessions.add(figures.sessions),
                    fields.busy_s.add(figures.busy_s),
                    fields.faults.add(figures.faults),
                ]
                for member in contribution.members:
                    transaction.update(AnalyticsRecord(period, member), actions=actions)
    except TransactWriteError as error:
        if cancelled_by_condition(error)[:1] == [True]:
            return False
        raise
    return True


def figures_of(record: AnalyticsRecord) -> Figures:
    return Figures(
        energy_wh=float(record.energy_wh or 0),
        sessions=int(record.sessions or 0),
        busy_s=float(record.busy_s or 0),
        faults=int(record.faults or 0),
    )


def fleet(periods: list[str]) -> dict[str, Figures]:
    """The fleet's figures for each of these periods that has any (batch reads, 100 at a time)."""
    keys = [(period, "fleet") for period in periods]
    return {record.period: figures_of(record) for record in AnalyticsRecord.batch_get(keys)}


def members(periods: list[str], prefix: str) -> Iterator[tuple[str, Figures]]:
    """Every member under this prefix in each period: one query per period."""
    for period in periods:
        for record in AnalyticsRecord.query(period, AnalyticsRecord.member.startswith(prefix)):
            yield record.member, figures_of(record)


def record_status(
    charge_point_id: str,
    connector: str,
    status: str,
    error_code: str | None,
    info: str | None,
    reported_at: datetime,
) -> None:
    """1 write; the same report twice is the same item."""
    StatusHistoryRecord(
        charge_point_id,
        f"{format_timestamp(reported_at)}#{connector}",
        connector=connector,
        status=status,
        error_code=error_code,
        info=info,
        expires_at=reported_at + HISTORY_KEPT,
    ).save()


def status_history(charge_point_id: str, limit: int, next_token: str | None) -> Page[StatusHistoryRecord]:
    """Newest first: one query page."""
    listing = f"status-history/{charge_point_id}"
    start = resume_from(next_token, listing, key_names(StatusHistoryRecord))
    results = StatusHistoryRecord.query(
        charge_point_id, scan_index_forward=False, limit=limit, page_size=limit, last_evaluated_key=start
    )
    return page_of(results, limit, listing)
