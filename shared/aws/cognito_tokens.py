"""Cognito's tokens checked as API Gateway's JWT authorizer checked them: signed by one of the
user pool's published keys (fetched once per process, and again for a key id not seen), issued
by the pool, unexpired, and given to one of the API's app clients. PyJWT (with the crypto it
loads) is imported on the first token checked: 175 ms that the operator API, which reads the
authorizer's answer, and every caller with a key or the token never pay."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jwt


@lru_cache(maxsize=4)
def _keys(url: str) -> jwt.PyJWKClient:
    import jwt

    return jwt.PyJWKClient(url, cache_keys=True, lifespan=3600, timeout=5)


def issuer(region: str, user_pool_id: str) -> str:
    return f"https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"


def pool_of(token: str) -> str | None:
    """The user pool a token says it is from (its `iss`, unverified: it only chooses whose keys
    check it, so that a token of one pool never makes the other's keys be fetched again)."""
    import jwt

    try:
        claimed = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return None
    issuer = claimed.get("iss")
    return issuer.rsplit("/", 1)[-1] if isinstance(issuer, str) and "/" in issuer else None


def verified_claims(
    token: str, region: str, user_pool_id: str, clients: frozenset[str]
) -> dict[str, Any] | None:
    """The claims of a valid access or ID token of one of `clients`; None for anything else."""
    import jwt

    expected = issuer(region, user_pool_id)
    try:
        key = _keys(f"{expected}/.well-known/jwks.json").get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=["RS256"],
            issuer=expected,
            options={"verify_aud": False, "require": ["exp", "iat", "iss", "token_use"]},
        )
    except jwt.PyJWTError:
        return None
    use = claims.get("token_use")
    client = claims.get("client_id") if use == "access" else claims.get("aud")
    if use not in ("access", "id") or client not in clients:
        return None
    return claims
