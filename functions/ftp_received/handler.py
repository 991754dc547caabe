"""S3 tells of each file the FTP upload server stored: it is handed to its log request (the
same checks as an HTTPS upload: in time, once, within the size limit, with its size read
before anything else), copied within S3, and the incoming copy is removed either way."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.aws import files
from shared.domain.errors import ApplicationError
from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.diagnostics import uploads


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    taken = 0
    for record in event.get("Records", []):
        key = unquote_plus(record["s3"]["object"]["key"])
        try:
            upload = uploads.receive_ftp_file(key, utc_now())
            logger.info("File received over FTP", extra={"size": upload.size})
            taken += 1
        except (ApplicationError, ValueError) as error:
            logger.warning("FTP file refused", extra={"key": key, "reason": str(error)})
        finally:
            files.delete(key)
    return {"taken": taken}
