"""Every minute: each running firmware rollout learns how its updates ended, pauses when too
many failed, and sends its next wave once the last one finished."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.firmware_management import rollouts


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return {"rollouts": rollouts.advance_all(utc_now())}
