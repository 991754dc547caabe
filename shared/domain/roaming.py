"""Roaming over OCPI 2.2.1, the CSMS as a CPO: partners (eMSPs and hubs), their credentials
tokens, OCPI's envelope, status codes and pagination, and the CSMS's sites, stations and
connectors in OCPI's words. Plain Python; docs/roaming.md, decision 0047."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.domain.availability import ConnectorStatusReport
from shared.domain.timestamps import format_timestamp

VERSION = "2.2.1"
# OCPI status codes (transport_and_format, "Status codes").
SUCCESS = 1000
CLIENT_ERROR = 2000
INVALID_PARAMETERS = 2001
NOT_ENOUGH_INFORMATION = 2002
UNKNOWN_LOCATION = 2003
SERVER_ERROR = 3000
UNABLE_TO_USE_CLIENT_API = 3001
UNSUPPORTED_VERSION = 3002
NO_MATCHING_ENDPOINTS = 3003
# A page is at most this many objects, whatever `limit` a partner asks for.
MAX_PAGE = 100
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
PARTY_ID = re.compile(r"^[A-Z0-9]{3}$")


class PartnerRole(StrEnum):
    EMSP = "EMSP"
    HUB = "HUB"


class PartnerStatus(StrEnum):
    PENDING = "PENDING"  # token A handed out, the partner has not registered yet
    REGISTERED = "REGISTERED"  # credentials exchanged: the partner calls with token C
    SUSPENDED = "SUSPENDED"  # an operator stopped it: its calls are refused
    UNREGISTERED = "UNREGISTERED"  # the partner deleted its credentials


class TokenKind(StrEnum):
    A = "A"  # for registration only
    C = "C"  # the partner's token to call the CSMS after registration


@dataclass(frozen=True)
class Partner:
    partner_id: str
    name: str
    country_code: str
    party_id: str
    role: PartnerRole
    status: PartnerStatus
    created_at: datetime
    tenant_id: str | None = None
    # What the partner told at registration: its versions URL, the version's module endpoints
    # ({identifier, role, url}), and its roles (country code, party id, role, name).
    versions_url: str | None = None
    endpoints: tuple[dict[str, str], ...] = ()
    roles: tuple[dict[str, Any], ...] = ()
    # The secret that holds token B (the CSMS's token to call the partner), never the token.
    token_b_secret: str | None = None
    last_error: str | None = None
    updated_at: datetime | None = None


def problems(name: str, country_code: str, party_id: str) -> list[str]:
    found = []
    if not name.strip():
        found.append("name is empty")
    if not COUNTRY_CODE.match(country_code):
        found.append("countryCode is ISO 3166-1 alpha-2, upper case")
    if not PARTY_ID.match(party_id):
        found.append("partyId is 3 upper-case letters or digits (ISO 15118)")
    return found


class OcpiError(Exception):
    """A request OCPI refuses: its HTTP status, its OCPI status code and the reason."""

    def __init__(self, http_status: int, status_code: int, message: str) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.status_code = status_code
        self.message = message


def unauthorized(reason: str) -> OcpiError:
    """A missing, unknown or revoked token: HTTP 401, OCPI's generic client error."""
    return OcpiError(401, CLIENT_ERROR, reason)


def new_token() -> str:
    """A credentials token: 32 random bytes, URL-safe, printable ASCII as OCPI asks."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored of a token the partner presents: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def token_of(authorization: str | None) -> str:
    """The token in `Authorization: Token <base64 of the token>` (2.2.1). A token that is not
    Base64 is taken as it is, as 2.1.1 partners send it."""
    if not authorization:
        raise unauthorized("Authorization header missing")
    scheme, _, value = authorization.strip().partition(" ")
    value = value.strip()
    if scheme.lower() != "token" or not value:
        raise unauthorized("Authorization is 'Token <base64 token>'")
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return value
    return decoded if decoded.isprintable() and decoded else value


def authorization_of(token: str) -> str:
    """The header the CSMS sends with token B."""
    return "Token " + base64.b64encode(token.encode()).decode()


def envelope(
    data: Any, now: datetime, status_code: int = SUCCESS, message: str | None = None
) -> dict[str, Any]:
    """OCPI's response object."""
    body: dict[str, Any] = {"status_code": status_code, "timestamp": format_timestamp(now)}
    if data is not None:
        body["data"] = data
    body["status_message"] = message or ("Success" if status_code == SUCCESS else "Refused")
    return body


@dataclass(frozen=True)
class Window:
    """A page a partner asks for: `offset`, `limit`, `date_from` (inclusive), `date_to` (exclusive)."""

    offset: int = 0
    limit: int = MAX_PAGE
    date_from: datetime | None = None
    date_to: datetime | None = None

    def admits(self, moment: datetime | None) -> bool:
        if moment is None:
            return self.date_from is None and self.date_to is None
        if self.date_from is not None and moment < self.date_from:
            return False
        return self.date_to is None or moment < self.date_to


