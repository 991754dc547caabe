"""On the domain events that change what a site's sessions may draw (a session started or
ended, an EV said what it needs, the site changed, a station booted): the site's limit shared
again, and each changed share sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.smart_charging import sites


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # EventBridge's envelope: when the event was published, to the second.
    published = datetime.fromisoformat(event["time"]) if event.get("time") else None
    allocation = sites.react(
        event.get("detail-type", "asked"), event.get("detail") or {}, published, utc_now()
    )
    return {
        "site": allocation.site_id if allocation else None,
        "sessions": len(allocation.shares) if allocation else None,
    }
