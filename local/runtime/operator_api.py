"""A stand-in for API Gateway's HTTP API: every request becomes a payload 2.0 event, for the
upload endpoint on its paths and the operator API on the rest. Locally it also serves what S3's
presigned URLs would (/files, a proxy to moto)."""

from __future__ import annotations

import base64
from pathlib import Path

from aiohttp import web

from local.runtime import events
from local.runtime.files import FILES_PREFIX, files_proxy
from local.runtime.lambdas import Invoker
from shared.manifest import CONSOLE_PATH, UPLOAD_METHODS, UPLOAD_PATH, Function
from shared.observability import logger


def operator_api_app(
    invoker: Invoker, function: Function, uploads: Function, moto_endpoint: str, max_upload_bytes: int
) -> web.Application:
    """The HTTP API stand-in."""

    async def handle(request: web.Request) -> web.Response:
        target = function
        if request.path.startswith(UPLOAD_PATH + "/") and request.method in UPLOAD_METHODS:
            target = uploads
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
