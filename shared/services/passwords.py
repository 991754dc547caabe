"""Rotating a charge point's HTTP Basic password (security profiles 1 and 2).

The new password is set on the charge point first (1.6 ChangeConfiguration AuthorizationKey,
2.x SetVariables SecurityCtrlr.BasicAuthPassword) and becomes the stored one only once the
charge point accepts it. The old one stays good for `CSMS_PASSWORD_GRACE`, so that a station
that reconnects before it applies the new one is not locked out. Only hashes are kept; the
command's views mask it (the adapters' `redacted`) and no answer returns it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.data import charge_points
from shared.domain.commands import Command
from shared.domain.errors import BadRequest
from shared.domain.passwords import MAX_LENGTH, MIN_LENGTH, generate_password, hash_password
from shared.observability import logger
from shared.protocol.versions import profile_for
from shared.services import commands, configuration
from shared.settings import get_settings


def rotate(charge_point_id: str, password: str | None, now: datetime) -> Command:
    """1 read, 1 write, then the command path. A password of the operator's, or a strong one."""
    if password is not None and not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise BadRequest(f"A charge point password is {MIN_LENGTH} to {MAX_LENGTH} characters")
    chosen = password or generate_password()
    charge_point = commands.connected(charge_point_id)
    adapter = commands.adapter_of(charge_point)
    command_id = commands.new_command_id()
    charge_points.set_pending_password(charge_point_id, hash_password(chosen), command_id)
    intent = adapter.change_configuration(adapter.password_key, chosen)
    return commands.submit_to(charge_point, intent, None, now, command_id, password=True)


def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """ChangeConfiguration and SetVariables answers: a password the charge point took becomes
    the stored one; any other setting is kept as configuration (never the password)."""
    adapter = profile_for(command.ocpp_version).adapter
    taken = adapter.setting_taken(command, response, adapter.password_key)
    if taken:
        grace = timedelta(seconds=get_settings().password_grace_s)
        if charge_points.commit_password(command.charge_point_id, command.command_id, now + grace):
            logger.info("Password rotated", extra={"charge_point_id": command.charge_point_id})
    elif taken is False:
        logger.warning("Password not taken", extra={"charge_point_id": command.charge_point_id})
    configuration.configuration_answered(command, response, now)
