"""Configuration: a charge point's known settings, from its reports and from answers to the
calls that read or change them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import charge_points, configuration
from shared.domain.commands import Command
from shared.domain.configuration import ConfigurationValue
from shared.domain.errors import NotRegistered
from shared.protocol.versions import profile_for


def reported(charge_point_id: str, values: list[ConfigurationValue], at: datetime) -> None:
    """A device model report (2.x NotifyReport), one part of it."""
    if values:
        configuration.put_configuration(charge_point_id, values, at)


def configuration_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """GetConfiguration, ChangeConfiguration, GetVariables, SetVariables: what they read or changed."""
    values = profile_for(command.ocpp_version).adapter.configuration_answer(command, response)
    if values:
        configuration.put_configuration(command.charge_point_id, values, now)


def configuration_of(charge_point_id: str) -> list[ConfigurationValue]:
    if charge_points.find_charge_point(charge_point_id) is None:
        raise NotRegistered(charge_point_id)
    return configuration.configuration_of(charge_point_id)
