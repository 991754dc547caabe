"""AWS Transfer Family's identity provider for the optional FTP upload server: a user name and
password are an upload token cut at its last dot. A good one gets a home of its own in the
files bucket, named so that what is put there finds its log request; anything else gets in
nowhere (an empty answer)."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.errors import ApplicationError
from shared.domain.timestamps import utc_now
from shared.observability import logger, metrics, publish_metrics
from shared.services.diagnostics import uploads
from shared.settings import get_settings


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        home = uploads.ftp_home(str(event.get("username", "")), str(event.get("password", "")), utc_now())
    except ApplicationError as error:
        logger.info("FTP login refused", extra={"reason": error.message, "source_ip": event.get("sourceIp")})
        metrics.add_metric(name="FtpLoginsRefused", unit="Count", value=1)
        return {}
    settings = get_settings()
    target = [{"Entry": "/", "Target": f"/{settings.files_bucket}/{home}"}]
    return {
        "Role": settings.ftp_role_arn,
        "HomeDirectoryType": "LOGICAL",
        "HomeDirectoryDetails": json.dumps(target),
    }
