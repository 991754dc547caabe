"""$connect: record who is on the connection and answer the negotiated subprotocol."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.aws.websocket_events import caller_of
from shared.domain.errors import NotRegistered
from shared.domain.timestamps import utc_now
from shared.observability import logger, metrics, publish_metrics
from shared.protocol.versions import profile_for
from shared.services import provisioning
from shared.services.station_tenant import from_station


@logger.inject_lambda_context
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    caller = caller_of(event)
    logger.append_keys(charge_point_id=caller.charge_point_id, connection_id=caller.connection_id)
    profile = profile_for(caller.ocpp_version)
    version = profile.version.value
    try:
        with from_station(caller.charge_point_id, caller.tenant_id):
            provisioning.connected(
                caller.charge_point_id, caller.connection_id, version, caller.register, utc_now()
            )
    except NotRegistered:
        logger.warning("Charge point was deregistered during its handshake")
        return {"statusCode": 403}
    logger.info("Connected", extra={"ocpp_version": version})
    metrics.add_metric(name="Connected", unit="Count", value=1)
    return {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": profile.subprotocol}}
