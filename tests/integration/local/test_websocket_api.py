"""The handlers' posts to connections, handed to the local gateway in process: the same
answers as over HTTP (delivered, gone, too large), without the round trip."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import botocore.session
import pytest

from local.runtime import events
from local.runtime.websocket_api import Connection, Limits, WebSocketApi

ENDPOINT = "http://127.0.0.1:9"  # nothing listens there: a post that went over HTTP would fail


@dataclass
class FakeSocket:
    closed: bool = False
    frames: list[str] = field(default_factory=list)

    async def send_str(self, frame: str) -> None:
        self.frames.append(frame)


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def gateway_with(connection_id: str, socket: FakeSocket) -> WebSocketApi:
    gateway = WebSocketApi(invoker=None, limits=Limits(max_message_bytes=64), public_host="local")  # type: ignore[arg-type]
    kept = events.Socket(connection_id, "local", "local", "local", source_ip="127.0.0.1", user_agent="")
    gateway.connections[connection_id] = Connection(socket=kept, ws=socket)  # type: ignore[arg-type]
    return gateway


def client_of(gateway: WebSocketApi, loop: asyncio.AbstractEventLoop) -> Any:
    session = botocore.session.get_session()
    session.register("before-send.apigatewaymanagementapi.PostToConnection", gateway.poster(loop, ENDPOINT))
    return session.create_client(
        "apigatewaymanagementapi",
        region_name="eu-west-1",
        endpoint_url=ENDPOINT,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )


def test_a_post_reaches_the_station(loop):
    socket = FakeSocket()
    client = client_of(gateway_with("abc=", socket), loop)
    client.post_to_connection(ConnectionId="abc=", Data=b'[3,"1",{}]')
    assert socket.frames == ['[3,"1",{}]']


def test_a_post_to_a_closed_or_unknown_connection_is_gone(loop):
    socket = FakeSocket(closed=True)
    client = client_of(gateway_with("abc=", socket), loop)
    for connection_id in ("abc=", "other="):
        with pytest.raises(client.exceptions.GoneException):
            client.post_to_connection(ConnectionId=connection_id, Data=b"[]")
    assert socket.frames == []


def test_a_post_over_the_message_limit_is_refused_and_the_connection_kept(loop):
    socket = FakeSocket()
    client = client_of(gateway_with("abc=", socket), loop)
    with pytest.raises(client.exceptions.PayloadTooLargeException):
        client.post_to_connection(ConnectionId="abc=", Data=b"x" * 65)
    client.post_to_connection(ConnectionId="abc=", Data=b"[]")
    assert socket.frames == ["[]"]
