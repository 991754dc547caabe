"""Every minute: reservations past their expiry end (1.6 stations say nothing when they drop one)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services import reservations


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return {"expired": reservations.expire(utc_now())}
