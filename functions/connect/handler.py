"""$connect: record who is on the connection and answer the negotiated subprotocol."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.data import store
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
    try:
        store.record_connection(
            caller.charge_point_id, caller.connection_id, caller.profile.version.value, now, caller.register
        )
    except store.NotRegistered:
        logger.warning("Charge point was deregistered during its handshake")
        return {"statusCode": 403}
    logger.info("Connected", extra={"ocpp_version": caller.profile.version.value})
    metrics.add_metric(name="Connected", unit="Count", value=1)
    publish(
        DomainEvent.CHARGE_POINT_CONNECTED,
        {"charge_point_id": caller.charge_point_id, "ocpp_version": caller.profile.version.value, "at": now},
    )
    return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": caller.profile.subprotocol}}
