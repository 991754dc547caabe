"""Site records: the site, its latest allocation, and the turn that lets one allocation run at a
time however many events arrive at once."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import condition_failed
from shared.data.tables import OnDemand
from shared.domain.errors import NotFound
from shared.domain.grid import GridLimit, OpenAdrLink, PriceCap
from shared.domain.roaming import Place
from shared.domain.sites import Site


class SiteRecord(Model):
    """A site: its limit and charge points, its latest allocation, and the allocator's turn."""

    class Meta(OnDemand, table="sites"): ...

    site_id = UnicodeAttribute(hash_key=True)
    body = JSONAttribute(null=True)  # shared.data.sites.body_of
    allocation = JSONAttribute(null=True)  # shared.domain.sites.Allocation.as_json
    # What the grid asks (shared.data.sites.record_poll): limits in time from the site's VTN,
    # when it was last heard, and the intervals already reported.
    grid = JSONAttribute(null=True)
    # The lowered shares (their commands) the latest allocation waits for before others rise.
    awaiting = UnicodeSetAttribute(null=True)
    asked = NumberAttribute(null=True)  # reasons to allocate so far
    turn_until = UTCDateTimeAttribute(null=True)  # an allocation is running until then
    updated_at = UTCDateTimeAttribute(null=True)
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's


def site_of(record: SiteRecord) -> Site:
    body = record.body
    return Site(
        site_id=record.site_id,
        limit_amps=body.get("limitAmps"),
        limit_watts=body.get("limitWatts"),
        phases=int(body.get("phases", 3)),
        voltage=float(body.get("voltage", 230.0)),
        min_amps_per_session=float(body.get("minAmpsPerSession", 6.0)),
        charge_points=tuple(body.get("chargePoints") or ()),
        fallback_amps=float(body.get("fallbackAmps", 6.0)),
        station_max_amps=body.get("stationMaxAmps"),
        threshold_amps=float(body.get("thresholdAmps", 1.0)),
        openadr=_link_of(body.get("openadr")),
        place=Place(**body["place"]) if body.get("place") else None,
        updated_at=record.updated_at,
    )


def _link_of(raw: dict[str, Any] | None) -> OpenAdrLink | None:
    if not raw:
        return None
    return OpenAdrLink(
        vtn_url=raw["vtnUrl"],
        program_name=raw["programName"],
        credentials=raw["credentials"],
        ven_name=raw.get("venName"),
        report_usage=bool(raw.get("reportUsage", True)),
        price_caps=tuple(
            PriceCap(float(c["above"]), float(c["limitPercent"])) for c in raw.get("priceCaps") or []
        ),
    )


def link_json(link: OpenAdrLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "vtnUrl": link.vtn_url,
        "programName": link.program_name,
        "credentials": link.credentials,
        "venName": link.ven_name,
        "reportUsage": link.report_usage,
        "priceCaps": [{"above": c.above, "limitPercent": c.limit_percent} for c in link.price_caps],
    }


def body_of(site: Site) -> dict[str, Any]:
    return {
        "limitAmps": site.limit_amps,
        "limitWatts": site.limit_watts,
        "phases": site.phases,
        "voltage": site.voltage,
        "minAmpsPerSession": site.min_amps_per_session,
        "chargePoints": list(site.charge_points),
        "fallbackAmps": site.fallback_amps,
        "stationMaxAmps": site.station_max_amps,
        "thresholdAmps": site.threshold_amps,
        "openadr": link_json(site.openadr),
        "place": asdict(site.place) if site.place else None,
    }


def find_site(site_id: str) -> SiteRecord | None:
    """1 read. In a tenant's scope, another tenant's site is as if it were not."""
    try:
        record = SiteRecord.get(site_id)
    except SiteRecord.DoesNotExist:
        return None
    return record if tenancy.visible(record.tenant_id) else None


def put_site(site: Site, at: datetime) -> None:
    """1 write; the allocation and the turn are kept. Ids are unique across tenants: another
    tenant's is NotFound in a tenant's scope."""
    fields = SiteRecord
    try:
        SiteRecord(site.site_id).update(
            actions=[
                fields.body.set(body_of(site)),
                fields.updated_at.set(at),
                *tenancy.stamp(fields.tenant_id),
            ],
            condition=tenancy.writable(fields.site_id, fields.tenant_id),
        )
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound(f"Site {site.site_id}") from error
        raise


