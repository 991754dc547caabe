"""The audit trail: each change and each refusal, written after the API answered it. A write
that fails is logged and counted (metric AuditWriteFailed) and does not fail the request that
was already carried out (decision 0032). Each entry kept is exported from the table's stream
(decision 0039)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from shared.aws import exports
from shared.data import audit
from shared.data.dynamo import Page
from shared.domain.accounts import AuditEntry, Principal
from shared.domain.errors import BadRequest
from shared.grants import grants
from shared.observability import logger, metrics
from shared.settings import get_settings

# Whatever records puts entries, and nothing more: the trail is append-only (decision 0032).
GRANTS = grants(appends=("audit",))
# Listing it, where the trail is read (the operator API): `accounts.audit:LISTING`.
LISTING = grants(reads=("audit",), indexes=("audit/by-tenant",))

DEFAULT_WINDOW = timedelta(days=30)


def record(entry: AuditEntry) -> bool:
    """Whether it was kept."""
    try:
        audit.record_entry(entry)
    except Exception:
        logger.exception("Audit entry not kept", extra={"requestId": entry.request_id})
        metrics.add_metric(name="AuditWriteFailed", unit="Count", value=1)
        return False
    return True


def listing(
    viewer: Principal,
    start: datetime | None,
    end: datetime | None,
    principal: str | None,
    resource: str | None,
    limit: int,
    next_token: str | None,
    now: datetime,
) -> Page[AuditEntry]:
    """The viewer's tenant's entries (the platform's: every entry), newest first, in
    [from, to] (to: now; from: 30 days before to)."""
    for name, value in (("from", start), ("to", end)):
        if value is not None and value.tzinfo is None:
            raise BadRequest(f"{name}: needs a time zone, e.g. 2026-12-07T10:00:00Z")
    end = end or now
    start = start or end - DEFAULT_WINDOW
    if start > end:
        raise BadRequest("from: must come before to")
    return audit.entries(viewer.tenant_id, start, end, principal, resource, limit, next_token)


def export(images: list[dict[str, Any]]) -> int:
    """New entries, as the table's stream hands them, into the audit export: a JSON line each,
    named as `GET /audit` names them (1 PutRecordBatch per 500). How many."""
    lines = [exports.line_of(asdict(audit.entry_of_image(image))) for image in images]
    exports.put_lines(get_settings().audit_export_stream, lines)
    return len(lines)
