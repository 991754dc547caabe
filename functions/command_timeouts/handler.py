"""Every minute: commands that got no answer in time time out, and the next one goes out."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, metrics, publish_metrics
from shared.services import commands


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    expired = commands.expire(utc_now())
    if expired:
        logger.info("Commands timed out", extra={"count": expired})
        metrics.add_metric(name="CommandTimeouts", unit="Count", value=expired)
    return {"expired": expired}
