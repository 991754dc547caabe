"""Station event records: what a charge point reported of itself, one item per message (or
message part), keyed by what tells a resend and listed by time through the feed index."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import JSONAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from
from shared.data.tables import OnDemand
from shared.domain.station_events import RETENTION_DAYS, EventKind, StationEvent
from shared.domain.timestamps import format_timestamp


class _Feed(GlobalSecondaryIndex["StationEventRecord"]):
    """A charge point's events of one kind, newest first."""

    class Meta:
        index_name = "feed"
        projection = AllProjection()

    feed = UnicodeAttribute(hash_key=True)  # charge point id#kind
    at_key = UnicodeAttribute(range_key=True)  # time#sort


class _Alerts(GlobalSecondaryIndex["StationEventRecord"]):
    """Sparse: critical security events of every charge point, newest first."""

    class Meta:
        index_name = "alerts"
        projection = AllProjection()

    alert = UnicodeAttribute(hash_key=True)  # always "critical"
    at_key = UnicodeAttribute(range_key=True)


class StationEventRecord(Model):
    """Security events, device events, monitoring reports, customer information and vendor
    data a charge point sent. Keyed by what tells a resend; listed by time. Kept a year (TTL)."""

    class Meta(OnDemand, table="station-events"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    event_key = UnicodeAttribute(range_key=True)  # kind#sort
    kind = UnicodeAttribute()
    feed = UnicodeAttribute()
    at_key = UnicodeAttribute()
    body = JSONAttribute()
    received_at = UTCDateTimeAttribute()
    expires_at = TTLAttribute()
    alert = UnicodeAttribute(null=True)  # a critical security event's only
    tenant_id = UnicodeAttribute(null=True)  # its station's, on an alert (absent: the default tenant's)

    by_feed = _Feed()
    alerts = _Alerts()


_FEED_KEYS = key_names(StationEventRecord, StationEventRecord.by_feed)
_ALERT_KEYS = key_names(StationEventRecord, StationEventRecord.alerts)
_CRITICAL = "critical"


def record_event(
    charge_point_id: str, event: StationEvent, at: datetime, tenant_id: str | None = None
) -> bool:
    """1 write (and its feed index entry; a critical one's alert entry, with its station's
    tenant). A resend changes nothing: returns whether it was new."""
    record = StationEventRecord(
        charge_point_id,
        f"{event.kind.value}#{event.sort}",
        kind=event.kind.value,
        feed=_feed(charge_point_id, event.kind),
        at_key=f"{format_timestamp(event.at)}#{event.sort}",
        body=event.body,
        received_at=at,
        expires_at=at + timedelta(days=RETENTION_DAYS),
        alert=_CRITICAL if event.critical else None,
        tenant_id=tenant_id if event.critical else None,
    )
    try:
        record.save(condition=StationEventRecord.event_key.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def events_of(
    charge_point_id: str, kind: EventKind, limit: int, next_token: str | None
) -> Page[tuple[dict[str, object], datetime]]:
    """1 query: newest first, each with when it was received."""
    feed = _feed(charge_point_id, kind)
    results = StationEventRecord.by_feed.query(
        feed,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=resume_from(next_token, feed, _FEED_KEYS),
    )
    return page_of(results, limit, feed, lambda record: (record.body, record.received_at))


def _feed(charge_point_id: str, kind: EventKind) -> str:
    return f"{charge_point_id}#{kind.value}"


def critical_events(
    since: datetime, limit: int, next_token: str | None
) -> Page[tuple[str, dict[str, object], datetime]]:
    """1 query of the sparse alerts index: critical security events that happened at or after
    `since`, newest first, each with its charge point and when it was received; in a tenant's
    scope its own (by a filter)."""
    results = StationEventRecord.alerts.query(
        _CRITICAL,
        StationEventRecord.at_key >= format_timestamp(since),
        scan_index_forward=False,
        filter_condition=tenancy.owned(StationEventRecord.tenant_id),
        limit=limit,
        last_evaluated_key=resume_from(next_token, "alerts", _ALERT_KEYS),
    )
    return page_of(
        results, limit, "alerts", lambda record: (record.charge_point_id, record.body, record.received_at)
    )
