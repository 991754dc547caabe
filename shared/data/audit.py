"""The audit trail: one item per change or refusal, written once and never updated (the
functions that write it hold only dynamodb:PutItem on it), kept AUDIT_RETENTION_DAYS by TTL.

Keyed by month (`2026-12`) and then time, so that the whole installation's trail reads newest
first a month at a time; a tenant's trail through the `by-tenant` index. A month takes every
write of the month: an operator's changes, a few a second at most. The table's stream hands each
new entry to the audit export (decision 0039)."""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.data.dynamo import Page, decode_token, encode_token, key_names, read, start_key
from shared.data.tables import OnDemand
from shared.domain.accounts import AUDIT_RETENTION_DAYS, AuditEntry
from shared.domain.errors import BadPageToken
from shared.domain.timestamps import format_timestamp


class _ByTenant(GlobalSecondaryIndex["AuditRecord"]):
    """A tenant's entries, newest first (entries of platform principals have no tenant)."""

    class Meta:
        index_name = "by-tenant"
        projection = AllProjection()

    tenant_id = UnicodeAttribute(hash_key=True)
    entry = UnicodeAttribute(range_key=True)


class AuditRecord(Model):
    class Meta(OnDemand, table="audit"):
        durable = True  # point-in-time recovery and retained with the stack, despite its TTL
        stream_view_type = "NEW_IMAGE"  # each new entry, for the audit export (decision 0039)

    month = UnicodeAttribute(hash_key=True)
    entry = UnicodeAttribute(range_key=True)  # time#request id
    at = UTCDateTimeAttribute()
    principal = UnicodeAttribute()
    kind = UnicodeAttribute()
    role = UnicodeAttribute()
    tenant_id = UnicodeAttribute(null=True)
    source_ip = UnicodeAttribute()
    method = UnicodeAttribute()
    path = UnicodeAttribute()
    resource = UnicodeAttribute()
    status = NumberAttribute()
    request_id = UnicodeAttribute()
    expires_at = TTLAttribute()

    by_tenant = _ByTenant()


_KEYS = key_names(AuditRecord)
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TENANT_KEYS = key_names(AuditRecord, AuditRecord.by_tenant)


def record_entry(entry: AuditEntry) -> None:
    """1 write, a PutItem only where the entry is new (append-only: no update, no delete)."""
    AuditRecord(
        _month(entry.at),
        f"{format_timestamp(entry.at)}#{entry.request_id}",
        **asdict(entry),
        expires_at=entry.at + timedelta(days=AUDIT_RETENTION_DAYS),
    ).save(condition=AuditRecord.entry.does_not_exist())


def entry_of_image(image: dict[str, Any]) -> AuditEntry:
    """An entry as the table's stream hands it: the new item's image, in DynamoDB's JSON."""
    return _entry(AuditRecord.from_raw_data(image))


def entries(
    tenant_id: str | None,
    start: datetime,
    end: datetime,
    principal: str | None,
    resource: str | None,
    limit: int,
    next_token: str | None,
) -> Page[AuditEntry]:
    """Newest first, between start and end: a tenant's through its index (1 query), or with
    None the installation's, a month after another (1 query a month read). `principal` and
    `resource` filter what is read, so a page may hold fewer than `limit`; its token says more
    may follow. Nothing is kept longer than AUDIT_RETENTION_DAYS, so no month before that is
    read (a `from` in year 435 would otherwise be 19,000 queries)."""
    start = max(start, end - timedelta(days=AUDIT_RETENTION_DAYS + 1))
    low, high = format_timestamp(start), format_timestamp(end) + "#\uffff"
    condition = None
    if principal is not None:
        condition = AuditRecord.principal == principal
    if resource is not None:
        match = AuditRecord.resource == resource
        condition = match if condition is None else condition & match
    if tenant_id is not None:
        position = decode_token(next_token, {"of", "key"}) if next_token else None
        if position is not None and position["of"] != f"tenant#{tenant_id}":
            raise BadPageToken()
        results = AuditRecord.by_tenant.query(
            tenant_id,
            AuditRecord.entry.between(low, high),
            filter_condition=condition,
            scan_index_forward=False,
            limit=limit,
            last_evaluated_key=start_key(position["key"], _TENANT_KEYS) if position else None,
        )
        items = read(results, _entry)
        last = results.last_evaluated_key
        return Page(items, encode_token({"of": f"tenant#{tenant_id}", "key": last}) if last else None)
    month, key = _month(end), None
    if next_token:
        position = decode_token(next_token, {"of", "key"})
        month = position["of"]
        if not (isinstance(month, str) and _MONTH.match(month)):
            raise BadPageToken()
        key = None if position["key"] is None else start_key(position["key"], _KEYS)
    found: list[AuditEntry] = []
    while month >= _month(start) and len(found) < limit:
        results = AuditRecord.query(
            month,
            AuditRecord.entry.between(low, high),
            filter_condition=condition,
            scan_index_forward=False,
            limit=limit - len(found),
            last_evaluated_key=key,
        )
        found.extend(read(results, _entry))
        key = results.last_evaluated_key
        if key:
            return Page(found, encode_token({"of": month, "key": key}))
        month = _previous(month)
    more = month >= _month(start)
    return Page(found, encode_token({"of": month, "key": None}) if more else None)


def _month(at: datetime) -> str:
    """`YYYY-MM`, the year in four digits (strftime's %Y drops the zeros of a year before 1000)."""
    at = at.astimezone(UTC)
    return f"{at.year:04d}-{at.month:02d}"


def _previous(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def _entry(record: AuditRecord) -> AuditEntry:
    kept = {field.name: getattr(record, field.name) for field in fields(AuditEntry)}
    return AuditEntry(**{**kept, "status": int(record.status)})
