"""The OCPI interface's front: who is calling (by its token), the versions and their modules,
and the credentials module (registration with token A, rotation, unregistration)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from shared.aws import outside, secrets
from shared.data import roaming
from shared.domain.errors import Conflict
from shared.domain.roaming import (
    CLIENT_ERROR,
    ENDPOINTS,
    NO_MATCHING_ENDPOINTS,
    UNABLE_TO_USE_CLIENT_API,
    UNSUPPORTED_VERSION,
    VERSION,
    OcpiError,
    OwnRoles,
    Partner,
    PartnerStatus,
    TokenKind,
    authorization_of,
    new_token,
    token_hash,
    token_of,
    unauthorized,
)
from shared.grants import grants
from shared.protocol import ocpi
from shared.settings import get_settings

# The partner's token B, one secret per registration or rotation (made, never changed; read by
# the pushes to come, which will declare it).
SECRETS = "roaming/"
GRANTS = grants(
    reads=("roaming-partners", "roaming-tokens"),
    writes=("roaming-partners", "roaming-tokens"),
    secrets_made=(SECRETS,),
)
# What a partner's versions answer may weigh.
MAX_ANSWER_BYTES = 256 * 1024


def caller(authorization: str | None, registering: bool = False) -> tuple[Partner, TokenKind, str]:
    """The partner whose token this is, the token's kind and the token itself. Token A admits
    the versions and the registration only; a suspended or unregistered partner is refused."""
    token = token_of(authorization)
    found = roaming.partner_by_token(token_hash(token))
    if found is None:
        raise unauthorized("Unknown token")
    partner, kind = found
    if partner.status in (PartnerStatus.SUSPENDED, PartnerStatus.UNREGISTERED):
        raise unauthorized("The partner's access is revoked")
    if kind is TokenKind.A and not registering:
        raise unauthorized("Token A admits the versions and the registration only")
    return partner, kind, token


def versions(base: str) -> list[dict[str, Any]]:
    return [ocpi.checked(ocpi.Version, {"version": VERSION, "url": f"{base}/{VERSION}"})]


def version_details(base: str) -> dict[str, Any]:
    endpoints = [
        {"identifier": e.identifier, "role": e.role, "url": f"{base}/{VERSION}/{e.path}"} for e in ENDPOINTS
    ]
    return ocpi.checked(ocpi.VersionDetails, {"version": VERSION, "endpoints": endpoints})


def own_credentials(token: str, base: str) -> dict[str, Any]:
    settings = get_settings()
    roles = OwnRoles(settings.ocpi_country_code, settings.ocpi_party_id, settings.ocpi_business_name)
    value = {"token": token, "url": f"{base}/versions", "roles": roles.as_json()}
    return ocpi.checked(ocpi.Credentials, value)


def register(
    partner: Partner,
    kind: TokenKind,
    presented: str,
    body: Any,
    base: str,
    now: datetime,
    rotating: bool = False,
) -> dict[str, Any]:
    """POST (with token A: registration) or PUT (`rotating`, with token C): the partner's
    credentials read, its versions fetched with its token B, a new token C issued in place of
    the presented one. A POST once registered, or a PUT before, is 405 as OCPI says."""
    if rotating and kind is TokenKind.A:
        raise OcpiError(405, CLIENT_ERROR, "Not registered yet: POST to register")
    if not rotating and kind is TokenKind.C:
        raise OcpiError(405, CLIENT_ERROR, "Registered already: PUT to rotate")
    try:
        theirs = ocpi.read_credentials(body)
    except ocpi.Malformed as error:
        raise OcpiError(400, 2001, str(error)) from None
    if not any(
        r.country_code == partner.country_code and r.party_id == partner.party_id for r in theirs.roles
    ):
        raise OcpiError(400, 2001, f"roles name no party {partner.country_code}*{partner.party_id}")
    try:
        endpoints = _endpoints(theirs.url, theirs.token)
    except OcpiError as error:
        roaming.record_error(partner.partner_id, error.message, now)
        raise
    secret = f"{SECRETS}{partner.partner_id}/{uuid.uuid4().hex[:12]}"
    secrets.create_json_secret(secret, {"token": theirs.token})
    token_c = new_token()
    told = {
        "versions_url": theirs.url,
        "endpoints": endpoints,
        "roles": [r.model_dump(exclude_none=True) for r in theirs.roles],
        "token_b_secret": secret,
    }
    try:
        roaming.replace_token(
            partner, token_hash(presented), token_hash(token_c), PartnerStatus.REGISTERED, now, told
        )
    except Conflict as error:
        raise OcpiError(409, 2000, error.message) from None
    return own_credentials(token_c, base)


def unregister(partner: Partner, presented: str, now: datetime) -> None:
    """DELETE: the token stops working; the operator hands a new token A to register again."""
    roaming.drop_token(partner.partner_id, token_hash(presented), PartnerStatus.UNREGISTERED, now)


def _endpoints(versions_url: str, token_b: str) -> list[dict[str, str]]:
    """The partner's 2.2.1 module endpoints, from its versions and version details."""
    listed = _get(versions_url, token_b)
    if not isinstance(listed, list):
        raise OcpiError(400, UNABLE_TO_USE_CLIENT_API, "The partner's versions are not a list")
    urls = [v.get("url") for v in listed if isinstance(v, dict) and v.get("version") == VERSION]
    if not urls or not isinstance(urls[0], str):
        raise OcpiError(400, UNSUPPORTED_VERSION, f"The partner offers no OCPI {VERSION}")
    details = _get(urls[0], token_b)
    endpoints = details.get("endpoints") if isinstance(details, dict) else None
    if not isinstance(endpoints, list) or not endpoints:
        raise OcpiError(400, NO_MATCHING_ENDPOINTS, "The partner's version details list no endpoints")
    return [
        {"identifier": str(e.get("identifier")), "role": str(e.get("role")), "url": str(e.get("url"))}
        for e in endpoints
        if isinstance(e, dict)
    ]


def _get(url: str, token_b: str) -> Any:
    settings = get_settings()
    headers = {"Authorization": authorization_of(token_b), "X-Request-ID": str(uuid.uuid4())}
    try:
        raw = outside.fetch(
            url, None, headers, settings.outside_timeout_s, MAX_ANSWER_BYTES, settings.outside_private_allowed
        )
        answer = json.loads(raw)
    except (outside.Refused, ValueError) as error:
        raise OcpiError(400, UNABLE_TO_USE_CLIENT_API, f"The partner's {url[:200]} failed: {error}") from None
    if not isinstance(answer, dict) or answer.get("status_code") != 1000:
        raise OcpiError(
            400, UNABLE_TO_USE_CLIENT_API, f"The partner's {url[:200]} did not answer with success"
        )
    return answer.get("data")
