"""A stand-in for the cloud's charge-point edge and API Gateway WebSocket API.

It plays the edge (identity from the path into the `chargePointId` query parameter), then the
gateway: the REQUEST authorizer and `$connect` decide the handshake, every frame becomes a
`$default` event, a close becomes `$disconnect`, and the connection management API
(`/@connections/{id}`, and `/@usage` with `--count-usage`) is served on the same port, to this
machine only: whatever `--host` says, a request from another address is refused. The same app
serves the wss:// listener, whose TLS facts it hands on as CloudFront's headers (local/runtime/tls.py).
The service's limits apply: message size, idle timeout and maximum connection lifetime.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import secrets
import string
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from aiohttp import WSCloseCode, WSMsgType, web
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import ReadTimeoutError
from moto.core.botocore_stubber import MockRawResponse

from local.runtime import events
from local.runtime.lambdas import Invoker
from local.runtime.tls import viewer_headers
from shared.aws.websocket_events import IDENTITY_PARAMETER
from shared.manifest import AUTHORIZER, WEBSOCKET_ROUTES
from shared.observability import logger

GOING_AWAY = 1001


@dataclass(frozen=True)
class Limits:
    max_message_bytes: int = 128 * 1024
    idle_timeout_s: float = 600
    max_lifetime_s: float = 7200


@dataclass
class Connection:
    socket: events.Socket
    ws: web.WebSocketResponse
    last_active: float = field(default_factory=time.time)
    close_reason: str = ""

    def touch(self) -> None:
        self.last_active = time.time()


def _connection_id() -> str:
    """Shaped like API Gateway's: 15 letters and digits and a trailing '='."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(15)) + "="


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _gone(connection_id: str) -> web.Response:
    return web.json_response(
        {"message": f"Connection {connection_id} is gone"},
        status=410,
        headers={"x-amzn-ErrorType": "GoneException"},
    )


