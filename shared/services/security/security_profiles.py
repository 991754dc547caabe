"""Raising a station's security profile (1.6: the SecurityProfile key; 2.x: a network
connection profile in a slot of its own, that slot first, then a reset when idle).

The registration's profile rises when the station accepts the call that makes the move, so
its next connection is held to the new profile. A profile is only ever raised this way:
lowering one is an operator's `PUT /charge-points/{id}` (a station that could not move and
fell back to its old profile is refused until then).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.data import charge_points
from shared.data import configuration as kept_configuration
from shared.domain.commands import Command
from shared.domain.errors import BadRequest, Conflict
from shared.domain.provisioning import NetworkSlot
from shared.grants import grants
from shared.observability import logger
from shared.protocol.configuration import configuration_codec
from shared.protocol.security import security_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "configuration"),
    writes=("charge-points",),
)

PRIORITY_KEY = "OCPPCommCtrlr/NetworkConfigurationPriority"


def raise_profile(
    charge_point_id: str, profile: int, network: NetworkSlot | None, now: datetime
) -> list[Command]:
    """The calls, queued in order; 2 reads (3 when an earlier raise is awaited), 1 write, then
    the command path. One raise at a time, as one password rotation (409 while one waits)."""
    charge_point = commands.connected(charge_point_id)
    current = charge_point.security_profile or 1
    if profile <= current:
        raise BadRequest(f"{charge_point_id} is held to profile {current}; a profile is only raised")
    if network is not None:  # the new slot first, then those the station tried before
        known = kept_configuration.value_of(charge_point_id, PRIORITY_KEY) or ""
        before = [slot for slot in known.split(",") if slot.strip() and slot.strip() != str(network.slot)]
        network = replace(network, priority=",".join([str(network.slot), *before]))
    intents, decisive = security_codec(commands.profile_of(charge_point)).raise_security_profile(
        profile, network
    )
    command_ids = [commands.new_command_id() for _ in intents]
    _, awaited = charge_points.awaited_changes(charge_point_id)
    if (awaited is not None and not commands.settled(awaited)) or not charge_points.set_raising(
        charge_point_id, profile, command_ids[decisive], replacing=awaited
    ):
        raise Conflict(f"A profile raise of {charge_point_id} waits for its answer; try again after it")
    return [
        commands.submit_to(charge_point, intent, None, now, command_id)
        for intent, command_id in zip(intents, command_ids, strict=True)
    ]


@answers.keeps("ChangeConfiguration", "SetVariables")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """The call that makes the move, accepted: the registration holds the station to it."""
    profile = profile_for(command.ocpp_version)
    if not configuration_codec(profile).setting_taken(command, response, security_codec(profile).profile_key):
        return  # any other setting, refused or not, reads nothing
    raised = charge_points.commit_raise(command.charge_point_id, command.command_id)
    if raised is not None:
        logger.info(
            "Security profile raised", extra={"charge_point_id": command.charge_point_id, "to": raised}
        )
