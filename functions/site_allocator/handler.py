"""On the domain events that change what a site's sessions may draw (a session started or
ended, the site changed): the site's limit shared again, and each changed share sent."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services import sites


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    detail = event.get("detail") or {}
    site_id = detail.get("siteId") or sites.site_of_charge_point(detail.get("chargePointId") or "")
    if not site_id:
        return {"site": None}
    allocation = sites.reallocate(site_id, event.get("detail-type", "asked"), utc_now())
    return {"site": site_id, "sessions": len(allocation.shares) if allocation else None}
