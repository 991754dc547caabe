"""The operator API's Lambda authorizer (HTTP API, REQUEST type, simple responses): who the
Authorization header names, handed to the API as context. API Gateway keeps each answer for 60 s
per header value, which bounds how long a revoked or expired key (or a user's token) still
opens the API. An unknown credential is let through with an empty principal, so that the API
itself answers 401 with its reason and keeps the refusal in the audit trail."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger
from shared.services.accounts import principals


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    headers = event.get("headers") or {}
    principal = principals.resolve(headers.get("authorization"), utc_now())
    return {"isAuthorized": True, "context": principals.as_context(principal)}
