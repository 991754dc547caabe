"""Who may open an OCPP connection, and with which version: the authorizer's rules, free of AWS."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from shared.domain.accounts import DEFAULT_TENANT
from shared.domain.client_certificates import ClientCertificate, IdentityAttribute
from shared.domain.passwords import NO_PASSWORD, verify_password
from shared.domain.provisioning import valid_identity


class Verdict(Enum):
    ALLOW = "allow"
    DENY = "deny"  # 403
    UNAUTHORIZED = "unauthorized"  # 401: credentials missing or wrong


@dataclass(frozen=True)
class Handshake:
    charge_point_id: str | None
    subprotocols: list[str]
    authorization: str | None
    origin_secret: str | None
    version: str | None  # the newest OCPP version offered that the CSMS speaks, if any
    secure: bool = True  # over TLS (wss://), as the edge says
    certificate: ClientCertificate | None = None  # the client certificate the edge verified


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    reason: str
    version: str | None = None
    register: bool = False  # admit a charge point seen for the first time
    # Whose the admitted charge point is, for the connection's every message (none refused)
    tenant_id: str | None = None


class Registration(Protocol):
    @property
    def blocked(self) -> bool: ...
    @property
    def password_hash(self) -> str | None: ...
    @property
    def security_profile(self) -> int: ...
    @property
    def revoked_serials(self) -> frozenset[str]: ...
    @property
    def previous_password_hash(self) -> str | None: ...
    @property
    def previous_password_until(self) -> datetime | None: ...
    @property
    def tenant_id(self) -> str | None: ...


def admit(
    handshake: Handshake,
    lookup: Callable[[str], Registration | None],
    auto_register: bool,
    expected_origin_secret: str,
    now: datetime | None = None,
    certificate_identity: IdentityAttribute = IdentityAttribute.COMMON_NAME,
) -> Decision:
    """The security profiles: 1 HTTP Basic; 2 HTTP Basic over TLS; 3 a client certificate
    over TLS, whose subject names the charge point (shared.domain.client_certificates), in
    place of a password, and only one whose extended key usage is client authentication. A
    certificate is checked whenever one is presented: one naming another charge point is
    refused, whatever the profile."""
    if expected_origin_secret and not hmac.compare_digest(
        (handshake.origin_secret or "").encode(), expected_origin_secret.encode()
    ):
        return Decision(Verdict.DENY, "handshake did not come through the edge")
    identity = handshake.charge_point_id
    if not identity or not valid_identity(identity):
        return Decision(Verdict.DENY, "missing or malformed charge point identity")
    version = handshake.version
    if version is None:
        return Decision(Verdict.DENY, f"no supported OCPP subprotocol offered: {handshake.subprotocols!r}")

    certificate = handshake.certificate
    if certificate is not None:
        named = certificate.identity(certificate_identity)
        if named != identity:
            return Decision(Verdict.DENY, f"client certificate names {named!r}, not this charge point")
        if now is not None and not certificate.valid_at(now):
            return Decision(Verdict.DENY, "client certificate expired or not yet valid")

    record = lookup(identity)
    # Without its serial number (an edge that does not forward it) a revoked one could pass.
    revoked = record.revoked_serials if record is not None else frozenset()
    if certificate is not None and revoked and (certificate.serial is None or certificate.serial in revoked):
        return Decision(Verdict.DENY, "client certificate revoked, or its serial number unknown")
    if record is None and auto_register:
        return Decision(Verdict.ALLOW, "registered on first connect", version, True, DEFAULT_TENANT)
    profile = record.security_profile if record is not None else 1
    if profile >= 2 and not handshake.secure:
        return Decision(Verdict.DENY, f"security profile {profile} needs TLS (wss://)")
    if profile >= 3 and certificate is None:
        return Decision(Verdict.UNAUTHORIZED, "security profile 3 needs a client certificate")
    if profile >= 3 and certificate is not None and not certificate.for_client_auth:
        # A V2G (TLS server) leaf, or one whose usage the edge did not tell, is no credential.
        return Decision(Verdict.DENY, "client certificate is not for client authentication (clientAuth)")
    certified = profile >= 3  # the certificate, checked above, is the credential
    if not certified and (record is None or record.password_hash):
        # An unknown id is answered as one with a password would be, after as long a check, so
        # that no answer tells which ids are registered.
        credentials = basic_credentials(handshake.authorization)
        if credentials is None:
            return Decision(Verdict.UNAUTHORIZED, "Basic credentials required")
        username, password = credentials
        right = verify_password(password, (record.password_hash if record else None) or NO_PASSWORD)
        if not right and record is not None and _previous_good(record, now):
            # The password before a rotation, while the station may not have taken the new one.
            right = verify_password(password, record.previous_password_hash or NO_PASSWORD)
        if record is None or username != identity or not right:
            return Decision(Verdict.UNAUTHORIZED, "unknown charge point or wrong Basic credentials")
    if record is None or record.blocked:
        return Decision(Verdict.DENY, "charge point is blocked")
    return Decision(Verdict.ALLOW, "registered", version, tenant_id=record.tenant_id or DEFAULT_TENANT)


def basic_credentials(header: str | None) -> tuple[str, str] | None:
    if not header or not header.lower().startswith("basic "):
        return None
    try:
        decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def _previous_good(record: Registration, now: datetime | None) -> bool:
    until = record.previous_password_until
    return bool(record.previous_password_hash) and now is not None and until is not None and now < until
