"""Requests held to their caller's tenant (decision 0033): the scope the data layer reads and
writes in, and the one gate of everything that belongs to a charge point.

Whatever a route does with a charge point's children (its connectors, commands, sessions,
reservations, logs, profiles, certificates...) it does to the charge point's tenant's things,
so a route naming another tenant's charge point, or a command, session or reservation of one,
is answered 404 before it runs, whichever data it goes on to read. Records of their own
(tariffs, sites, id tokens, firmware, rollouts) carry their tenant, which the data layer holds
every read, write and list to.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from shared.data import (
    charge_points,
    commands,
    drivers,
    firmware,
    id_tokens,
    reservations,
    rollouts,
    sites,
    tariffs,
    tenancy,
    transactions,
)
from shared.domain.errors import NotFound, NotRegistered
from shared.grants import grants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=(
        "charge-points",
        "commands",
        "drivers",
        "firmware",
        "id-tokens",
        "reservations",
        "rollouts",
        "sites",
        "tariffs",
        "transactions",
    ),
)


def scoped(tenant_id: str | None) -> AbstractContextManager[None]:
    """Reads and writes within are the tenant's (None: the platform's, every tenant's)."""
    return tenancy.scoped(tenant_id)


def _charge_points(*ids: str) -> bool:
    return any(charge_points.hidden(charge_point_id) for charge_point_id in ids)


def _command(value: str) -> bool:
    command = commands.find_command(value)
    return command is not None and charge_points.hidden(command.charge_point_id)


def _session(value: str) -> bool:
    """By the tenant the session is stamped with (one from before stamps: its charge point's)."""
    sessions = transactions.find_sessions(value)
    return not all(transactions.visible_session(session, _seen) for session in sessions)


def _seen(charge_point_id: str) -> bool:
    return not charge_points.hidden(charge_point_id)


def _reservation(value: str) -> bool:
    reservation = reservations.find_reservation(int(value)) if value.isdigit() else None
    return reservation is not None and charge_points.hidden(reservation.charge_point_id)


# A path parameter naming a tenant's thing: whether it is another tenant's, and what it is called
# when it is not found. Children of a charge point are its tenant's.
_OWNERS: dict[str, tuple[Callable[[str], bool], str]] = {
    "charge_point_id": (_charge_points, ""),
    "command_id": (_command, "Command"),
    "transaction_id": (_session, "Transaction"),
    "reservation_id": (_reservation, "Reservation"),
    "site_id": (lambda value: tenancy.hidden(sites.SiteRecord, value), "Site"),
    "tariff_id": (lambda value: tenancy.hidden(tariffs.TariffRecord, value), "Tariff"),
    "id_token": (lambda value: tenancy.hidden(id_tokens.IdTokenRecord, value), "Id token"),
    "firmware_id": (lambda value: tenancy.hidden(firmware.FirmwareRecord, value), "Firmware"),
    "rollout_id": (lambda value: tenancy.hidden(rollouts.RolloutRecord, value, rollouts.HEADER), "Rollout"),
    "driver_id": (lambda value: tenancy.hidden(drivers.DriverRecord, value), "Driver"),
}


def guard(arguments: dict[str, str]) -> None:
    """NotFound (as for an id that is not) when a path parameter names another tenant's thing,
    before the route reads its body or runs. Unscoped: nothing read. In scope: 1 read per id in
    the path (2 for a command or reservation: it, then its charge point; and for a session from
    before sessions were stamped with their tenant). The data layer holds every read and write
    to the scope as well; this makes the answer the same 404 whatever the route would have done
    with the request first (validated its body, say)."""
    if tenancy.scope() is None:
        return
    for name, value in arguments.items():
        owner = _OWNERS.get(name)
        if owner is not None and owner[0](value):
            what = owner[1]
            raise NotFound(f"{what} {value}") if what else NotRegistered(value)
