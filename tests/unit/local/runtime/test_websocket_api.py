"""The local WebSocket API's management API answers this machine only."""

import asyncio
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request

from local.runtime.websocket_api import _management_from_this_machine


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
