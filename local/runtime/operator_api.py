"""A stand-in for API Gateway's HTTP API: every request becomes a payload 2.0 event, for the
upload endpoint and the OCPP 1.5 SOAP front door on their paths and the operator API on the
rest. As in the cloud, the operator API's Lambda authorizer runs first (its answer kept 60 s per
Authorization header, a request without one answered 401 by the gateway itself) and hands the
API its principal. Locally it also serves what S3's presigned URLs would (/files, a proxy to
moto)."""

from __future__ import annotations

import base64
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from aiohttp import web

from local.runtime import events
from local.runtime.files import FILES_PREFIX, files_proxy
from local.runtime.lambdas import Invoker
from shared.manifest import (
    CONSOLE_PATH,
    DRIVER_PATH,
    OCPI_PATH,
    SOAP_15_PATH,
    UPLOAD_METHODS,
    UPLOAD_PATH,
    Function,
    is_public,
)
from shared.observability import logger

# What the stack sets on its authorizer (infra/operator_api.py AUTHORIZER_CACHE): the bound on
# how long a revoked or expired key still opens the API.
AUTHORIZER_CACHE_S = 60.0


class AuthorizerCache:
    """API Gateway's result cache: an authorizer's answer per identity (the Authorization
    header), for its TTL; the oldest forgotten past `size` entries."""

    def __init__(self, ttl_s: float = AUTHORIZER_CACHE_S, size: int = 10_000) -> None:
        self.ttl_s, self.size = ttl_s, size
        self._answers: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()

    def get(self, identity: str) -> dict[str, Any] | None:
        kept = self._answers.get(identity)
        if kept is None or kept[0] <= time.monotonic():
            self._answers.pop(identity, None)
            return None
        return kept[1]

    def put(self, identity: str, answer: dict[str, Any]) -> None:
        self._answers[identity] = (time.monotonic() + self.ttl_s, answer)
        self._answers.move_to_end(identity)
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)


def operator_api_app(
    invoker: Invoker,
    function: Function,
    uploads: Function,
    moto_endpoint: str,
    max_upload_bytes: int,
    authorizer: Function | None = None,
    soap: Function | None = None,
    ocpi: Function | None = None,
) -> web.Application:
    """The HTTP API stand-in; with `authorizer`, the operator API's routes go through it; with
    `soap`, OCPP 1.5 stations' envelopes reach that function, without a token; with `ocpi`,
    roaming partners' calls under /ocpi/, admitted by that function."""
    cache = AuthorizerCache()

    async def handle(request: web.Request) -> web.Response:
        target = function
        if request.path.startswith(UPLOAD_PATH + "/") and request.method in UPLOAD_METHODS:
            target = uploads
        if soap is not None and request.path == SOAP_15_PATH and request.method == "POST":
            target = soap
        if ocpi is not None and request.path.startswith(OCPI_PATH + "/"):
            target = ocpi
        body = await request.read()
        event = events.http_request(
            request.method,
            request.path,
            request.query_string,
            list(request.headers.items()),
            body or None,
            source_ip=request.remote or "127.0.0.1",
            domain_name=request.host,
        )
        if target is function and authorizer is not None and not is_public(request.path):
            identity = request.headers.get("Authorization")
            if not identity:  # the identity source is missing: the gateway answers itself
                return web.json_response({"message": "Unauthorized"}, status=401)
            context = cache.get(identity)
            if context is None:
                try:
                    answer = await invoker.invoke(authorizer, events.http_authorizer_request(event))
                except Exception:
                    logger.exception("Operator API authorizer failed")
                    return web.json_response({"message": "Internal Server Error"}, status=500)
                if not answer.get("isAuthorized"):
                    return web.json_response({"message": "Forbidden"}, status=403)
                context = dict(answer.get("context") or {})
                cache.put(identity, context)
            event["requestContext"]["authorizer"] = {"lambda": context}
        try:
            answer = await invoker.invoke(target, event)
        except Exception:
            logger.exception("Operator API handler failed")
            return web.json_response({"message": "Internal Server Error"}, status=500)
        payload = answer.get("body") or ""
        data = base64.b64decode(payload) if answer.get("isBase64Encoded") else payload.encode()
        response = web.Response(status=int(answer.get("statusCode", 200)), body=data)
        for name, value in (answer.get("headers") or {}).items():
            response.headers[name] = str(value)
        for cookie in answer.get("cookies") or []:
            response.headers.add("Set-Cookie", cookie)
        return response

    # The real API takes 10 MB; an upload over the CSMS's own limit must reach it to get its 413.
    app = web.Application(client_max_size=max(10 * 1024 * 1024, 2 * max_upload_bytes))
    app.router.add_route("*", FILES_PREFIX + "/{path:.*}", files_proxy(moto_endpoint))
    add_console(app)
    add_driver_pages(app)
    app.router.add_route("*", "/{path:.*}", handle)
    return app


CONSOLE_FOLDER = Path(__file__).resolve().parents[2] / "console"


def add_console(app: web.Application) -> None:
    """The console at /console/ (and / sends there), signing in with the API token: the same
    files the stack puts in S3, with a config.json of the local runtime's own."""

    async def home(request: web.Request) -> web.Response:
        raise web.HTTPFound(CONSOLE_PATH)

    async def config(request: web.Request) -> web.Response:
        return web.json_response({"auth": "token", "apiUrl": ""}, headers={"Cache-Control": "no-store"})

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(CONSOLE_FOLDER / "index.html")

    app.router.add_get("/", home)
    app.router.add_get(CONSOLE_PATH + "config.json", config)
    app.router.add_get(CONSOLE_PATH, index)
    app.router.add_static(CONSOLE_PATH.rstrip("/"), CONSOLE_FOLDER)


DRIVER_FOLDER = Path(__file__).resolve().parents[2] / "driver"


def add_driver_pages(app: web.Application) -> None:
    """The drivers' pages at /driver/, signing in with a driver's key, with a config.json of the
    runtime's own. Only the pages' own files are served here: the API's driver routes
    (/driver/account, /driver/sessions, ...) share the prefix on this port and must reach it."""

    async def config(request: web.Request) -> web.Response:
        return web.json_response({"auth": "token", "apiUrl": ""}, headers={"Cache-Control": "no-store"})

    async def index(request: web.Request) -> web.FileResponse:
        return web.FileResponse(DRIVER_FOLDER / "index.html")

    async def style(request: web.Request) -> web.FileResponse:
        return web.FileResponse(DRIVER_FOLDER / "style.css")

    app.router.add_get(DRIVER_PATH + "config.json", config)
    app.router.add_get(DRIVER_PATH, index)
    app.router.add_get(DRIVER_PATH + "style.css", style)
    app.router.add_static(DRIVER_PATH + "js", DRIVER_FOLDER / "js")
