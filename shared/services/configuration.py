"""Configuration: a charge point's known settings, from its reports and from answers to the
calls that read or change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import charge_points, configuration
from shared.data.dynamo import Page
from shared.domain.commands import Command
from shared.domain.configuration import ConfigurationValue, ReportPart, ReportProgress
from shared.grants import grants
from shared.observability import logger, metrics
from shared.protocol.configuration import configuration_codec
from shared.protocol.payments import is_secret_key
from shared.protocol.security import security_codec
from shared.protocol.versions import profile_for
from shared.services import answers

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "configuration"),
    writes=("charge-points", "configuration"),
)


def reported(charge_point_id: str, part: ReportPart, at: datetime) -> None:
    """A part of a device model report (2.x NotifyReport): its values, and which parts came.
    A part beyond the next one expected means a part was lost: logged and counted."""
    if part.values:
        configuration.put_configuration(charge_point_id, part.values, at)
    charge_points.record_report_part(charge_point_id, part)
    charge_point = charge_points.find_charge_point(charge_point_id) if part.last else None
    progress = charge_point.configuration_report if charge_point else None
    if progress is not None and progress.request_id == part.request_id and progress.missing:
        logger.warning("A device model report arrived incomplete", extra={"missing": progress.missing})
        metrics.add_metric(name="IncompleteReports", unit="Count", value=1)


def report_of(charge_point_id: str) -> ReportProgress | None:
    charge_point = charge_points.registered_charge_point(charge_point_id)
    return charge_point.configuration_report


@answers.keeps("GetConfiguration", "ChangeConfiguration", "GetVariables", "SetVariables")
def configuration_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """GetConfiguration, ChangeConfiguration, GetVariables, SetVariables: what they read or
    changed (never the password, nor a web payments controller's secret)."""
    profile = profile_for(command.ocpp_version)
    password_key = security_codec(profile).password_key
    read = configuration_codec(profile).configuration_answer(command, response)
    values = [v for v in read if v.key != password_key and not is_secret_key(v.key)]
    if values:
        configuration.put_configuration(command.charge_point_id, values, now)


def configuration_page(charge_point_id: str, limit: int, next_token: str | None) -> Page[ConfigurationValue]:
    charge_points.registered_charge_point(charge_point_id)
    return configuration.configuration_page(charge_point_id, limit, next_token)
