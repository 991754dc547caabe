"""Station events: security events, device model events, monitoring reports and customer
information a charge point sends, and the vendor data it sends by DataTransfer. Each is stored
before it is answered, once however often it is resent, and published when it is new."""

from __future__ import annotations

import time
from datetime import datetime

from shared.aws.event_bus import DomainEvent
from shared.data import charge_points, station_events, vendors
from shared.data.dynamo import Page
from shared.domain.errors import NotFound
from shared.domain.station_events import (
    DataTransferMessage,
    DataTransferStatus,
    EventKind,
    StationEvent,
    Vendor,
    data_transfer_event,
    data_transfer_status,
)
from shared.grants import grants
from shared.observability import logger, metrics
from shared.services.domain_events import publish
from shared.services.station_tenant import tenant_of_charge_point

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "vendors"),
    writes=("station-events", "vendors"),
    indexes=("station-events/feed",),
)
# The fleet's critical events, where an operator reads them (the operator API): `station_events:LISTING`.
LISTING = grants(indexes=("station-events/alerts",))

_PUBLISHED_AS = {
    EventKind.SECURITY: DomainEvent.SECURITY_EVENT,
    EventKind.DEVICE: DomainEvent.DEVICE_EVENT,
    EventKind.MONITORING_REPORT: DomainEvent.DEVICE_EVENT,
    EventKind.CUSTOMER_INFORMATION: DomainEvent.DEVICE_EVENT,
    EventKind.FIRMWARE_PUBLISH: DomainEvent.FIRMWARE_STATUS_CHANGED,
    EventKind.DATA_TRANSFER: DomainEvent.DATA_TRANSFER_RECEIVED,
    EventKind.SETTLEMENT: DomainEvent.SETTLEMENT_REPORTED,
    EventKind.CHARGING_LIMIT: DomainEvent.CHARGING_LIMIT_CHANGED,
    EventKind.EV_CHARGING_SCHEDULE: DomainEvent.DEVICE_EVENT,
    EventKind.DER_ALARM: DomainEvent.DER_ALARM,
    EventKind.DER_START_STOP: DomainEvent.DER_START_STOP,
}
# How long a router instance trusts what it read of a vendor: registering one takes effect
# within this, and a busy vendor costs one read a minute, not one per message.
VENDOR_CACHE_S = 60.0
_vendor_cache: dict[str, tuple[float, Vendor | None]] = {}


def reported(charge_point_id: str, event: StationEvent, at: datetime) -> None:
    """1 write; published when new, if its kind is (telemetry, swaps, VAT checks and DER reports
    are kept only). Critical security events are counted for the alarm, and kept with their
    station's tenant for the fleet's alerts."""
    tenant_id = tenant_of_charge_point(charge_point_id) if event.critical else None
    if not station_events.record_event(charge_point_id, event, at, tenant_id):
        return
    if event.critical:
        logger.warning("Critical security event", extra={"type": event.body.get("type")})
        metrics.add_metric(name="CriticalSecurityEvents", unit="Count", value=1)
    published_as = _PUBLISHED_AS.get(event.kind)
    if published_as is not None:
        detail = {"charge_point_id": charge_point_id, "kind": event.kind.value, "at": event.at}
        publish(published_as, {**detail, **event.body})


def data_transferred(
    charge_point_id: str, message: DataTransferMessage, message_id: str, at: datetime
) -> DataTransferStatus:
    """Answered by policy: a registered vendor (and message id) is accepted and published for an
    integration to act on; anything else is kept too, with the answer it got."""
    status = data_transfer_status(_vendor(message.vendor_id), message)
    event = data_transfer_event(message, status.value, message_id, at)
    new = station_events.record_event(charge_point_id, event, at)
    if new and status is DataTransferStatus.ACCEPTED:
        publish(
            DomainEvent.DATA_TRANSFER_RECEIVED, {"charge_point_id": charge_point_id, "at": at, **event.body}
        )
    return status


def events_of(
    charge_point_id: str, kind: EventKind, limit: int, next_token: str | None
) -> Page[tuple[dict[str, object], datetime]]:
    charge_points.registered_charge_point(charge_point_id)
    return station_events.events_of(charge_point_id, kind, limit, next_token)


def critical_events(
    since: datetime, limit: int, next_token: str | None
) -> Page[tuple[str, dict[str, object], datetime]]:
    """Every station's critical security events since then, newest first."""
    return station_events.critical_events(since, limit, next_token)


# --- Vendors ----------------------------------------------------------------------------------


def register_vendor(vendor: Vendor) -> Vendor:
    vendors.put_vendor(vendor)
    _vendor_cache.pop(vendor.vendor_id, None)
    return vendor


def vendor(vendor_id: str) -> Vendor:
    found = vendors.find_vendor(vendor_id)
    if found is None:
        raise NotFound(f"Vendor {vendor_id}")
    return found


def all_vendors() -> list[Vendor]:
    return vendors.all_vendors()


def remove_vendor(vendor_id: str) -> None:
    if not vendors.delete_vendor(vendor_id):
        raise NotFound(f"Vendor {vendor_id}")
    _vendor_cache.pop(vendor_id, None)


def _vendor(vendor_id: str) -> Vendor | None:
    if not vendor_id:  # 1.6's schema lets it be empty; no vendor is registered so
        return None
    now = time.monotonic()
    cached = _vendor_cache.get(vendor_id)
    if cached is not None and now - cached[0] < VENDOR_CACHE_S:
        return cached[1]
    found = vendors.find_vendor(vendor_id)
    if len(_vendor_cache) > 1000:
        _vendor_cache.clear()
    _vendor_cache[vendor_id] = (now, found)
    return found
