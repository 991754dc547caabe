"""On SessionStarted and SessionEnded, and every minute: paid sessions' money moved once (a
session's end captures its cost; a hold no session followed is let go)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.payments import settlement


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    kind = event.get("detail-type")
    detail = event.get("detail") or {}
    if kind == "SessionStarted":
        return {"linked": settlement.session_started(detail)}
    if kind == "SessionEnded":
        return {"captured": settlement.session_ended(detail, utc_now())}
    if kind == "Scheduled Event":
        return {"released": settlement.sweep(utc_now())}
    logger.warning("Not an event payments read", extra={"detailType": kind})
    return {}
