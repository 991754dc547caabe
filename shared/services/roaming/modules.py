"""The modules a partner pulls from the CSMS as a CPO (senders): locations (the sites with a
place, their stations' EVSEs and connectors), tariffs and CDRs, each in the partner's
tenant's scope, filtered by `date_from`/`date_to` on `last_updated` and paged."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from shared.data import charge_points, connectors, sites, tenancy, transactions
from shared.data.dynamo import every_item
from shared.domain.accounts import DEFAULT_TENANT
from shared.domain.cdrs import ocpi_tariff
from shared.domain.roaming import (
    UNKNOWN_LOCATION,
    OcpiError,
    Paged,
    Partner,
    Station,
    Window,
    location_of,
    page,
)
from shared.domain.sites import Site
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import SessionFilter
from shared.grants import grants
from shared.protocol import ocpi
from shared.services.tariff_and_cost import tariffs
from shared.services.tariff_and_cost.cdrs import cdr_for
from shared.settings import get_settings

GRANTS = grants(
    reads=("sites", "connectors", "charge-points", "tariffs", "transactions", "session-events"),
    indexes=("transactions/by-year",),
)


def _stations(site: Site) -> list[Station]:
    amps = site.station_max_amps or 32.0
    return [
        Station(cp, tuple(connectors.connectors_of(cp)), amps, site.voltage, site.phases)
        for cp in site.charge_points
        if charge_points.find_charge_point(cp) is not None
    ]


def _location(site: Site) -> tuple[dict[str, Any], datetime]:
    """The location, and when it last changed (the site, or a connector's status)."""
    settings = get_settings()
    assert site.place is not None and site.updated_at is not None
    stations = _stations(site)
    updated = max([site.updated_at, *(r.timestamp for s in stations for r in s.connectors)])
    value = location_of(
        site.site_id, site.place, stations, settings.ocpi_country_code, settings.ocpi_party_id, updated
    )
    return ocpi.checked(ocpi.Location, value), updated


def _placed() -> list[Site]:
    return [s for s in map(sites.site_of, sites.all_sites()) if s.place is not None]


def _scope(partner: Partner) -> AbstractContextManager[None]:
    """What a partner reads is its operator's tenant's."""
    return tenancy.scoped(partner.tenant_id or DEFAULT_TENANT)


def locations(partner: Partner, window: Window) -> Paged:
    """1 scan of the sites, and per station 1 read and 1 query of its connectors."""
    with _scope(partner):
        return _locations(window)


def _locations(window: Window) -> Paged:
    found = [_location(site) for site in _placed()]
    return page([value for value, updated in found if window.admits(updated)], window)


def location(partner: Partner, location_id: str) -> dict[str, Any]:
    with _scope(partner):
        return _one_location(location_id)


def _one_location(location_id: str) -> dict[str, Any]:
    record = sites.find_site(location_id)
    site = None if record is None else sites.site_of(record)
    if site is None or site.place is None:
        raise OcpiError(404, UNKNOWN_LOCATION, f"Unknown location {location_id}")
    return _location(site)[0]


def tariff_list(partner: Partner, window: Window, now: datetime) -> Paged:
    """Every tariff of the tenant (1 scan)."""
    with _scope(partner):
        return _tariffs(window, now)


def _tariffs(window: Window, now: datetime) -> Paged:
    settings = get_settings()
    found = []
    for tariff in tariffs.list_all():
        value = ocpi_tariff(tariff, settings.ocpi_country_code, settings.ocpi_party_id)
        value["last_updated"] = format_timestamp(tariff.updated_at or now)
        if window.admits(tariff.updated_at):
            found.append(ocpi.checked(ocpi.Tariff, value))
    return page(found, window)


def cdrs(partner: Partner, window: Window, now: datetime) -> Paged:
    """Ended sessions at stations of a placed site, as CDRs that last changed when they ended
    (a CDR is final then). Reads every ended session that started before `date_to`, and per
    session its meter values: docs/roaming.md states this cost."""
    with _scope(partner):
        return _cdrs(window, now)


def _cdrs(window: Window, now: datetime) -> Paged:
    placed = {cp: site for site in _placed() for cp in site.charge_points}
    wanted = SessionFilter(active=False, started_to=window.date_to)
    found = []
    fallback = next((t.currency for t in tariffs.list_all()), "EUR")
    for record in every_item(lambda limit, token: transactions.list_sessions(wanted, limit, token), 100):
        site = placed.get(record.charge_point_id)
        ended = (
            None
            if record.stopped_at is None
            else datetime.fromisoformat(record.stopped_at.replace("Z", "+00:00"))
        )
        if site is None or ended is None or not window.admits(ended):
            continue
        value = _cdr(cdr_for(record, now), site, fallback)
        found.append(ocpi.checked(ocpi.Cdr, value))
    found.sort(key=lambda c: (c["last_updated"], c["id"]))
    return page(found, window)


def _cdr(cdr: dict[str, Any], site: Site, currency: str) -> dict[str, Any]:
    """The CSMS's CDR with what OCPI's CdrLocation needs of the site, final at its end."""
    place = site.place
    assert place is not None
    cdr["cdr_location"] |= {
        "address": place.address,
        "city": place.city,
        "country": place.country,
        "coordinates": {"latitude": f"{place.latitude:.6f}", "longitude": f"{place.longitude:.6f}"},
        "connector_standard": "IEC_62196_T2",
        "connector_format": "SOCKET",
        "connector_power_type": "AC_3_PHASE" if site.phases == 3 else "AC_1_PHASE",
        **({"postal_code": place.postal_code} if place.postal_code else {}),
        **({"name": place.name} if place.name else {}),
    }
    cdr["cdr_location"]["id"] = site.site_id
    cdr["currency"] = cdr.get("currency") or currency
    cdr["last_updated"] = cdr["end_date_time"]
    for tariff in cdr.get("tariffs") or []:
        tariff["last_updated"] = tariff.get("last_updated") or cdr["end_date_time"]
    return cdr
