"""On CertificateRequested: the station's CSR signed and sent as CertificateSigned. Every five
minutes: what is due (a lost event, a certificate to send again) and the renewals."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.certificates import station_certificates


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    now = utc_now()
    if event.get("detail-type") == "CertificateRequested":
        detail = event.get("detail") or {}
        signing = station_certificates.sign(str(detail.get("chargePointId")), str(detail.get("request")), now)
        return {"signed": signing.status.value if signing else None}
    return asdict(station_certificates.sweep(now))
