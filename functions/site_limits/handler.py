"""Every minute: sites in an OpenADR 3 program hear their VTN, report their usage where asked,
and any site whose limit or EV departures changed since its last allocation is shared again."""

from __future__ import annotations

import dataclasses
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.smart_charging import grid


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return dataclasses.asdict(grid.run(utc_now()))
