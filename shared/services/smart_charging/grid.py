"""The VEN: each site enrolled in an OpenADR 3 program polls its VTN (a schedule, every minute),
keeps the limits the program's events set, reports the site's usage where an event asks, and
has the site's shares worked out again whenever a limit or an EV's departure changes them
(decision 0025)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.aws.secrets import SecretMissing, json_secret
from shared.data import session_events, sites, transactions
from shared.data.sites import SiteRecord
from shared.domain.grid import BadEvent, GridLimit, OpenAdrLink, energy_between, limits_of, usage_report
from shared.domain.sites import Site
from shared.grants import grants
from shared.observability import logger, metrics
from shared.services.smart_charging import sites as allocator
from shared.services.smart_charging.openadr_client import Vtn, VtnError

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("session-events", "sites"),
    writes=("sites",),
    indexes=("transactions/by-charge-point",),
)

OPENADR_FOLDER = "openadr/"  # the credentials are the secret csms/openadr/{name}
# Polling a VTN, with its credentials.
VTN = grants(secrets=(OPENADR_FOLDER,))


@dataclass
class Round:
    polled: int = 0
    failed: int = 0
    reallocated: int = 0
    reported: int = 0


def run(now: datetime) -> Round:
    """One round over every site (sites are few; one scan)."""
    done = Round()
    for record in sites.all_sites():
        site = sites.site_of(record)
        if site.openadr is not None:
            done.polled += 1
            heard, polled = poll(site, site.openadr, now)
            done.failed += not heard
            record = polled or record
            done.reported += report_usage(site, site.openadr, record, now)
        if revisit(site, record, now):
            done.reallocated += 1
    return done


def poll(site: Site, link: OpenAdrLink, now: datetime) -> tuple[bool, SiteRecord | None]:
    """The program's events as limits, kept: whether the VTN was heard, and the site as it now
    stands. A VTN that cannot be heard changes nothing: the limits known hold until their
    intervals end. Logged, counted (OpenAdrPollFailures, which the stack alarms on) and kept on
    the site."""
    try:
        vtn = _vtn(link)
        program_id = vtn.program_id(link.program_name)
        events = vtn.events(program_id)
    except (VtnError, SecretMissing) as error:
        logger.error("The VTN was not heard", extra={"site_id": site.site_id, "error": str(error)})
        metrics.add_metric(name="OpenAdrPollFailures", unit="Count", value=1)
        return False, sites.record_poll(site.site_id, None, None, str(error), now)
    limits: list[GridLimit] = []
    for event in events:
        try:
            limits += limits_of(event, link, site.own_watts)
        except (BadEvent, KeyError, TypeError, ValueError) as error:
            logger.warning("An event was skipped", extra={"event_id": event.get("id"), "error": str(error)})
            metrics.add_metric(name="OpenAdrEventsSkipped", unit="Count", value=1)
    return True, sites.record_poll(site.site_id, limits, program_id, None, now)


def _vtn(link: OpenAdrLink) -> Vtn:
    secret = json_secret(OPENADR_FOLDER + link.credentials)
    try:
        return Vtn(link.vtn_url, str(secret["clientId"]), str(secret["clientSecret"]))
    except KeyError as error:
        raise SecretMissing(f"the credentials have no {error}") from None


def revisit(site: Site, record: SiteRecord, now: datetime) -> bool:
    """The shares again when the limit in force is not the one they were worked out under, or a
    limit or departure has changed since."""
    allocation = record.allocation or {}
    in_force = allocator.grid_in_force(site, sites.grid_limits(record), now)
    limit = round(site.limit_under(in_force), 1)
    revisit_at = allocation.get("revisitAt")
    due = revisit_at is not None and datetime.fromisoformat(revisit_at) <= now
    if not allocation or (allocation.get("limitAmps") == limit and not due):
        return False
    reason = "grid limit" if in_force is not None else "limit or departure changed"
    allocator.reallocate(site.site_id, reason, now)
    return True


def report_usage(site: Site, link: OpenAdrLink, record: SiteRecord, now: datetime) -> int:
    """Each ended interval whose event asks for usage, reported once: the energy the site's
    sessions drew during it, in kWh, from their meter readings."""
    grid = record.grid or {}
    done = set(grid.get("reported") or [])
    program_id = grid.get("programId")
    due = [
        g
        for g in sites.grid_limits(record)
        if g.report and g.end <= now and f"{g.event_id}/{g.interval_id}" not in done
    ]
    if not due or not program_id:
        return 0
    sent: list[str] = []
    try:
        vtn = _vtn(link)
        for limit in due:
            used = _used_wh(site, limit.start, limit.end)
            vtn.report(usage_report(program_id, limit, link.ven_name or site.site_id, site.site_id, used))
            sent.append(f"{limit.event_id}/{limit.interval_id}")
    except (VtnError, SecretMissing) as error:
        logger.error("Usage not reported", extra={"site_id": site.site_id, "error": str(error)})
        metrics.add_metric(name="OpenAdrReportFailures", unit="Count", value=1)
    if sent:
        sites.mark_reported(record, sent)
    return len(sent)


def _used_wh(site: Site, start: datetime, end: datetime) -> float:
    """A query per charge point and one per session that ran then (sessions of the day before
    are looked at too, for those that were charging when the interval began)."""
    total = 0.0
    for charge_point_id in site.charge_points:
        for session in transactions.sessions_overlapping(charge_point_id, start, end):
            stream = session_events.session_stream(charge_point_id, session.transaction_id)
            readings = [r for event in session_events.events_of(stream) for r in event.meter_values]
            total += energy_between(readings + transactions.start_and_stop_readings(session), start, end)
    return total
