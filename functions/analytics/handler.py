"""On SessionEnded and ConnectorStatusChanged: the console's figures added once per event, and
each connector's status history kept."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import logger, publish_metrics
from shared.services import analytics


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    kind = event.get("detail-type")
    detail = event.get("detail") or {}
    if kind == "SessionEnded":
        return {"counted": analytics.session_ended(detail)}
    if kind == "ConnectorStatusChanged":
        return {"counted": analytics.status_changed(detail)}
    logger.warning("Not an event analytics reads", extra={"detailType": kind})
    return {"counted": False}
