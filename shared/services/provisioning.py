"""Provisioning: the registry of charge points, their connections as the gateway reports them,
what they say of themselves at boot."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.aws.connections import connections_at, endpoint_for
from shared.aws.event_bus import DomainEvent
from shared.data import charge_points, connectors
from shared.data import commands as stored_commands
from shared.data.dynamo import Page, every_item
from shared.domain.availability import ConnectorStatusReport
from shared.domain.commands import Command, Failure
from shared.domain.errors import BadRequest
from shared.domain.passwords import hash_password
from shared.domain.provisioning import (
    UNCHANGED,
    BootInfo,
    ChargePoint,
    ChargePointDetail,
    ConnectorState,
    FleetFilter,
    valid_identity,
)
from shared.domain.timestamps import utc_now
from shared.grants import grants
from shared.observability import logger, metrics
from shared.services import answers
from shared.services.domain_events import publish

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "commands", "connectors"),
    writes=("charge-points",),
    indexes=("commands/queued", "transactions/by-charge-point"),
)
# Closing a connection (an older one at connect, a renewed one, a deregistered station's),
# and asking the gateway about one (a charge point's detail).
CLOSES = grants(connections=("close",))
LOOKS = grants(connections=("read",))

IDENTITY_RULE = "A charge point id is 1 to 48 characters of A-Z a-z 0-9 . _ ~ - * | @"


# How long after its $connect a connection may still be unknown to the gateway (the handshake's
# answer has not reached the charge point yet).
OPENING = timedelta(seconds=10)


def connected(
    charge_point_id: str, connection_id: str, ocpp_version: str, register: bool, at: datetime
) -> None:
    """1 write, then ChargePointConnected. NotRegistered when it was deregistered during its
    handshake. The newer connection wins: one the charge point still had (it lost its link
    without a close, and reconnected) is closed, so one id never has two."""
    older = charge_points.record_connection(charge_point_id, connection_id, ocpp_version, at, register)
    if older and older != connection_id:
        logger.info("An older connection of the charge point is closed", extra={"older": older})
        connections_at(endpoint_for()).close(older)
    publish(
        DomainEvent.CHARGE_POINT_CONNECTED,
        {"charge_point_id": charge_point_id, "ocpp_version": ocpp_version, "at": at},
    )


def disconnected(charge_point_id: str, connection_id: str, at: datetime) -> bool:
    """Offline, unless it has already reconnected: then nothing changes. Its pending commands
    fail, since no answer can come on a closed connection. Whether it was the current one."""
    from shared.services import commands  # here: $connect, which imports this module, never needs it

    if not charge_points.clear_connection(charge_point_id, connection_id, at):
        return False
    publish(DomainEvent.CHARGE_POINT_DISCONNECTED, {"charge_point_id": charge_point_id, "at": at})
    commands.fail_all(
        charge_point_id, Failure("Disconnected", "The charge point disconnected before answering"), at
    )
    return True


def renew(charge_point_id: str, connection_id: str, endpoint: str | None) -> bool:
    """Closes a connection past its own moment before the gateway's cut (decision 0026; the
    router asks `shared.domain.renewal.renewal_due` first), unless a call to the charge point is
    outstanding or queued: then at a later message. 1 read and 1 query."""
    charge_point = charge_points.find_charge_point(charge_point_id)
    if charge_point is None or charge_point.connection_id != connection_id:
        return False
    if stored_commands.pending_of(charge_point_id, charge_point.outstanding_command):
        return False
    connections_at(endpoint).close(connection_id)
    metrics.add_metric(name="ConnectionsRenewed", unit="Count", value=1)
    return True


def booted(charge_point_id: str, boot: BootInfo, at: datetime) -> None:
    """1 write, then ChargePointBooted: a station of a site is given its fallback and its cap."""
    site_id = charge_points.record_boot(charge_point_id, boot, at)
    publish(
        DomainEvent.CHARGE_POINT_BOOTED,
        {
            "charge_point_id": charge_point_id,
            "site_id": site_id,
            "reason": boot.reason,
            "firmware_version": boot.firmware_version,
            "at": at,
        },
    )


def list_charge_points(limit: int, next_token: str | None) -> Page[ChargePoint]:
    return charge_points.list_charge_points(limit, next_token)


def matching(wanted: FleetFilter) -> list[str]:
    """The ids of every charge point the filter matches (a scan: for operations over a fleet)."""
    return [cp.charge_point_id for cp in every_item(charge_points.list_charge_points) if wanted.matches(cp)]


def charge_point_detail(charge_point_id: str) -> ChargePointDetail:
    """Live: the gateway says whether the connection is still there and when it was last active.
    A connection it does not know is a disconnect that was never recorded, and is cleared, unless
    it is still opening: $connect records it before the gateway has it."""
    charge_point = charge_points.registered_charge_point(charge_point_id)
    online, last_seen = False, None
    if charge_point.soap_endpoint is not None:  # no connection: heard within its interval
        from shared.services import soap_stations

        online, last_seen = soap_stations.online(charge_point, utc_now()), charge_point.connected_at
    elif charge_point.connection_id:
        info = connections_at(endpoint_for()).info(charge_point.connection_id)
        now = utc_now()
        opened = charge_point.connected_at
        if info is not None:
            online, last_seen = True, info.last_active_at
        elif opened is not None and now - opened < OPENING:
            online, last_seen = True, opened
        else:
            charge_points.clear_connection(charge_point_id, charge_point.connection_id, now)
    from shared.data import transactions  # the operator's view only, not the handshake's

    active = transactions.sessions_in_progress(charge_point_id)
    return ChargePointDetail(
        charge_point,
        online,
        last_seen,
        [
            ConnectorState(status, _session_at(active, status))
            for status in connectors.connectors_of(charge_point_id)
        ],
    )


def _session_at(
    active: dict[tuple[int | None, int | None], str], status: ConnectorStatusReport
) -> str | None:
    """The session in progress on a connector. A 2.x TransactionEvent may name the EVSE alone: its
    session is then on the EVSE's occupied connector."""
    found = active.get((status.evse_id, status.connector_id))
    if found is None and status.evse_id is not None and status.status != "Available":
        found = active.get((status.evse_id, None))
    return found


