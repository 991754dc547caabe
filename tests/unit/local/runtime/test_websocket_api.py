"""The local WebSocket API's management API answers this machine only."""

import asyncio
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from local.runtime.websocket_api import Limits, WebSocketApi, _management_from_this_machine


def request_from(address, path):
    transport = mock.Mock()
    transport.get_extra_info.side_effect = lambda name, default=None: (
        (address, 40000) if name == "peername" else default
    )
    return make_mocked_request("POST", path, transport=transport)


async def handled(_request):
    return web.Response(text="handled")


@pytest.mark.parametrize("address", ["127.0.0.1", "127.9.9.9", "::1"])
def test_the_management_api_answers_this_machine(address):
    answer = asyncio.run(_management_from_this_machine(request_from(address, "/@connections/abc"), handled))
    assert answer.text == "handled"


@pytest.mark.parametrize("address", ["192.168.1.20", "10.0.0.7", "2001:db8::1", None])
def test_the_management_api_refuses_any_other_address(address):
    answer = asyncio.run(_management_from_this_machine(request_from(address, "/@connections/abc"), handled))
    assert answer.status == 403


def test_charge_points_connect_from_anywhere():
    answer = asyncio.run(_management_from_this_machine(request_from("192.168.1.20", "/ocpp/CP-1"), handled))
    assert answer.text == "handled"


class RoutesInvoked:
    """Stands in for the invoker: allows the connection, and records each route it is handed."""

    counter = faults = None

    def __init__(self) -> None:
        self.routes: list[str] = []

    async def invoke(self, function, event):
        route = event["requestContext"]["routeKey"] if "methodArn" not in event else "authorizer"
        self.routes.append(route)
        if route == "authorizer":
            return {"principalId": "CP-1", "policyDocument": {"Statement": [{"Effect": "Allow"}]}}
        return {"statusCode": 200}


def test_a_client_that_leaves_during_its_handshake_gets_its_disconnect(caplog):
    """$connect runs before the handshake's answer; a client gone by then (prepare fails) is
    disconnected as API Gateway does once $connect succeeded, without a traceback."""
    invoker = RoutesInvoked()
    gateway = WebSocketApi(invoker, Limits(), public_host="local")  # type: ignore[arg-type]
    request = make_mocked_request(
        "GET",
        "/ocpp/CP-1",
        headers={"Sec-WebSocket-Protocol": "ocpp1.6"},
        transport=request_from("127.0.0.1", "/").transport,
    )
    gone = ConnectionResetError("Cannot write to closing transport")
    with mock.patch.object(web.WebSocketResponse, "prepare", side_effect=gone):
        asyncio.run(gateway.handshake(request))
    assert invoker.routes == ["authorizer", "$connect", "$disconnect"]
    assert gateway.connections == {}
    assert not [record for record in caplog.records if record.exc_info]
