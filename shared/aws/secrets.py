"""Secrets Manager: the credentials the CSMS holds for systems outside it (an OpenADR VTN's
client id and secret). Read when needed, cached for the life of the container."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from shared.aws.clients import make_client
from shared.settings import get_settings

# Every secret the CSMS reads is named under this prefix; the stack grants reading no other.
PREFIX = "csms/"
# The CSMS's CA: certificate, key and chain as PEM (shared.services.certificates.station_certificates).
CERTIFICATE_AUTHORITY = "certificate-authority"


class SecretMissing(LookupError):
    pass


@lru_cache(maxsize=1)
def _client() -> Any:
    return make_client("secretsmanager", get_settings().region)


@lru_cache(maxsize=32)
def json_secret(name: str) -> dict[str, Any]:
    """The secret `csms/{name}`, a JSON object."""
    try:
        raw = _client().get_secret_value(SecretId=PREFIX + name)["SecretString"]
        found = json.loads(raw)
    except (BotoCoreError, ClientError, KeyError, json.JSONDecodeError) as error:
        raise SecretMissing(f"secret {PREFIX + name}: {error}") from None
    if not isinstance(found, dict):
        raise SecretMissing(f"secret {PREFIX + name} is not a JSON object")
    return found


def create_json_secret(name: str, value: dict[str, Any]) -> bool:
    """Made once: False when it exists already (another caller made it first, or an operator
    put their own there), which the caller then reads."""
    client = _client()
    try:
        client.create_secret(Name=PREFIX + name, SecretString=json.dumps(value))
    except client.exceptions.ResourceExistsException:
        return False
    json_secret.cache_clear()
    return True


def put_json_secret(name: str, value: dict[str, Any]) -> None:
    """Locally only: the runtime keeps the credentials it is given where the VEN reads them."""
    client = _client()
    try:
        client.create_secret(Name=PREFIX + name, SecretString=json.dumps(value))
    except client.exceptions.ResourceExistsException:
        client.put_secret_value(SecretId=PREFIX + name, SecretString=json.dumps(value))
    json_secret.cache_clear()
