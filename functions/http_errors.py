"""HTTP errors as the operator API and the upload endpoint answer them: {"error": {"code",
"message"}} with the right status. Application errors carry their own status and code
(shared/domain/errors.py)."""

from __future__ import annotations

import json
from http import HTTPStatus

from aws_lambda_powertools.event_handler import Response, content_types


def error_response(status: HTTPStatus, code: str, message: str) -> Response[str]:
    return Response(
        status_code=int(status),
        content_type=content_types.APPLICATION_JSON,
        body=json.dumps({"error": {"code": code, "message": message}}),
    )
