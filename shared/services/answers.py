"""What the CSMS keeps from answers to its commands, by action: each functional block says
what an answer to one of its calls tells (configuration read or changed, availability, reset
and unlock results, the local list version). Keeping it never fails the answer: the command
is settled already, so a failure here is logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from shared.domain.commands import Command
from shared.domain.timestamps import format_timestamp
from shared.observability import logger
from shared.protocol.versions import profile_for

Keeper = Callable[[Command, dict[str, Any], datetime], None]


@cache
def _keepers() -> dict[str, Keeper]:
    """Built on first use: the blocks import the command service, which calls this."""
    from shared.services import authorization, availability, configuration, provisioning, remote_control

    return {
        "ChangeAvailability": availability.availability_changed,
        "ChangeConfiguration": configuration.configuration_answered,
        "GetConfiguration": configuration.configuration_answered,
        "GetLocalListVersion": authorization.local_list_answered,
        "GetVariables": configuration.configuration_answered,
        "Reset": provisioning.reset_answered,
        "SendLocalList": authorization.local_list_answered,
        "SetVariables": configuration.configuration_answered,
        "UnlockConnector": remote_control.unlocked,
    }


def keep(command: Command, response: dict[str, Any], now: datetime) -> None:
    keeper = _keepers().get(command.action)
    if keeper is None:
        return
    try:
        keeper(command, response, now)
    except Exception:
        logger.exception("Keeping what an answer said failed", extra={"command_id": command.command_id})


def result(command: Command, response: dict[str, Any], now: datetime) -> dict[str, Any]:
    """An answer as the charge point's record keeps the latest of its kind: its status, when,
    which command, and what the command asked for."""
    asked = profile_for(command.ocpp_version).adapter.result_fields(command)
    return {
        "status": response.get("status"),
        "at": format_timestamp(now),
        "commandId": command.command_id,
        **asked,
    }
