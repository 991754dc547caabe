"""The OCPI 2.2.1 interface, the CSMS as a CPO, under /ocpi/ on the HTTP API: a function of its
own, without the operators' authorizer, since each call is admitted by its partner's token
(`Authorization: Token <base64>`). Every answer is OCPI's envelope; X-Request-ID and
X-Correlation-ID are echoed; lists carry Link, X-Total-Count and X-Limit. docs/roaming.md."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.domain.roaming import (
    INVALID_PARAMETERS,
    MAX_PAGE,
    SERVER_ERROR,
    VERSION,
    OcpiError,
    Paged,
    Partner,
    Window,
    envelope,
    pagination_headers,
)
from shared.domain.timestamps import utc_now
from shared.observability import logger
from shared.services.roaming import credentials, modules
from shared.settings import get_settings

PREFIX = "/ocpi"
MODULES = f"{PREFIX}/{VERSION}"

app = APIGatewayHttpResolver()


def _base() -> str:
    public = get_settings().public_url
    host = app.current_event.request_context.domain_name
    return (public or f"https://{host}") + PREFIX


def _answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response[str]:
    echoed = {
        name: value
        for name in ("X-Request-ID", "X-Correlation-ID")
        if (value := app.current_event.headers.get(name.lower()) or app.current_event.headers.get(name))
    }
    return Response(status, "application/json", json.dumps(body), headers={**echoed, **(headers or {})})


def _ok(data: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return _answer(200, envelope(data, utc_now()), headers)


def _authorization() -> str | None:
    headers = app.current_event.headers
    return headers.get("authorization") or headers.get("Authorization")


def _partner() -> Partner:
    return credentials.caller(_authorization())[0]


def _window() -> Window:
    query = app.current_event.query_string_parameters or {}
    try:
        offset = int(query.get("offset", 0))
        limit = min(int(query.get("limit", MAX_PAGE)), MAX_PAGE)
        date_from = _moment(query.get("date_from"))
        date_to = _moment(query.get("date_to"))
    except ValueError as error:
        raise OcpiError(
            400, INVALID_PARAMETERS, f"offset and limit are integers, dates RFC 3339: {error}"
        ) from None
    if offset < 0 or limit < 1:
        raise OcpiError(400, INVALID_PARAMETERS, "offset is 0 or more, limit 1 or more")
    return Window(offset, limit, date_from, date_to)


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"{text} has no time zone (add Z)")
    return moment


def _paged(paged: Paged) -> Response[str]:
    query = app.current_event.query_string_parameters or {}
    url = _base() + app.current_event.path.removeprefix(PREFIX)
    return _ok(paged.items, pagination_headers(paged, url, dict(query)))


@app.get(f"{PREFIX}/versions")
def versions() -> Response[str]:
    credentials.caller(_authorization(), registering=True)
    return _ok(credentials.versions(_base()))


@app.get(MODULES)
def version_details() -> Response[str]:
    credentials.caller(_authorization(), registering=True)
    return _ok(credentials.version_details(_base()))


@app.get(f"{MODULES}/credentials")
def get_credentials() -> Response[str]:
    _, _, token = credentials.caller(_authorization())
    return _ok(credentials.own_credentials(token, _base()))


@app.post(f"{MODULES}/credentials")
@app.put(f"{MODULES}/credentials")
def register() -> Response[str]:
    partner, kind, token = credentials.caller(_authorization(), registering=True)
    try:
        body = app.current_event.json_body
    except ValueError:
        raise OcpiError(400, INVALID_PARAMETERS, "The body is not JSON") from None
    rotating = app.current_event.http_method == "PUT"
    return _ok(credentials.register(partner, kind, token, body, _base(), utc_now(), rotating))


@app.delete(f"{MODULES}/credentials")
def unregister() -> Response[str]:
    partner, _, token = credentials.caller(_authorization())
    if partner.versions_url is None:
        raise OcpiError(405, 2000, "Not registered")
    credentials.unregister(partner, token, utc_now())
    return _ok(None)


@app.get(f"{MODULES}/locations")
def locations() -> Response[str]:
    partner, window = _partner(), _window()
    return _paged(modules.locations(partner, window))


@app.get(f"{MODULES}/locations/<location_id>")
def location(location_id: str) -> Response[str]:
    partner = _partner()
    return _ok(modules.location(partner, location_id))


@app.get(f"{MODULES}/tariffs")
def tariffs() -> Response[str]:
    partner, window = _partner(), _window()
    return _paged(modules.tariff_list(partner, window, utc_now()))


@app.get(f"{MODULES}/cdrs")
def cdrs() -> Response[str]:
    partner, window = _partner(), _window()
    return _paged(modules.cdrs(partner, window, utc_now()))


@app.not_found
def not_found(_: Exception) -> Response[str]:
    return _answer(404, envelope(None, utc_now(), 2000, f"No OCPI endpoint {app.current_event.path}"))


@app.exception_handler(OcpiError)
def refused(error: OcpiError) -> Response[str]:
    logger.info("OCPI request refused", extra={"status_code": error.status_code, "reason": error.message})
    return _answer(error.http_status, envelope(None, utc_now(), error.status_code, error.message))


@app.exception_handler(Exception)
def failed(error: Exception) -> Response[str]:
    logger.exception("OCPI request failed")
    return _answer(500, envelope(None, utc_now(), SERVER_ERROR, "The CSMS failed; try again"))


@logger.inject_lambda_context(clear_state=True)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
