"""Site records: the site, its latest allocation, and the turn that lets one allocation run at a
time however many events arrive at once."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import UpdateError

from shared.data.dynamo import condition_failed
from shared.data.models import SiteRecord
from shared.domain.sites import Site


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
        updated_at=record.updated_at,
    )


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
    }


def find_site(site_id: str) -> SiteRecord | None:
    """1 read."""
    try:
        return SiteRecord.get(site_id)
    except SiteRecord.DoesNotExist:
        return None


def put_site(site: Site, at: datetime) -> None:
    """1 write; the allocation and the turn are kept."""
    fields = SiteRecord
    SiteRecord(site.site_id).update(actions=[fields.body.set(body_of(site)), fields.updated_at.set(at)])


def all_sites() -> list[SiteRecord]:
    """1 scan per 1 MB."""
    return sorted(SiteRecord.scan(), key=lambda r: r.site_id)


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
