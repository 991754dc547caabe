"""$connect REQUEST authorizer: identity, credentials and subprotocol.

In the cloud the edge moves the identity from the URL path into the `chargePointId` query
parameter (an API Gateway WebSocket URL can carry nothing after the stage), and adds the
origin secret header; the local runtime does the same.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.aws.websocket_events import (
    CONTEXT_CHARGE_POINT,
    CONTEXT_REGISTER,
    CONTEXT_TENANT,
    CONTEXT_VERSION,
    IDENTITY_PARAMETER,
    ORIGIN_SECRET_HEADER,
    client_certificate,
    header,
    over_tls,
    source_address,
)
from shared.domain.admission import Verdict
from shared.domain.timestamps import utc_now
from shared.observability import logger, metrics, publish_metrics
from shared.services.security import handshake
from shared.settings import get_settings


@logger.inject_lambda_context
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    secrets = header(event, ORIGIN_SECRET_HEADER)
    authorization = header(event, "authorization")
    charge_point_id = (event.get("queryStringParameters") or {}).get(IDENTITY_PARAMETER)
    decision = handshake.admit_handshake(
        charge_point_id,
        header(event, "sec-websocket-protocol"),
        authorization[0] if authorization else None,
        secrets[0] if secrets else None,
        source_address(event, behind_edge=bool(get_settings().origin_secret)),
        utc_now(),
        secure=over_tls(event),
        certificate=client_certificate(event),
    )
    logger.info(
        "Handshake",
        extra={
            "charge_point_id": charge_point_id,
            "verdict": decision.verdict.value,
            "reason": decision.reason,
        },
    )
    metrics.add_metric(name=f"Handshake{decision.verdict.name.title()}", unit="Count", value=1)
    if decision.verdict is Verdict.UNAUTHORIZED:
        # The one answer API Gateway turns into a 401.
        raise Exception("Unauthorized")
    allowed = decision.verdict is Verdict.ALLOW
    return {
        "principalId": charge_point_id or "unknown",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Action": "execute-api:Invoke",
                    "Effect": "Allow" if allowed else "Deny",
                    "Resource": event["methodArn"],
                }
            ],
        },
        "context": {
            CONTEXT_CHARGE_POINT: charge_point_id or "",
            CONTEXT_VERSION: decision.version or "",
            CONTEXT_REGISTER: "true" if decision.register else "false",
            CONTEXT_TENANT: decision.tenant_id or "",
        },
    }
