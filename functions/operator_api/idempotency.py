"""The Idempotency-Key header on the operator API's POSTs (decision 0042): every POST creates a
record or sends a charge point a command, so each honours a key, and a retry with the same key
gets the first answer instead of a second command, reservation or rollout. Without the header
a POST runs as it always did, at no cost."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.models import OpenAPI, Parameter
from aws_lambda_powertools.event_handler.openapi.models import Response as OpenAPIResponse

from shared.domain.accounts import Principal
from shared.services import idempotency
from shared.services.idempotency import Answer

HEADER = "Idempotency-Key"
# Set on an answer given again (the route did not run): as Stripe's API and the IETF draft
# (draft-ietf-httpapi-idempotency-key-header) callers expect.
REPLAYED = "Idempotent-Replayed"


def honoured(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response[Any]:
    """A POST with an Idempotency-Key, run once per caller and key (the route's middleware)."""
    event = app.current_event
    key = event.headers.get(HEADER.lower()) if event.http_method.upper() == "POST" else None
    if key is None:
        return next_middleware(app)
    principal: Principal = app.context["principal"]
    request = {"method": "POST", "path": event.path, "body": _body(event.decoded_body)}

    def run() -> Answer:
        response = next_middleware(app)
        body = response.body
        text = body if isinstance(body, str) else "" if body is None else app._serializer(body)
        return Answer(response.status_code, str(response.content_type or ""), text)

    answer, replayed = idempotency.once(
        key, f"{principal.tenant_id}/{principal.principal}", request, run, app.lambda_context
    )
    return Response(
        status_code=answer.status,
        content_type=answer.content_type or None,
        body=answer.body or None,
        headers={REPLAYED: "true"} if replayed else None,
    )


def _body(text: str | None) -> Any:
    """The body as compared between a key's requests: its JSON's value, so that the same document
    spaced or ordered otherwise is the same request."""
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def documented(schema: OpenAPI) -> OpenAPI:
    """The OpenAPI document with the header, and the answers it brings, on every POST."""
    for item in (schema.paths or {}).values():
        operation = item.post
        if operation is None:
            continue
        operation.parameters = [*(operation.parameters or []), _PARAMETER]
        responses = operation.responses = dict(operation.responses or {})
        for status, meaning in _ANSWERS.items():
            known = responses.get(status)
            if isinstance(known, OpenAPIResponse):
                known.description = f"{known.description}; or {meaning}"
            elif isinstance(known, dict):
                responses[status] = {**known, "description": f"{known.get('description')}; or {meaning}"}
            else:
                responses[status] = OpenAPIResponse(description=meaning[0].upper() + meaning[1:])
    return schema


_PARAMETER = Parameter.model_validate(
    {
        "name": HEADER,
        "in": "header",
        "required": False,
        "description": (
            "A key of your own (a UUID) to retry this POST safely: within 24 hours, the same key "
            f"with the same request answers what its first use answered (with {REPLAYED}: true) "
            "and creates nothing again; a refusal or a fault forgets the key. Keys are per caller."
        ),
        "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.LONGEST_KEY},
    }
)
_ANSWERS = {
    409: "the first request with this Idempotency-Key is still running",
    422: "this Idempotency-Key came with another request",
}