@dataclass(frozen=True)
class Paged:
    """One page of a list, with what the pagination headers say."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    next_offset: int | None = None


def page(items: list[dict[str, Any]], window: Window) -> Paged:
    """A slice of the whole (filtered) list."""
    chosen = items[window.offset : window.offset + window.limit]
    after = window.offset + len(chosen)
    return Paged(chosen, len(items), window.limit, after if after < len(items) else None)


def pagination_headers(paged: Paged, url: str, query: dict[str, str]) -> dict[str, str]:
    """`X-Total-Count`, `X-Limit`, and `Link` to the next page when there is one."""
    headers = {"X-Total-Count": str(paged.total), "X-Limit": str(paged.limit)}
    if paged.next_offset is not None:
        kept = {k: v for k, v in query.items() if k not in ("offset", "limit")}
        kept |= {"offset": str(paged.next_offset), "limit": str(paged.limit)}
        joined = "&".join(f"{k}={v}" for k, v in kept.items())
        headers["Link"] = f'<{url}?{joined}>; rel="next"'
    return headers


# OCPP connector statuses (1.6 and 2.x) as OCPI EVSE statuses.
_STATUS = {
    "Available": "AVAILABLE",
    "Preparing": "AVAILABLE",
    "Occupied": "CHARGING",
    "Charging": "CHARGING",
    "SuspendedEV": "CHARGING",
    "SuspendedEVSE": "CHARGING",
    "Finishing": "BLOCKED",
    "Reserved": "RESERVED",
    "Unavailable": "INOPERATIVE",
    "Faulted": "OUTOFORDER",
}


def evse_status(ocpp_status: str | None) -> str:
    return _STATUS.get(ocpp_status or "", "UNKNOWN")


@dataclass(frozen=True)
class Place:
    """Where a site is, as OCPI's Location needs it (the site's optional `place`)."""

    address: str
    city: str
    country: str  # ISO 3166-1 alpha-3
    latitude: float
    longitude: float
    time_zone: str
    name: str | None = None
    postal_code: str | None = None

    def problems(self) -> list[str]:
        found = []
        if not re.match(r"^[A-Z]{3}$", self.country):
            found.append("place.country is ISO 3166-1 alpha-3, upper case")
        if not -90 <= self.latitude <= 90 or not -180 <= self.longitude <= 180:
            found.append("place.latitude is -90 to 90 and place.longitude -180 to 180")
        return found


@dataclass(frozen=True)
class Station:
    """A charge point as a location's EVSEs are made of it."""

    charge_point_id: str
    connectors: tuple[ConnectorStatusReport, ...] = ()
    max_amps: float = 32.0
    voltage: float = 230.0
    phases: int = 3


def _coordinate(value: float) -> str:
    return f"{value:.6f}"


def _evse_number(report: ConnectorStatusReport) -> int:
    return report.evse_id if report.evse_id is not None else report.connector_id


def location_of(
    site_id: str,
    place: Place,
    stations: list[Station],
    country_code: str,
    party_id: str,
    updated_at: datetime,
) -> dict[str, Any]:
    """A site as an OCPI Location: an EVSE per EVSE (1.6: per connector), its connectors AC
    type 2 sockets at the site's voltage and the station's current (what the CSMS does not
    record of a connector is the common case in Europe; docs/roaming.md)."""
    evses = []
    for station in stations:
        by_evse: dict[int, list[ConnectorStatusReport]] = {}
        for report in station.connectors:
            if report.connector_id == 0 and report.evse_id is None:
                continue  # 1.6's connector 0: the charge point itself
            by_evse.setdefault(_evse_number(report), []).append(report)
        for number, reports in sorted(by_evse.items()):
            newest = max(r.timestamp for r in reports)
            evses.append(
                {
                    "uid": f"{station.charge_point_id}-{number}",
                    "evse_id": emi3_evse_id(country_code, party_id, station.charge_point_id, number),
                    "status": evse_status(max(reports, key=lambda r: r.timestamp).status),
                    "connectors": [
                        {
                            "id": str(report.connector_id if report.evse_id is not None else 1),
                            "standard": "IEC_62196_T2",
                            "format": "SOCKET",
                            "power_type": "AC_3_PHASE" if station.phases == 3 else "AC_1_PHASE",
                            "max_voltage": int(station.voltage),
                            "max_amperage": int(station.max_amps),
                            "last_updated": format_timestamp(report.timestamp),
                        }
                        for report in sorted(reports, key=lambda r: r.connector_id)
                    ],
                    "last_updated": format_timestamp(newest),
                }
            )
    location: dict[str, Any] = {
        "country_code": country_code,
        "party_id": party_id,
        "id": site_id,
        "publish": True,
        "address": place.address,
        "city": place.city,
        "country": place.country,
        "coordinates": {"latitude": _coordinate(place.latitude), "longitude": _coordinate(place.longitude)},
        "evses": evses,
        "time_zone": place.time_zone,
        "last_updated": format_timestamp(updated_at),
    }
    if place.name:
        location["name"] = place.name
    if place.postal_code:
        location["postal_code"] = place.postal_code
    return location


def emi3_evse_id(country_code: str, party_id: str, charge_point_id: str, evse: int) -> str:
    """The EVSE's id in the eMI3 form `<country>*<operator>*E<id>`: the charge point's id kept
    to the characters the form allows."""
    power_outlet = re.sub(r"[^A-Za-z0-9*]", "", charge_point_id).upper() or "CP"
    return f"{country_code}*{party_id}*E{power_outlet}*{evse}"[:48]


@dataclass(frozen=True)
class Endpoint:
    identifier: str
    role: str  # SENDER or RECEIVER, the CSMS's role in the module
    path: str


# The modules this CSMS serves in 2.2.1, as the version details list them.
ENDPOINTS = (
    Endpoint("credentials", "SENDER", "credentials"),
    Endpoint("locations", "SENDER", "locations"),
    Endpoint("tariffs", "SENDER", "tariffs"),
    Endpoint("cdrs", "SENDER", "cdrs"),
)


@dataclass(frozen=True)
class OwnRoles:
    """Who the CSMS is to a partner (its credentials' `roles`)."""

    country_code: str
    party_id: str
    name: str
    roles: tuple[str, ...] = field(default=("CPO",))

    def as_json(self) -> list[dict[str, Any]]:
        return [
            {
                "role": role,
                "business_details": {"name": self.name},
                "party_id": self.party_id,
                "country_code": self.country_code,
            }
            for role in self.roles
        ]
