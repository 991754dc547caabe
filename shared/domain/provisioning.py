"""Provisioning: a charge point, its identity, and what it says of itself when it boots,
whatever its OCPP version."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.domain.availability import ConnectorStatusReport
from shared.domain.configuration import ReportProgress

# OCPP: the identity is at most 48 characters, from the URL-unreserved set (no ':' so that it
# can be a Basic-auth username).
_IDENTITY = re.compile(r"^[A-Za-z0-9._~\-*|@]{1,48}$")


def valid_identity(identity: str) -> bool:
    """URL-unreserved characters, and not a path step ("." or "..")."""
    return bool(_IDENTITY.match(identity)) and identity not in (".", "..")


UNCHANGED: Any = object()
"""Passed for a registration field: leave the stored value as it is."""


class RegistrationStatus(StrEnum):
    ACCEPTED = "Accepted"
    PENDING = "Pending"
    REJECTED = "Rejected"


@dataclass(frozen=True)
class BootInfo:
    """A BootNotification's facts about the station."""

    vendor: str
    model: str
    serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    reason: str | None = None  # 2.x only: why it booted


@dataclass(frozen=True)
class ChargePoint:
    """A registered charge point: its registration, its latest boot and its connection."""

    charge_point_id: str
    registered_at: datetime | None = None
    blocked: bool = False
    password_hash: str | None = None
    # The OCPP security profile it must connect with: 1 Basic, 2 TLS and Basic, 3 TLS and a
    # client certificate (shared.domain.admission)
    security_profile: int = 1
    # Serial numbers (serial_hex) of client certificates no longer to admit it: revoked
    revoked_serials: frozenset[str] = frozenset()
    # The password before the latest rotation, still good until then (a reconnect in flight)
    previous_password_hash: str | None = None
    previous_password_until: datetime | None = None
    # From the latest BootNotification
    vendor: str | None = None
    model: str | None = None
    serial_number: str | None = None
    firmware_version: str | None = None
    iccid: str | None = None
    imsi: str | None = None
    boot_reason: str | None = None
    last_boot_at: datetime | None = None
    # The current connection, absent while offline
    ocpp_version: str | None = None
    connection_id: str | None = None
    connected_at: datetime | None = None
    disconnected_at: datetime | None = None
    # What answers to operator commands told: the latest of each kind
    availability_result: dict[str, Any] | None = None
    reset_result: dict[str, Any] | None = None
    unlock_result: dict[str, Any] | None = None
    local_list_version: int | None = None
    # The site it belongs to (tariffs by site, load balancing)
    site_id: str | None = None
    # The one CSMS call it has not answered yet
    outstanding_command: str | None = None
    # Which parts of its latest device model report (2.x) arrived
    configuration_report: ReportProgress | None = None
    # The tenant it belongs to (None: the default tenant)
    tenant_id: str | None = None

    @property
    def connected(self) -> bool:
        return self.connection_id is not None and self.ocpp_version is not None

    @property
    def soap_endpoint(self) -> str | None:
        """Where a SOAP station (OCPP 1.5) takes the CSMS's calls; None for a WebSocket one."""
        return soap_endpoint(self.connection_id)

    def heard_within(self, now: datetime, seconds: int) -> bool:
        """A SOAP station holds no connection: it is online while it was heard from within its
        heartbeat interval (its `connected_at` is when it was last heard)."""
        return self.connected_at is not None and (now - self.connected_at).total_seconds() <= seconds


# A SOAP station's "connection" is where it takes calls (its WS-Addressing From), marked so that
# nothing hands it to the WebSocket connection management API.
SOAP_CONNECTION = "soap:"


def soap_connection(endpoint: str) -> str:
    return SOAP_CONNECTION + endpoint


def soap_endpoint(connection_id: str | None) -> str | None:
    if connection_id is None or not connection_id.startswith(SOAP_CONNECTION):
        return None
    return connection_id.removeprefix(SOAP_CONNECTION)


@dataclass(frozen=True)
class FleetFilter:
    """Which charge points an operation over many means: each given field must match (vendor
    and model without regard to case)."""

    site_id: str | None = None
    vendor: str | None = None
    model: str | None = None
    ocpp_version: str | None = None
    connected: bool | None = None

    def matches(self, charge_point: ChargePoint) -> bool:
        def same(wanted: str | None, value: str | None) -> bool:
            return wanted is None or (value or "").casefold() == wanted.casefold()

        return (
            (self.site_id is None or charge_point.site_id == self.site_id)
            and same(self.vendor, charge_point.vendor)
            and same(self.model, charge_point.model)
            and (self.ocpp_version is None or charge_point.ocpp_version == self.ocpp_version)
            and (self.connected is None or charge_point.connected == self.connected)
        )


@dataclass(frozen=True)
class ConnectorState:
    status: ConnectorStatusReport
    active_transaction_id: str | None


@dataclass(frozen=True)
class ChargePointDetail:
    """A charge point as an operator looks at it: live, with its connectors."""

    charge_point: ChargePoint
    online: bool
    last_seen_at: datetime | None
    connectors: list[ConnectorState]


@dataclass(frozen=True)
class NetworkSlot:
    """Where a 2.x station keeps a connection profile (SetNetworkProfile) and what it says:
    the CSMS's URL without the identity, the interface, and the slots in the order to try."""

    slot: int
    csms_url: str
    interface: str = "Wired0"
    message_timeout_s: int = 30
    priority: str = ""  # NetworkConfigurationPriority, the new slot first
