"""$disconnect: mark the charge point offline, unless it has already reconnected."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared import commanding
from shared.data import store
from shared.data.commands import Failure
from shared.events import DomainEvent, publish
from shared.gateway import caller_of
from shared.observability import logger, metrics, publish_metrics
from shared.protocol.timestamps import utc_now


@logger.inject_lambda_context
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    caller = caller_of(event)
    logger.append_keys(charge_point_id=caller.charge_point_id, connection_id=caller.connection_id)
    now = utc_now()
    current = store.clear_connection(caller.charge_point_id, caller.connection_id, now)
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
    if current:  # not when the charge point has already reconnected
        publish(DomainEvent.CHARGE_POINT_DISCONNECTED, {"charge_point_id": caller.charge_point_id, "at": now})
        commanding.fail_all(
            caller.charge_point_id,
            Failure("Disconnected", "The charge point disconnected before answering"),
            now,
        )
    return {"statusCode": 200}
