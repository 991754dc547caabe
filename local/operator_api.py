"""A stand-in for API Gateway's HTTP API: every request becomes a payload 2.0 event."""

from __future__ import annotations

import base64

from aiohttp import web

from local import events
from local.lambdas import Invoker
from shared.manifest import Function
from shared.observability import logger


def operator_api_app(invoker: Invoker, function: Function) -> web.Application:
    """The HTTP API stand-in: every request becomes a payload 2.0 event for the operator API."""

    async def handle(request: web.Request) -> web.Response:
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
            answer = await invoker.invoke(function, event)
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

    app = web.Application(client_max_size=10 * 1024 * 1024)
    app.router.add_route("*", "/{path:.*}", handle)
    return app
