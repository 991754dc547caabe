"""Availability: what connectors report of their state, and what they answer when asked to
change it."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from shared.aws.event_bus import DomainEvent
from shared.data import connectors
from shared.domain.availability import ConnectorStatusReport
from shared.domain.commands import Command
from shared.grants import grants
from shared.protocol.availability import availability_codec
from shared.protocol.versions import profile_for
from shared.services import answers
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    writes=("connectors",),
)


def status_reported(charge_point_id: str, report: ConnectorStatusReport, at: datetime) -> None:
    """1 write; the change is published when the report is the connector's newest."""
    if connectors.record_connector_status(charge_point_id, report, at):
        publish(DomainEvent.CONNECTOR_STATUS_CHANGED, {"charge_point_id": charge_point_id, **asdict(report)})


@answers.keeps("ChangeAvailability")
def availability_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """Kept as the charge point's latest availability answer."""
    asked = availability_codec(profile_for(command.ocpp_version)).availability_asked(command)
    answers.keep_latest("availability", command, response, now, asked)
