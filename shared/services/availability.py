"""Availability: what connectors report of their state."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from shared.aws.event_bus import DomainEvent, publish
from shared.data import connectors
from shared.domain.availability import ConnectorStatusReport


def status_reported(charge_point_id: str, report: ConnectorStatusReport, at: datetime) -> None:
    """1 write; the change is published when the report is the connector's newest."""
    if connectors.record_connector_status(charge_point_id, report, at):
        publish(DomainEvent.CONNECTOR_STATUS_CHANGED, {"charge_point_id": charge_point_id, **asdict(report)})