def all_sites() -> list[SiteRecord]:
    """1 scan per 1 MB (in a tenant's scope, its own)."""
    return sorted(SiteRecord.scan(tenancy.owned(SiteRecord.tenant_id)), key=lambda r: r.site_id)


def ask(site_id: str) -> None:
    """1 write: one more reason to allocate, which the allocation running now will see."""
    SiteRecord(site_id).update(actions=[SiteRecord.asked.add(1)], condition=SiteRecord.site_id.exists())


def take_turn(site_id: str, now: datetime, hold: timedelta) -> int | None:
    """1 write: the site's turn to allocate, for `hold` at most; the number of asks it sees, or
    None when another allocation holds the turn."""
    fields = SiteRecord
    record = SiteRecord(site_id)
    try:
        record.update(
            actions=[fields.turn_until.set(now + hold)],
            condition=fields.site_id.exists()
            & (fields.turn_until.does_not_exist() | (fields.turn_until < now)),
        )
    except UpdateError as error:
        if condition_failed(error):
            return None
        raise
    return int(record.asked or 0)


def end_turn(site_id: str, seen: int, allocation: dict[str, Any]) -> bool:
    """1 write: the allocation kept and the turn given back, unless asks came meanwhile (then
    the turn is kept for another round: False)."""
    fields = SiteRecord
    try:
        SiteRecord(site_id).update(
            actions=[fields.allocation.set(allocation), fields.turn_until.remove()],
            condition=(fields.asked == seen) | fields.asked.does_not_exist(),
        )
    except UpdateError as error:
        if condition_failed(error):
            SiteRecord(site_id).update(actions=[fields.allocation.set(allocation)])
            return False
        raise
    return True


def give_turn_back(site_id: str) -> None:
    SiteRecord(site_id).update(actions=[SiteRecord.turn_until.remove()])


def grid_limits(record: SiteRecord) -> list[GridLimit]:
    return [GridLimit.of_json(raw) for raw in (record.grid or {}).get("limits", [])]


def record_poll(
    site_id: str, limits: list[GridLimit] | None, program_id: str | None, error: str | None, at: datetime
) -> SiteRecord | None:
    """1 read, 1 write: the site as it now stands. Heard from the VTN: its limits replace what
    was known. Not heard (`limits` None): what was known stays, to hold until each interval
    ends, and the failure is kept."""
    record = find_site(site_id)
    if record is None:
        return None
    grid = dict(record.grid or {})
    if limits is not None:
        kept = [g.as_json() for g in limits if g.end > at - timedelta(days=1)]
        grid.update(limits=kept, programId=program_id, heardAt=at.isoformat(), failures=0, error=None)
    else:
        grid.update(failures=int(grid.get("failures") or 0) + 1, error=error, failedAt=at.isoformat())
    grid["polledAt"] = at.isoformat()
    record.update(actions=[SiteRecord.grid.set(grid)], condition=SiteRecord.site_id.exists())
    return record


def mark_reported(record: SiteRecord, keys: list[str]) -> None:
    """1 write: intervals whose usage went to the VTN (the latest 200 are remembered)."""
    grid = dict(record.grid or {})
    grid["reported"] = (list(grid.get("reported") or []) + keys)[-200:]
    SiteRecord(record.site_id).update(actions=[SiteRecord.grid.set(grid)])


def await_answers(site_id: str, command_ids: list[str]) -> None:
    """1 write: the lowered shares an allocation waits for before the others rise (none: it
    waits for nothing)."""
    fields = SiteRecord
    action = fields.awaiting.set(set(command_ids)) if command_ids else fields.awaiting.remove()
    SiteRecord(site_id).update(actions=[action])


def answered(site_id: str, command_id: str) -> bool:
    """1 conditional write: one awaited share taken. Whether it was the last."""
    fields = SiteRecord
    record = SiteRecord(site_id)
    try:
        record.update(
            actions=[fields.awaiting.delete({command_id})], condition=fields.awaiting.contains(command_id)
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return not record.awaiting
