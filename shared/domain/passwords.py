"""Basic-auth passwords of charge points, kept only as salted PBKDF2 hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 120_000

# OCPP security profiles 1 and 2: the password is 16 to 40 characters.
MIN_LENGTH = 16
MAX_LENGTH = 40
# Printable ASCII without the space: what HTTP Basic carries the same on every station (a NUL
# or a non-ASCII letter is encoded differently by different stacks, and the station locked out).
PATTERN = r"^[!-~]+$"


# What a view shows in place of a password a command carries.
REDACTED = "********"
_ALPHABET = string.ascii_letters + string.digits


def generate_password(length: int = 32) -> str:
    """A strong password any charge point takes: letters and digits only, within 1.6's and
    2.x's bounds."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def hash_password(password: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _ITERATIONS).hex()
    return f"{_ALGORITHM}${_ITERATIONS}${salt}${digest}"


# A hash no password matches: checking a guess against it costs what a real check costs, so the
# time of an answer does not tell a registered id from an unknown one.
NO_PASSWORD = f"{_ALGORITHM}${_ITERATIONS}${'0' * 32}${'0' * 64}"


def verify_password(password: str, stored: str) -> bool:
    try:
        algorithm, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algorithm != _ALGORITHM:
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)
