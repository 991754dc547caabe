"""$disconnect: mark the charge point offline, unless it has already reconnected."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.aws.websocket_events import caller_of
from shared.domain.timestamps import utc_now
from shared.observability import logger, metrics, publish_metrics
from shared.services import provisioning
from shared.services.station_tenant import from_station


@logger.inject_lambda_context
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    caller = caller_of(event)
    logger.append_keys(charge_point_id=caller.charge_point_id, connection_id=caller.connection_id)
    with from_station(caller.charge_point_id, caller.tenant_id):
        current = provisioning.disconnected(caller.charge_point_id, caller.connection_id, utc_now())
    request = event["requestContext"]
    logger.info(
        "Disconnected",
        extra={
            "was_current": current,
            "status_code": request.get("disconnectStatusCode"),
            "reason": request.get("disconnectReason"),
        },
    )
    metrics.add_metric(name="Disconnected", unit="Count", value=1)
    return {"statusCode": 200}
