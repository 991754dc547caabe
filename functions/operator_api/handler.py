"""The operator HTTP API: one Lambda behind API Gateway's HTTP API, routed by Powertools."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools import Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder, Route
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer, OpenAPI
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.http_errors import error_response
from functions.operator_api import idempotency
from functions.operator_api.access import permission_for
from functions.operator_api.routes import routers
from shared.domain.accounts import AuditEntry, Permission, Principal, audited, refusal, resource_of
from shared.domain.errors import ApplicationError
from shared.domain.timestamps import utc_now
from shared.manifest import is_public
from shared.observability import SERVICE, logger, publish_metrics
from shared.services.accounts import audit, principals, tenancy
from shared.settings import get_settings

OPENAPI: dict[str, Any] = {
    "title": "CSMS operator API",
    "version": "1.0.0",
    "description": "Register and watch OCPP charge points, manage who may charge, read sessions, "
    "send charge points commands, update their firmware and collect their logs and events.",
    "security_schemes": {"bearerAuth": HTTPBearer(bearerFormat="token")},
    "security": [{"bearerAuth": []}],
}


class GuardedResolver(APIGatewayHttpResolver):
    """Powertools' resolver, refusing a route the caller's role may not use once the route is
    matched and before its request is validated or it runs (a refused caller learns nothing of
    what it sent), running it in the caller's tenant's scope (another tenant's ids answer 404),
    and keeping each change and refusal in the audit trail once it is answered."""

    def _call_route(self, route: Route, route_arguments: dict[str, str]) -> ResponseBuilder[Any]:
        rule = route.path if route in self._static_routes or route in self._dynamic_routes else None
        if is_public(rule or self.current_event.path):  # the docs, the pay page (an unknown one: 404)
            return super()._call_route(route, route_arguments)
        principal: Principal = self.context["principal"]
        needed = permission_for(route) if rule else Permission.READ  # no route: the 404 is a read
        if needed is None or not principal.may(needed):
            reason = refusal(principal, needed) if needed else f"{route.method} {rule} declares no permission"
            answer: ResponseBuilder[Any] = ResponseBuilder(
                response=error_response(HTTPStatus.FORBIDDEN, "Forbidden", reason),
                serializer=self._serializer,
                route=route,
            )
        else:
            try:
                answer = self._call_in_scope(principal, route, route_arguments)
            except Exception:
                keep(self.current_event, principal, rule, HTTPStatus.INTERNAL_SERVER_ERROR)
                raise
        keep(self.current_event, principal, rule, answer.response.status_code)
        return answer

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPI:
        return idempotency.documented(super().get_openapi_schema(**kwargs))

    def _call_in_scope(
        self, principal: Principal, route: Route, route_arguments: dict[str, str]
    ) -> ResponseBuilder[Any]:
        """The route, with the data layer held to the caller's tenant (decision 0033)."""
        with tenancy.scoped(principal.tenant_id):
            try:
                tenancy.guard(route_arguments)
            except ApplicationError as error:
                return ResponseBuilder(
                    response=error_response(error.status, error.code, error.message),
                    serializer=self._serializer,
                    route=route,
                )
            return super()._call_route(route, route_arguments)


def keep(request: BaseProxyEvent, principal: Principal | None, rule: str | None, status: int) -> None:
    """The audit entry of a change or a refusal, after it was answered (never its body)."""
    method = request.http_method.upper()
    if not audited(method, status):
        return
    context = request.raw_event.get("requestContext") or {}
    audit.record(
        AuditEntry(
            at=utc_now(),
            principal=principal.principal if principal else "anonymous",
            kind=principal.kind if principal else "",
            role=principal.role.value if principal else "",
            tenant_id=principal.tenant_id if principal else None,
            source_ip=str((context.get("http") or {}).get("sourceIp") or ""),
            method=method,
            path=request.path,
            resource=resource_of(rule, request.path),
            status=int(status),
            request_id=str(context.get("requestId") or ""),
        )
    )


def caller(event: dict[str, Any]) -> Principal | None:
    """Who the request comes from: what the authorizer put in the request's context (the cloud's
    Lambda authorizer, the local runtime's run of the same code). Invoked without that context
    with token auth (tests that call the handler directly), the same resolution runs here."""
    context = ((event.get("requestContext") or {}).get("authorizer") or {}).get("lambda")
    if isinstance(context, dict):
        return principals.of_context(context)
    if get_settings().api_auth == "token":
        return principals.resolve((event.get("headers") or {}).get("authorization"), utc_now())
    return None


get_settings().require_api_token()
app = GuardedResolver(enable_validation=True)
tracer = Tracer(service=SERVICE)


# The documentation is the same for the life of the process, and building it costs: the
# OpenAPI document is built from every model, the Swagger page embeds it beside 1.4 MB of
# script (2 MB in all). Each is built once per process, and browsers keep it for five minutes.
DOCS_CACHE = "public, max-age=300"
_documents: dict[str, tuple[int, str, str]] = {}


def built_once(app: GuardedResolver, next_middleware: NextMiddleware) -> Response[str]:
    """A documentation route's answer, built on the first request (per `format` asked)."""
    key = f"{app.current_event.path}?{(app.current_event.query_string_parameters or {}).get('format', '')}"
    kept = _documents.get(key)
    if kept is None:
        built = next_middleware(app)
        kept = (
            built.status_code,
            str(built.headers.get("Content-Type", content_types.TEXT_HTML)),
            str(built.body or ""),
        )
        if built.status_code == HTTPStatus.OK:
            _documents[key] = kept
    status, content_type, body = kept
    return Response(
        status_code=status, content_type=content_type, body=body, headers={"Cache-Control": DOCS_CACHE}
    )


app.use([idempotency.honoured])
for router in routers():
    app.include_router(router)
app.enable_swagger(path="/docs", middlewares=[built_once], **OPENAPI)


@app.get("/openapi.json", include_in_schema=False, middlewares=[built_once])
def openapi() -> Response[str]:
    return Response(
        status_code=HTTPStatus.OK,
        content_type=content_types.APPLICATION_JSON,
        body=app.get_openapi_json_schema(**OPENAPI),
    )


@app.exception_handler(ApplicationError)
def application_error(error: ApplicationError) -> Response[str]:
    """Every application error, translated once: each knows its status and code."""
    return error_response(error.status, error.code, error.message)


@app.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response[str]:
    problems = "; ".join(
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {item.get('msg')}" for item in error.errors()
    )
    return error_response(HTTPStatus.BAD_REQUEST, "BadRequest", problems or "Invalid request")


@app.not_found
def unknown_route(error: Exception) -> Response[str]:
    event = app.current_event
    return error_response(HTTPStatus.NOT_FOUND, "NotFound", f"No route {event.http_method} {event.path}")


@app.exception_handler(json.JSONDecodeError)
def bad_json(error: json.JSONDecodeError) -> Response[str]:
    return error_response(HTTPStatus.BAD_REQUEST, "BadRequest", f"Body is not valid JSON: {error.msg}")


@app.exception_handler(UnicodeDecodeError)
def bad_text(error: UnicodeDecodeError) -> Response[str]:
    return error_response(HTTPStatus.BAD_REQUEST, "BadRequest", "Body is not UTF-8 text")


@app.exception_handler(RecursionError)
def too_deep(error: RecursionError) -> Response[str]:
    return error_response(HTTPStatus.BAD_REQUEST, "BadRequest", "Body is nested too deeply")


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP, clear_state=True)
@publish_metrics
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = APIGatewayProxyEventV2(event)
    if is_public(request.path):
        return app.resolve(event, context)
    principal = caller(event)
    if principal is None:
        keep(request, None, None, HTTPStatus.UNAUTHORIZED)
        return {
            "statusCode": int(HTTPStatus.UNAUTHORIZED),
            "headers": {"Content-Type": content_types.APPLICATION_JSON},
            "body": json.dumps(
                {"error": {"code": "Unauthorized", "message": "A valid Bearer token or API key is required"}}
            ),
            "isBase64Encoded": False,
        }
    app.context["principal"] = principal
    return app.resolve(event, context)
