"""Garbage, half-formed and oversize frames, and handshakes that must be refused."""

import asyncio
import base64
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets
from websockets.exceptions import InvalidStatus

pytestmark = pytest.mark.e2e


async def exchange(url, frames, protocol="ocpp2.0.1"):
    answers = []
    async with websockets.connect(url, subprotocols=[protocol]) as ws:
        for frame in frames:
            await ws.send(frame)
            answers.append(json.loads(await asyncio.wait_for(ws.recv(), 5)))
    return answers


def test_garbage_and_half_formed_frames_get_callerrors_and_the_connection_keeps_working(runtime):
    answers = asyncio.run(
        exchange(
            runtime.ocpp_url("E2E-GARBAGE"),
            [
                "this is not json",
                b"\x00\x01\x02",
                "[2",
                "[]",
                '{"action": "Heartbeat"}',
                '[2, 42, "Heartbeat", {}]',
                '[2, "a1", "Heartbeat"]',
                '[7, "a2", "Heartbeat", {}]',
                '[2, "a3", "NoSuchAction", {}]',
                '[2, "a4", "StatusNotification", {"evseId": 1}]',
                '[2, "a5", "Heartbeat", {}]',
            ],
        )
    )
    codes = [answer[:3] for answer in answers[:-1]]
    assert codes == [
        [4, "-1", "FormatViolation"],
        [4, "-1", "FormatViolation"],
        [4, "-1", "FormatViolation"],
        [4, "-1", "FormatViolation"],
        [4, "-1", "FormatViolation"],
        [4, "-1", "RpcFrameworkError"],
        [4, "a1", "RpcFrameworkError"],
        [4, "a2", "MessageTypeNotSupported"],
        [4, "a3", "NotImplemented"],
        [4, "a4", "OccurrenceConstraintViolation"],
    ]
    assert answers[-1][:2] == [3, "a5"]


def test_ocpp_1_6_names_a_format_error_formationviolation(runtime):
    answers = asyncio.run(exchange(runtime.ocpp_url("E2E-16"), ["nope", '[2,"h","Heartbeat",{}]'], "ocpp1.6"))
    assert answers[0][:3] == [4, "-1", "FormationViolation"] and answers[1][:2] == [3, "h"]


@pytest.mark.parametrize("offered", [["ocpp1.5"], ["mqtt"], None])
def test_a_handshake_without_a_supported_subprotocol_is_refused(runtime, offered):
    async def attempt():
        async with websockets.connect(runtime.ocpp_url("E2E-PROTO"), subprotocols=offered):
            pass

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(attempt())
    assert refused.value.response.status_code == 403


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def test_basic_auth_and_blocking_decide_the_handshake(runtime):
    assert runtime.api("PUT", "/charge-points/E2E-SEC", {"password": "0123456789abcdef"})[0] in (200, 201)

    async def attempt(headers):
        async with websockets.connect(
            runtime.ocpp_url("E2E-SEC"), subprotocols=["ocpp1.6"], additional_headers=headers
        ) as ws:
            await ws.send('[2,"h","Heartbeat",{}]')
            return json.loads(await ws.recv())

    for headers in ({}, basic("E2E-SEC", "wrong-password-00"), basic("OTHER", "0123456789abcdef")):
        with pytest.raises(InvalidStatus) as refused:
            asyncio.run(attempt(headers))
        assert refused.value.response.status_code == 401
    assert asyncio.run(attempt(basic("E2E-SEC", "0123456789abcdef")))[:2] == [3, "h"]

    runtime.api("PUT", "/charge-points/E2E-SEC", {"blocked": True})
    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(attempt(basic("E2E-SEC", "0123456789abcdef")))
    assert refused.value.response.status_code == 403


def test_a_frame_over_the_message_limit_closes_the_connection_as_the_gateway_does(short_lived_runtime):
    async def scenario():
        async with websockets.connect(
            short_lived_runtime.ocpp_url("E2E-BIG"), subprotocols=["ocpp1.6"]
        ) as ws:
            await ws.send(json.dumps([2, "big", "DataTransfer", {"vendorId": "v", "data": "x" * 5000}]))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            return closed.value.rcvd.code

    assert asyncio.run(scenario()) == 1009


