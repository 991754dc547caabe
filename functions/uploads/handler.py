"""Where charge points upload diagnostics and log files: PUT (the raw file) or POST (the raw
file, or a multipart form) to /uploads/{token}[/{file name}]. The single-use token in the path
is the credential; the file goes to S3 and its request is marked uploaded."""

from __future__ import annotations

import base64
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from multipart import MultipartError, MultipartSegment, PushMultipartParser, parse_options_header

from functions.http_errors import error_response
from shared.domain.errors import ApplicationError, BadRequest
from shared.domain.timestamps import utc_now
from shared.observability import logger, publish_metrics
from shared.services.diagnostics import uploads

app = APIGatewayHttpResolver()

# A station's form is a file and perhaps a few fields (RFC 7578): what a form may hold at most.
FORM_PARTS = 16
FORM_HEADERS = 8  # per part
FORM_HEADER_BYTES = 4096  # per header line


@app.put("/uploads/<token>")
@app.post("/uploads/<token>")
def upload(token: str) -> Response[str]:
    return _receive(token, None)


@app.put("/uploads/<token>/<name>")
@app.post("/uploads/<token>/<name>")
def upload_named(token: str, name: str) -> Response[str]:
    return _receive(token, name)


def _receive(token: str, name: str | None) -> Response[str]:
    event = app.current_event
    raw = event.get("body") or ""
    body = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode("utf-8", "surrogateescape")
    content_type = event.headers.get("content-type") or ""
    via = "http-put" if event.http_method == "PUT" else "http-post"
    if event.http_method == "POST" and content_type.lower().startswith("multipart/form-data"):
        name, body = _form_file(content_type, body, name)
    uploaded = uploads.receive_upload(token, name, body, via, utc_now())
    logger.info("File uploaded", extra={"size": uploaded.size, "via": via})
    return Response(
        status_code=int(HTTPStatus.CREATED),
        content_type="application/json",
        body=f'{{"fileName": "{uploaded.file_name}", "size": {uploaded.size}}}',
    )


def _form_file(content_type: str, body: bytes, name: str | None) -> tuple[str | None, bytes]:
    """The form's file part (the first part with a file name, else the first part), read one
    level deep as RFC 7578 forms are: a part that is itself multipart stays its bytes, and the
    parts and their headers are bounded, so that no form a client makes costs more than its size."""
    boundary = parse_options_header(content_type)[1].get("boundary")
    if not boundary:
        raise BadRequest("A multipart form names its boundary in its Content-Type")
    parts: list[tuple[MultipartSegment, bytearray]] = []
    try:
        with PushMultipartParser(
            boundary,
            len(body),
            max_header_size=FORM_HEADER_BYTES,
            max_header_count=FORM_HEADERS,
            max_segment_count=FORM_PARTS,
        ) as parser:
            for event in parser.parse(body):
                if isinstance(event, MultipartSegment):
                    parts.append((event, bytearray()))
                elif event:
                    parts[-1][1].extend(event)
    except MultipartError as error:
        raise BadRequest(f"The multipart form could not be read: {error}") from None
    if not parts:
        raise BadRequest("A multipart form with no parts")
    if any((part.content_type or "").startswith("multipart/") for part, _ in parts):
        raise BadRequest("A form part is itself multipart; a form is one level of parts (RFC 7578)")
    chosen, payload = next(((part, data) for part, data in parts if part.filename), parts[0])
    return chosen.filename or name, bytes(payload)


@app.exception_handler(ApplicationError)
def application_error(error: ApplicationError) -> Response[str]:
    return error_response(error.status, error.code, error.message)


@app.not_found
def unknown_route(error: Exception) -> Response[str]:
    return error_response(HTTPStatus.NOT_FOUND, "NotFound", "Uploads go to /uploads/{token}[/{file name}]")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
