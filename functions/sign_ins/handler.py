"""Cognito's post-authentication trigger on the operators' pool: each sign-in is kept in the
audit trail (locally, where nobody signs in, the bootstrap token's and the keys' requests stand
for it). Cognito waits for the answer: the event goes back as it came. The role is
not known here (it is read from the groups in each token the user sends)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.accounts import AuditEntry
from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.accounts import audit


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    attributes = (event.get("request") or {}).get("userAttributes") or {}
    user = str(event.get("userName") or "")
    audit.record(
        AuditEntry(
            at=utc_now(),
            principal=user,
            kind="user",
            role="",  # the groups, and so the role, are read from each token the user sends
            tenant_id=attributes.get("custom:tenantId"),
            source_ip="",
            method="SIGN-IN",
            path=f"cognito:{event.get('userPoolId', '')}",
            resource=user,
            status=200,
            request_id=str(getattr(context, "aws_request_id", "")),
        )
    )
    return event
