"""Who calls the operator API and what they may do: roles, the permissions each holds, the
principal a credential resolves to, API keys' shape, tenants' ids and what the audit trail keeps.
Plain Python, so that the rules test without AWS (docs/accounts.md states them for people)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal


class Role(StrEnum):
    """The operators' roles from least to most (each holds what the one before it holds, and
    more), and the drivers', outside that ladder: a driver holds only its own account."""

    VIEWER = "viewer"
    TECHNICIAN = "technician"
    OPERATOR = "operator"
    ADMIN = "admin"
    DRIVER = "driver"

    @property
    def rank(self) -> int:
        """Below every operator's for a driver: no operator role is made by or given to one."""
        return -1 if self is Role.DRIVER else list(Role).index(self)


OPERATOR_ROLES = tuple(role for role in Role if role is not Role.DRIVER)


class Permission(StrEnum):
    """What a route needs; the value reads in a refusal: "viewer may not send commands"."""

    ME = "see who it is"  # every role's: GET /me
    READ = "read"
    COMMANDS = "send commands"
    RESETS = "reset stations"
    FIRMWARE = "update firmware"
    LOGS = "collect logs"
    CONFIGURATION = "change configuration"
    SESSIONS = "start and stop sessions"
    ID_TOKENS = "manage id tokens"
    RESERVATIONS = "manage reservations"
    LOCAL_LISTS = "send local lists"
    PROFILES = "manage charging profiles"
    TARIFFS = "manage tariffs"
    SITES = "manage sites"
    REGISTRATION = "register charge points"
    PASSWORDS = "rotate passwords"
    CERTIFICATES = "manage certificates"
    TRUST_ANCHORS = "manage trust anchors"  # the installation's: the platform admin's alone
    VENDORS = "register data-transfer vendors"  # the installation's: the platform admin's alone
    API_KEYS = "manage api keys"
    AUDIT = "read the audit trail"
    DRIVERS = "manage drivers"
    REFUNDS = "refund payments"
    ROAMING = "manage roaming partners"
    TENANTS = "manage tenants"  # the platform admin's alone
    DRIVER_ACCOUNT = "use a driver account"  # a driver's alone: its cards, sessions, receipts


_TECHNICIAN = frozenset(
    {
        Permission.ME,
        Permission.READ,
        Permission.COMMANDS,
        Permission.RESETS,
        Permission.FIRMWARE,
        Permission.LOGS,
        Permission.CONFIGURATION,
    }
)
_OPERATOR = _TECHNICIAN | {
    Permission.SESSIONS,
    Permission.ID_TOKENS,
    Permission.RESERVATIONS,
    Permission.LOCAL_LISTS,
    Permission.PROFILES,
    Permission.DRIVERS,
    Permission.REFUNDS,
}
_ADMIN = _OPERATOR | {
    Permission.TARIFFS,
    Permission.ROAMING,
    Permission.SITES,
    Permission.REGISTRATION,
    Permission.PASSWORDS,
    Permission.CERTIFICATES,
    Permission.TRUST_ANCHORS,
    Permission.VENDORS,
    Permission.API_KEYS,
    Permission.AUDIT,
}
# What changes the whole installation, every tenant's stations alike: its tenants, the trust
# anchors every station's certificates are checked against, the vendors whose DataTransfer
# messages are accepted. A tenant's admin may not; the platform admin may.
PLATFORM_ONLY = frozenset({Permission.TENANTS, Permission.TRUST_ANCHORS, Permission.VENDORS})
# The one table of who may do what (docs/accounts.md shows it; a test holds the two equal).
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.ME, Permission.READ}),
    Role.TECHNICIAN: _TECHNICIAN,
    Role.OPERATOR: frozenset(_OPERATOR),
    Role.ADMIN: frozenset(_ADMIN),
    Role.DRIVER: frozenset({Permission.ME, Permission.DRIVER_ACCOUNT}),
}

PrincipalKind = Literal["token", "user", "key"]
DEFAULT_TENANT = "default"
# The bootstrap token's principal: the platform admin of the local runtime.
BOOTSTRAP = "bootstrap"


@dataclass(frozen=True)
class Principal:
    """Who a request comes from. `tenant_id` None: the platform (every tenant), which only the
    bootstrap token, a platform admin's key and the platform-admin group have."""

    principal: str
    kind: PrincipalKind
    role: Role
    tenant_id: str | None

    @property
    def platform_admin(self) -> bool:
        return self.role is Role.ADMIN and self.tenant_id is None

    def may(self, permission: Permission) -> bool:
        if permission in PLATFORM_ONLY:
            return self.platform_admin
        return permission in ROLE_PERMISSIONS[self.role]


def refusal(principal: Principal, permission: Permission) -> str:
    """The reason a 403 gives: "viewer may not send commands"."""
    return f"{principal.role.value} may not {permission.value}"


# --- Tenants ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tenant:
    tenant_id: str
    name: str
    created_at: datetime | None  # None: the default tenant, which exists without a record


# --- API keys --------------------------------------------------------------------------------

KEY_PREFIX = "csk"
_KEY = re.compile(r"^csk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$")


@dataclass(frozen=True)
class ApiKey:
    """An integration's credential, or a driver's (`driver_id`, role driver): only the SHA-256
    of the key is kept."""

    api_key_id: str
    name: str
    role: Role
    tenant_id: str | None
    key_hash: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    driver_id: str | None = None

    def valid_at(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


def new_key() -> tuple[str, str]:
    """A key's id and the key itself (`csk_<id>_<32 random bytes>`): the id finds its record, the
    secret proves it."""
    api_key_id = secrets.token_hex(8)
    return api_key_id, f"{KEY_PREFIX}_{api_key_id}_{secrets.token_urlsafe(32)}"


def key_id_of(key: str) -> str | None:
    """The id a well-formed key names, or None for anything else (a JWT, a token, junk)."""
    found = _KEY.match(key)
    return found.group(1) if found else None


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(key_hash(key), stored_hash)


# --- The audit trail ------------------------------------------------------------------------

AUDIT_RETENTION_DAYS = 400
CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Path segments that are names of collections or actions, not ids (everything else is an id).
_PLACEHOLDER = re.compile(r"^<[a-z_]+>$")


@dataclass(frozen=True)
class AuditEntry:
    """One request that changed something or was refused: who, from where, what, the outcome.
    Never a body, a password, a key or a certificate."""

    at: datetime
    principal: str
    kind: str
    role: str
    tenant_id: str | None
    source_ip: str
    method: str
    path: str
    resource: str
    status: int
    request_id: str


def audited(method: str, status: int) -> bool:
    """A change (whatever its outcome) or a refusal is kept; a read that was let in is not."""
    return method.upper() in CHANGING_METHODS or status in (401, 403)


def resource_of(rule: str | None, path: str) -> str:
    """The ids a path names, joined by "/": the segments where the route's rule has a
    placeholder (`/charge-points/<charge_point_id>/reset` on `/charge-points/CP1/reset` is
    `CP1`). No rule (an unknown route or a refusal before routing): every segment but the first."""
    parts = [part for part in path.split("/") if part]
    if rule is None:
        return "/".join(parts[1:])
    names = [part for part in rule.split("/") if part]
    return "/".join(value for name, value in zip(names, parts, strict=False) if _PLACEHOLDER.match(name))
