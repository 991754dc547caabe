"""Availability: what connectors report of their state, and what availability answers tell."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from shared.aws.event_bus import DomainEvent, publish
from shared.data import charge_points, connectors
from shared.domain.availability import ConnectorStatusReport
from shared.domain.commands import Command
from shared.services.answers import result


def status_reported(charge_point_id: str, report: ConnectorStatusReport, at: datetime) -> None:
    """1 write; the change is published when the report is the connector's newest."""
    if connectors.record_connector_status(charge_point_id, report, at):
        publish(DomainEvent.CONNECTOR_STATUS_CHANGED, {"charge_point_id": charge_point_id, **asdict(report)})


def availability_changed(command: Command, response: dict[str, Any], now: datetime) -> None:
    """A ChangeAvailability answer: kept as the charge point's latest."""
    charge_points.record_result(command.charge_point_id, "availability", result(command, response, now))
