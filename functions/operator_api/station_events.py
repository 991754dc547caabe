"""The feed of what charge points report of themselves, as several blocks' routes page it:
security events, device model events and reports, data transfers, settlements, charging limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from functions.operator_api.models.common import EventPage
from shared.domain.station_events import EventKind
from shared.domain.timestamps import format_timestamp
from shared.services import station_events


def page_of_kind(charge_point_id: str, kind: EventKind, limit: int, next_token: str | None) -> EventPage:
    page = station_events.events_of(charge_point_id, kind, limit, next_token)
    items: list[dict[str, Any]] = [{**body, "receivedAt": format_timestamp(at)} for body, at in page.items]
    return EventPage(items=items, next_token=page.next_token)


def critical_page(since: datetime, limit: int, next_token: str | None) -> EventPage:
    """The fleet's critical security events, each with its charge point."""
    page = station_events.critical_events(since, limit, next_token)
    items: list[dict[str, Any]] = [
        {**body, "chargePointId": cp_id, "receivedAt": format_timestamp(at)} for cp_id, body, at in page.items
    ]
    return EventPage(items=items, next_token=page.next_token)