def test_idle_connections_are_closed_and_show_offline(short_lived_runtime):
    async def scenario():
        async with websockets.connect(
            short_lived_runtime.ocpp_url("E2E-IDLE"), subprotocols=["ocpp1.6"]
        ) as ws:
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), 5)
            return closed.value.rcvd.code

    assert asyncio.run(scenario()) == 1001
    runtime = short_lived_runtime
    assert runtime.wait_for(lambda: runtime.api("GET", "/charge-points/E2E-IDLE")[1]["online"] is False)


def test_no_connection_outlives_the_maximum_lifetime_even_when_busy(short_lived_runtime):
    async def scenario():
        async with websockets.connect(
            short_lived_runtime.ocpp_url("E2E-OLD"), subprotocols=["ocpp1.6"]
        ) as ws:
            loop = asyncio.get_running_loop()
            opened = loop.time()
            with pytest.raises(websockets.ConnectionClosed) as closed:
                while loop.time() - opened < 10:
                    await ws.send('[2,"h","Heartbeat",{}]')
                    await ws.recv()
                    await asyncio.sleep(0.3)
            return closed.value.rcvd.code, loop.time() - opened

    code, lived = asyncio.run(scenario())
    assert code == 1001 and lived < 5


@pytest.mark.parametrize(
    ("path", "made_of"), [("a%2Fb", "b"), ("CP%252D1", "CP-1"), ("..", None), (".", None)]
)
def test_the_identity_is_the_last_path_segment_decoded_once(runtime, path, made_of):
    async def attempt():
        async with websockets.connect(f"{runtime.ws_url}/ocpp/{path}", subprotocols=["ocpp1.6"]):
            pass

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(attempt())
    assert refused.value.response.status_code == 403
    if made_of:  # never read as another id (decoded twice, or split at an encoded slash)
        assert runtime.api("GET", f"/charge-points/{made_of}")[0] == 404


def test_a_subprotocol_in_other_letters_is_not_taken_for_ocpp(runtime):
    async def attempt():
        async with websockets.connect(runtime.ocpp_url("E2E-CASE"), subprotocols=["OCPP1.6"]):
            pass

    with pytest.raises(InvalidStatus) as refused:
        asyncio.run(attempt())
    assert refused.value.response.status_code == 403


def test_a_handshake_that_never_finishes_its_headers_is_closed(short_lived_runtime):
    host, port = short_lived_runtime.ws_url.removeprefix("ws://").rsplit(":", 1)

    async def slow_headers():
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(b"GET /ocpp/E2E-SLOW HTTP/1.1\r\nHost: x\r\n")  # and never the rest
        await writer.drain()
        closed = await asyncio.wait_for(reader.read(), 10)  # EOF: the runtime closed it
        writer.close()
        return closed

    assert asyncio.run(slow_headers()) == b""


def test_operators_waiting_for_answers_never_hold_up_charge_points(runtime):
    async def scenario():
        async with websockets.connect(runtime.ocpp_url("E2E-MUTE"), subprotocols=["ocpp1.6"]) as mute:
            await mute.send('[2,"h","Heartbeat",{}]')
            await mute.recv()  # connected; it will answer nothing from now on
            body = {"action": "ClearCache", "payload": {}}
            # The operator API's first request builds its models: made before the rush.
            await asyncio.to_thread(runtime.api, "POST", "/charge-points/E2E-MUTE/commands", body)
            loop = asyncio.get_running_loop()
            clients = ThreadPoolExecutor(max_workers=40)  # 40 operators at once
            path = "/charge-points/E2E-MUTE/commands?wait=3"  # 40 waits on 32 workers: within 10 s
            waits = [loop.run_in_executor(clients, runtime.api, "POST", path, body) for _ in range(40)]
            await asyncio.sleep(0.5)  # the requests are in, and waiting
            async with websockets.connect(runtime.ocpp_url("E2E-BUSY"), subprotocols=["ocpp2.0.1"]) as busy:
                for n in range(5):
                    await busy.send(f'[2,"b{n}","Heartbeat",{{}}]')
                    assert json.loads(await busy.recv())[:2] == [3, f"b{n}"]
                answered_while_waiting = not any(wait.done() for wait in waits)
            statuses = [status for status, _ in await asyncio.gather(*waits)]
            clients.shutdown()
            return answered_while_waiting, statuses

    answered_while_waiting, statuses = asyncio.run(scenario())
    assert answered_while_waiting  # every heartbeat was answered before any wait ran out
    assert statuses == [504] * 40
