"""What the CSMS keeps from answers to its commands, by action: a block says what an answer to
one of its calls tells (configuration read or changed, the local list version); availability,
reset and unlock answers are kept as the charge point's latest of their kind. Keeping it never
fails the answer: the command is settled already, so a failure here is logged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from shared.data import charge_points
from shared.domain.commands import Command
from shared.domain.timestamps import format_timestamp
from shared.observability import logger
from shared.protocol.versions import profile_for

Keeper = Callable[[Command, dict[str, Any], datetime], None]


@cache
def _keepers() -> dict[str, Keeper]:
    """Built on first use: the blocks import the command service, which calls this."""
    from shared.services import (
        authorization,
        certificates,
        charging_profiles,
        configuration,
        display_messages,
        local_lists,
        maintenance,
        passwords,
        reservations,
        security_profiles,
    )

    return {
        "CancelReservation": reservations.answered,
        "CertificateSigned": certificates.signed_answered,
        "DeleteCertificate": certificates.changed_answered,
        "GetInstalledCertificateIds": certificates.installed_answered,
        "InstallCertificate": certificates.changed_answered,
        "ChangeAvailability": _latest("availability"),
        "ChangeConfiguration": _each(passwords.answered, security_profiles.answered),
        "ClearChargingProfile": charging_profiles.answered,
        "ClearDisplayMessage": display_messages.answered,
        "GetConfiguration": configuration.configuration_answered,
        "GetDiagnostics": maintenance.answered,
        "GetLog": maintenance.answered,
        "GetLocalListVersion": authorization.local_list_answered,
        "GetVariables": configuration.configuration_answered,
        "ReserveNow": reservations.answered,
        "Reset": _latest("reset"),
        "SendLocalList": local_lists.answered,
        "SetChargingProfile": charging_profiles.answered,
        "SetDisplayMessage": display_messages.answered,
        "SetVariables": _each(passwords.answered, security_profiles.answered),
        "SignedUpdateFirmware": maintenance.answered,
        "UnlockConnector": _latest("unlock"),
        "UpdateFirmware": maintenance.answered,
    }


def keep(command: Command, response: dict[str, Any], now: datetime) -> None:
    keeper = _keepers().get(command.action)
    if keeper is None:
        return
    try:
        keeper(command, response, now)
    except Exception:
        logger.exception("Keeping what an answer said failed", extra={"command_id": command.command_id})


def _each(*keepers: Keeper) -> Keeper:
    """Several blocks keep what one answer tells (a setting changed, a password, a profile)."""

    def keep_each(command: Command, response: dict[str, Any], now: datetime) -> None:
        for keeper in keepers:
            keeper(command, response, now)

    return keep_each


def _latest(kind: str) -> Keeper:
    """An answer kept as the charge point's latest of its kind (availability, reset, unlock):
    its status, when, which command, and what the command asked for."""

    def keep_latest(command: Command, response: dict[str, Any], now: datetime) -> None:
        asked = profile_for(command.ocpp_version).adapter.result_fields(command)
        result = {
            "status": response.get("status"),
            "at": format_timestamp(now),
            "commandId": command.command_id,
        }
        charge_points.record_result(command.charge_point_id, kind, {**result, **asked})

    return keep_latest