@web.middleware
async def _management_from_this_machine(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """The management API posts to, reads and closes any connection: only the handlers, on this
    machine, may call it (in the cloud it takes IAM credentials)."""
    if request.path.startswith("/@") and not _loopback(request.remote):
        return web.json_response({"message": "Forbidden"}, status=403)
    return await handler(request)


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


class WebSocketApi:
    def __init__(self, invoker: Invoker, limits: Limits, public_host: str) -> None:
        self.invoker = invoker
        self.limits = limits
        self.public_host = public_host
        self.connections: dict[str, Connection] = {}
        self._closing: set[asyncio.Task[bool]] = set()

    def app(self) -> web.Application:
        app = web.Application(
            client_max_size=self.limits.max_message_bytes + 1024, middlewares=[_management_from_this_machine]
        )
        app.router.add_get("/ocpp/{path:.+}", self.handshake)
        app.router.add_post("/@connections/{connection_id}", self.post_to_connection)
        app.router.add_get("/@connections/{connection_id}", self.get_connection)
        app.router.add_delete("/@connections/{connection_id}", self.delete_connection)
        if self.invoker.counter is not None:
            app.router.add_get("/@usage", self.usage)
        if self.invoker.faults is not None:
            app.router.add_get("/@faults", self.faults)
        return app

    # --- The charge points' side ----------------------------------------------------------

    async def handshake(self, request: web.Request) -> web.StreamResponse:
        # As the edge: the last segment of the path as sent, decoded once (a %2F stays in the id).
        identity = unquote(request.raw_path.partition("?")[0].rstrip("/").rsplit("/", 1)[-1])
        # As the edge: what the viewer sent under the edge's own header names is dropped, and
        # what TLS verified (the wss:// listener, local/runtime/tls.py) is said in them.
        tls = request.transport.get_extra_info("ssl_object") if request.transport else None
        headers = [(k, v) for k, v in request.headers.items() if not k.lower().startswith("cloudfront-")]
        headers += viewer_headers(tls.getpeercert(binary_form=True) if tls else None, tls is not None).items()
        # What the edge's viewer-request function does: the identity travels as a query parameter.
        query = [*request.query.items(), (IDENTITY_PARAMETER, identity)]
        socket = events.Socket(
            connection_id=_connection_id(),
            domain_name=self.public_host,
            stage="local",
            api_id="local",
            source_ip=request.remote or "127.0.0.1",
            user_agent=request.headers.get("User-Agent", ""),
        )

        try:
            policy = await self.invoker.invoke(AUTHORIZER, events.authorizer_request(socket, headers, query))
        except Exception as error:
            if str(error) == "Unauthorized":
                return web.json_response({"message": "Unauthorized"}, status=401)
            logger.exception("Authorizer failed")
            return web.json_response({"message": None}, status=500)
        statement = policy["policyDocument"]["Statement"][0]
        if statement["Effect"] != "Allow":
            return web.json_response({"message": "Forbidden"}, status=403)
        socket.authorizer = {**policy.get("context", {}), "principalId": policy.get("principalId", "")}

        answer = await self.invoker.invoke(
            WEBSOCKET_ROUTES["$connect"], events.connect(socket, headers, query)
        )
        status = int((answer or {}).get("statusCode", 200))
        if not 200 <= status < 300:
            return web.json_response({"message": "Forbidden"}, status=status)
        chosen = ((answer or {}).get("headers") or {}).get("Sec-WebSocket-Protocol")

        ws = web.WebSocketResponse(
            protocols=(chosen,) if chosen else (),
            max_msg_size=self.limits.max_message_bytes,
            autoping=True,
        )
        # From here on `$disconnect` comes, whatever happens, as API Gateway delivers it once a
        # `$connect` succeeded: a client may drop before its handshake's answer reaches it.
        connection = Connection(socket, ws)
        watchdog: asyncio.Task[None] | None = None
        try:
            await ws.prepare(request)
            self.connections[socket.connection_id] = connection
            watchdog = asyncio.create_task(self._enforce_limits(connection))
            await self._pump(connection)
        except ConnectionError:
            connection.close_reason = "Client left before the handshake completed"
        finally:
            if watchdog is not None:
                watchdog.cancel()
            self.connections.pop(socket.connection_id, None)
            code = ws.close_code or WSCloseCode.ABNORMAL_CLOSURE
            try:
                await self.invoker.invoke(
                    WEBSOCKET_ROUTES["$disconnect"],
                    events.disconnect(socket, int(code), connection.close_reason or "Client closed"),
                )
            except Exception:  # Lambda would report it; nobody is left to answer
                logger.exception("$disconnect handler failed")
        return ws

    async def _pump(self, connection: Connection) -> None:
        """Frames of one connection reach the handler one at a time, in order."""
        ws = connection.ws
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                body: str | bytes = frame.data
            elif frame.type == WSMsgType.BINARY:
                body = frame.data
            else:
                if frame.type == WSMsgType.ERROR:
                    connection.close_reason = f"Frame error: {ws.exception()}"
                break
            connection.touch()
            try:
                await self.invoker.invoke(
                    WEBSOCKET_ROUTES["$default"], events.message(connection.socket, body)
                )
            except Exception:
                # Lambda would report the failure and API Gateway would carry on with the connection.
                logger.exception("$default handler failed")

    async def _enforce_limits(self, connection: Connection) -> None:
        opened = time.time()
        while not connection.ws.closed:
            now = time.time()
            if now - opened >= self.limits.max_lifetime_s:
                connection.close_reason = "Connection reached its maximum lifetime"
                break
            if now - connection.last_active >= self.limits.idle_timeout_s:
                connection.close_reason = "Connection idle"
                break
            next_check = min(
                opened + self.limits.max_lifetime_s, connection.last_active + self.limits.idle_timeout_s
            )
            await asyncio.sleep(max(0.05, next_check - now))
        await connection.ws.close(code=GOING_AWAY, message=b"Going away")

    # --- The connection management API ----------------------------------------------------

    async def usage(self, request: web.Request) -> web.Response:
        """What the invocations so far would cost in the cloud (`--count-usage`, local/runtime/usage.py)."""
        assert self.invoker.counter is not None
        return web.json_response(self.invoker.counter.usage.as_json())

    async def faults(self, request: web.Request) -> web.Response:
        """The faults injected so far, the retries they caused and the dead letters (`--faults`)."""
        assert self.invoker.faults is not None
        return web.json_response(self.invoker.faults.report())

    async def post_to_connection(self, request: web.Request) -> web.Response:
        return await self._post(request.match_info["connection_id"], await request.read())

    def poster(self, loop: asyncio.AbstractEventLoop, endpoint: str) -> Callable[..., AWSResponse | None]:
        """A botocore `before-send` hook that hands the handlers' posts to `endpoint` to the event
        loop directly rather than over HTTP to this server: the round trip cost them a third of
        what answering a frame costs, and in the cloud it is the service's work, not the
        function's. The answer is the same, status and body; other callers and the other
        operations still come over HTTP."""
        prefix = f"{endpoint}/@connections/"

        def before_send(request: AWSPreparedRequest, **_: object) -> AWSResponse | None:
            if request.method != "POST" or not request.url.startswith(prefix):
                return None
            connection_id = unquote(request.url[len(prefix) :].partition("?")[0])
            body = request.body if isinstance(request.body, bytes) else bytes(request.body or b"")
            try:
                answer = asyncio.run_coroutine_threadsafe(self._post(connection_id, body), loop).result(5)
            except TimeoutError:
                raise ReadTimeoutError(endpoint_url=request.url) from None
            raw = MockRawResponse(answer.body if isinstance(answer.body, bytes) else b"")
            return AWSResponse(request.url, answer.status, dict(answer.headers), raw)

        return before_send

    async def _post(self, connection_id: str, data: bytes) -> web.Response:
        connection = self.connections.get(connection_id)
        if connection is None or connection.ws.closed:
            return _gone(connection_id)
        if len(data) > self.limits.max_message_bytes:
            return web.json_response(
                {"message": "Message too long"},
                status=413,
                headers={"x-amzn-ErrorType": "PayloadTooLargeException"},
            )
        try:
            await connection.ws.send_str(data.decode("utf-8"))
        except UnicodeDecodeError:
            await connection.ws.send_bytes(data)
        except ConnectionResetError:
            return _gone(connection_id)
        connection.touch()
        return web.Response(status=200)

    async def get_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        connection = self.connections.get(connection_id)
        if connection is None or connection.ws.closed:
            return _gone(connection_id)
        socket = connection.socket
        return web.Response(
            status=200,
            content_type="application/json",
            text=json.dumps(
                {
                    "connectedAt": _iso(socket.connected_at_ms / 1000),
                    "identity": {"sourceIp": socket.source_ip, "userAgent": socket.user_agent},
                    "lastActiveAt": _iso(connection.last_active),
                }
            ),
        )

    async def delete_connection(self, request: web.Request) -> web.Response:
        connection_id = request.match_info["connection_id"]
        connection = self.connections.get(connection_id)
        if connection is None or connection.ws.closed:
            return _gone(connection_id)
        connection.close_reason = "Closed through the management API"
        # As the service does, answered at once: the close handshake with a peer that may be gone
        # (a station that lost its link) runs on, rather than holding up the caller for seconds.
        closing = asyncio.create_task(connection.ws.close(code=WSCloseCode.OK, message=b""))
        self._closing.add(closing)
        closing.add_done_callback(self._closing.discard)
        return web.Response(status=204)

    async def close_all(self) -> None:
        for connection in list(self.connections.values()):
            connection.close_reason = "Gateway shutting down"
            await connection.ws.close(code=GOING_AWAY, message=b"Going away")
