"""Where botocore, talking to moto in this process, does for every request work that only a
real endpoint needs. In a load run these were a sixth of the runtime's CPU (docs/decisions/0034):

- signing: moto does not check signatures, and the handlers' calls to DynamoDB, EventBridge and
  the connection management API never leave the process, so they go unsigned (presigned URLs,
  which the local /files proxy does check, are signed as before);
- the User-Agent header, which botocore assembles twice per request from its parts: here once
  per client configuration.

Applied by the local runtime only; in Lambda, and in tests of the handlers, botocore runs as it is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from botocore.signers import RequestSigner
from botocore.useragent import UserAgentString

# The services the handlers call on every message, all answered in this process.
UNSIGNED_SERVICES = frozenset({"dynamodb", "eventbridge", "apigatewaymanagementapi"})


@contextlib.contextmanager
def applied() -> Iterator[None]:
    with (
        mock.patch.object(RequestSigner, "sign", _unsigned_in_process()),
        mock.patch.object(UserAgentString, "to_string", _built_once_per_configuration()),
    ):
        yield


def _unsigned_in_process() -> Callable[..., None]:
    original = RequestSigner.sign

    def sign(
        self: RequestSigner,
        operation_name: str,
        request: Any,
        region_name: str | None = None,
        signing_type: str = "standard",
        expires_in: int | None = None,
        signing_name: str | None = None,
    ) -> None:
        if signing_type == "standard" and self._service_id.hyphenize() in UNSIGNED_SERVICES:
            return
        original(self, operation_name, request, region_name, signing_type, expires_in, signing_name)

    return sign


def _built_once_per_configuration() -> Callable[[UserAgentString], str]:
    original = UserAgentString.to_string

    def to_string(self: UserAgentString) -> str:
        kept: tuple[object, str] | None = self.__dict__.get("_built")
        if kept is not None and kept[0] is self._client_config:
            return kept[1]
        built: str = original(self)
        self.__dict__["_built"] = (self._client_config, built)
        return built

    return to_string
