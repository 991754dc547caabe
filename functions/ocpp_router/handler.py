"""$default: every OCPP frame of every connected charge point."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.ocpp_router.dispatch import handle_frame
from shared.aws.connections import ConnectionGone, connections_at, endpoint_for
from shared.aws.websocket_events import caller_of
from shared.domain.renewal import renewal_due
from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.protocol.versions import profile_for
from shared.services.station_tenant import from_station
from shared.settings import get_settings


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    caller = caller_of(event)
    logger.append_keys(charge_point_id=caller.charge_point_id, connection_id=caller.connection_id)
    body = event.get("body") or ""
    frame: str | bytes = base64.b64decode(body) if event.get("isBase64Encoded") else body
    now = utc_now()
    with from_station(caller.charge_point_id, caller.tenant_id):  # its events are its tenant's
        answer = handle_frame(
            frame, caller.charge_point_id, caller.connection_id, profile_for(caller.ocpp_version), now
        )
    if answer is not None:
        endpoint = endpoint_for(caller.request_context)
        try:
            connections_at(endpoint).send(caller.connection_id, answer)
        except ConnectionGone:
            logger.info("Connection closed before the answer could be sent")
            return {"statusCode": 200}
        opened = caller.request_context.get("connectedAt")
        connected_at = datetime.fromtimestamp(opened / 1000, UTC) if isinstance(opened, int) else None
        settings = get_settings()
        if renewal_due(
            caller.connection_id, connected_at, now, settings.renew_after_s, settings.renew_spread_s
        ):
            from shared.services import provisioning  # past the connection's moment only

            if provisioning.renew(caller.charge_point_id, caller.connection_id, endpoint):
                logger.info("Connection closed to be renewed before the gateway's cut")
    return {"statusCode": 200}
