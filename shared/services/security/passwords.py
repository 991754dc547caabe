"""Rotating a charge point's HTTP Basic password (security profiles 1 and 2).

The new password is set on the charge point first (1.6 ChangeConfiguration AuthorizationKey,
2.x SetVariables SecurityCtrlr.BasicAuthPassword) and becomes the stored one only once the
charge point accepts it. The old one stays good for `CSMS_PASSWORD_GRACE`, so that a station
that reconnects before it applies the new one is not locked out. Only hashes are kept; the
command's views mask it (the security codec's `redacted`) and no answer returns it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.data import charge_points
from shared.domain.commands import Command
from shared.domain.errors import BadRequest, Conflict
from shared.domain.passwords import MAX_LENGTH, MIN_LENGTH, generate_password, hash_password
from shared.grants import grants
from shared.observability import logger
from shared.protocol.configuration import configuration_codec
from shared.protocol.security import security_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points",),
    writes=("charge-points",),
)


def rotate(charge_point_id: str, password: str | None, now: datetime) -> Command:
    """2 reads (3 when an earlier rotation is awaited), 1 write, then the command path. A
    password of the operator's, or a strong one. One rotation at a time (409 while another
    waits for its answer): the station takes the first it gets, and the CSMS must hold that one."""
    if password is not None and not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise BadRequest(f"A charge point password is {MIN_LENGTH} to {MAX_LENGTH} characters")
    chosen = password or generate_password()
    charge_point = commands.connected(charge_point_id)
    profile = commands.profile_of(charge_point)
    awaited, _ = charge_points.awaited_changes(charge_point_id)
    command_id = commands.new_command_id()
    if (awaited is not None and not commands.settled(awaited)) or not charge_points.set_pending_password(
        charge_point_id, hash_password(chosen), command_id, replacing=awaited
    ):
        raise Conflict(f"A password rotation of {charge_point_id} waits for its answer; try again after it")
    intent = configuration_codec(profile).change_configuration(security_codec(profile).password_key, chosen)
    return commands.submit_to(charge_point, intent, None, now, command_id, password=True)


@answers.keeps("ChangeConfiguration", "SetVariables")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """ChangeConfiguration and SetVariables answers: a password the charge point took becomes
    the stored one (the configuration keeps any other setting, never the password)."""
    profile = profile_for(command.ocpp_version)
    taken = configuration_codec(profile).setting_taken(
        command, response, security_codec(profile).password_key
    )
    if taken:
        grace = timedelta(seconds=get_settings().password_grace_s)
        if charge_points.commit_password(command.charge_point_id, command.command_id, now + grace):
            logger.info("Password rotated", extra={"charge_point_id": command.charge_point_id})
    elif taken is False:
        logger.warning("Password not taken", extra={"charge_point_id": command.charge_point_id})