def register(
    charge_point_id: str,
    now: datetime,
    password: str | Any | None = UNCHANGED,
    blocked: bool | None = None,
    site_id: str | Any | None = UNCHANGED,
    security_profile: int | None = None,
) -> tuple[ChargePoint, bool]:
    """Registers it, or changes its registration: a password (None removes it),
    blocked or not, its site (None removes it), the security profile it must connect with.
    Whether it is new."""
    if not valid_identity(charge_point_id):
        raise BadRequest(IDENTITY_RULE)
    password_hash = password if password is UNCHANGED or password is None else hash_password(password)
    charge_point, created = charge_points.register_charge_point(
        charge_point_id,
        now,
        password_hash=password_hash,
        blocked=blocked,
        site_id=site_id,
        security_profile=security_profile,
    )
    changed = blocked or password is not UNCHANGED or security_profile is not None
    if charge_point.connection_id and changed:
        # The rule is checked at the handshake: the open connection closes, so it applies now.
        connections_at(endpoint_for()).close(charge_point.connection_id)
    logger.info(
        "Charge point registered" if created else "Charge point updated", extra={"id": charge_point_id}
    )
    return charge_point, created


def deregister(charge_point_id: str) -> None:
    """Its records go, and its connection is closed."""
    charge_point = charge_points.deregister_charge_point(charge_point_id)
    if charge_point.connection_id:
        connections_at(endpoint_for()).close(charge_point.connection_id)


@answers.keeps("Reset")
def reset_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """Kept as the charge point's latest reset answer."""
    from shared.protocol.provisioning import provisioning_codec  # here: the handshake never needs it
    from shared.protocol.versions import profile_for

    asked = provisioning_codec(profile_for(command.ocpp_version)).reset_asked(command)
    answers.keep_latest("reset", command, response, now, asked)
