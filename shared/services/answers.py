"""What the CSMS keeps from answers to its commands. Each block says, beside the use case that
keeps it, which answers it reads: `@keeps("ReserveNow", "CancelReservation")`; several blocks may
keep one answer (a SetVariables may set a password and a security profile). A block whose record
waits on a call also says what becomes of it when the call ends with no answer to read (a
CALLERROR, an answer its schema refuses, a timeout, a lost connection): `@ends("ReserveNow")`.
Neither fails the answer: the command is settled already, so a failure here is logged.

Nothing here imports a block: on the first answer an instance takes, every use case module is
imported (`_load`), and each registers its keepers then."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from datetime import datetime
from functools import cache
from typing import Any

from shared.data import charge_points
from shared.domain.commands import Command, Failure
from shared.domain.timestamps import format_timestamp
from shared.grants import grants
from shared.observability import logger

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    writes=("charge-points",),
)

Keeper = Callable[[Command, dict[str, Any], datetime], None]
Ender = Callable[[Command, Failure, datetime], None]

_KEEPERS: dict[str, list[Keeper]] = {}
_ENDERS: dict[str, list[Ender]] = {}


def keeps(*actions: str) -> Callable[[Keeper], Keeper]:
    """Registers a use case as a keeper of the answers to these CSMS calls."""

    def register(keeper: Keeper) -> Keeper:
        for action in actions:
            _KEEPERS.setdefault(action, []).append(keeper)
        return keeper

    return register


def ends(*actions: str) -> Callable[[Ender], Ender]:
    """Registers a use case that ends its block's record when one of these calls fails."""

    def register(ender: Ender) -> Ender:
        for action in actions:
            _ENDERS.setdefault(action, []).append(ender)
        return ender

    return register


def end(command: Command, failure: Failure, now: datetime) -> None:
    _load()
    for ender in list(_ENDERS.get(command.action, ())):
        try:
            ender(command, failure, now)
        except Exception:
            logger.exception(
                "Ending what a failed command asked for failed", extra={"command_id": command.command_id}
            )


def keepers_of(action: str) -> list[Keeper]:
    _load()
    return list(_KEEPERS.get(action, ()))


def keep(command: Command, response: dict[str, Any], now: datetime) -> None:
    for keeper in keepers_of(command.action):
        try:
            keeper(command, response, now)
        except Exception:
            logger.exception("Keeping what an answer said failed", extra={"command_id": command.command_id})


def keep_latest(
    kind: str, command: Command, response: dict[str, Any], now: datetime, asked: dict[str, Any]
) -> None:
    """An answer kept as the charge point's latest of its kind (availability, reset, unlock):
    its status, when, which command, and what the command `asked` for."""
    result = {"status": response.get("status"), "at": format_timestamp(now), "commandId": command.command_id}
    charge_points.record_result(command.charge_point_id, kind, {**result, **asked})


@cache
def _load() -> None:
    """Every use case module, once an instance: each registers its keepers as it is imported."""
    package = importlib.import_module(__package__ or "shared.services")
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        importlib.import_module(module.name)
