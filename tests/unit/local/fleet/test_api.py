"""The fleet's operator-API client retries a 5xx as an operator's tool does: a POST under the
key it first went with, so that the CSMS can answer the retry with the first answer."""

import asyncio

import pytest
from aiohttp import web

from local.fleet.api import RETRIES_ON_5XX, ApiError, OperatorApi


async def _serve(failures: int, seen: list[tuple[str, str | None]]) -> tuple[web.AppRunner, str]:
    async def answer(request: web.Request) -> web.Response:
        seen.append((request.method, request.headers.get("Idempotency-Key")))
        if len(seen) <= failures:
            return web.json_response({"message": "Internal Server Error"}, status=500)
        return web.json_response({"made": len(seen)}, status=201 if request.method == "POST" else 200)

    app = web.Application()
    app.router.add_route("*", "/things", answer)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


def _run(method: str, failures: int) -> tuple[object, list[tuple[str, str | None]], int]:
    seen: list[tuple[str, str | None]] = []

    async def go() -> tuple[object, int]:
        runner, url = await _serve(failures, seen)
        api = OperatorApi(url, "token")
        try:
            return await api.request(method, "/things", {"a": 1} if method == "POST" else None), api.retries
        finally:
            await api.close()
            await runner.cleanup()

    answer, retries = asyncio.run(go())
    return answer, seen, retries


def test_a_post_that_met_a_5xx_is_sent_again_under_the_same_key():
    answer, seen, retries = _run("POST", failures=2)
    assert answer == {"made": 3} and retries == 2
    keys = {key for _, key in seen}
    assert len(seen) == 3 and len(keys) == 1 and None not in keys


def test_each_post_has_a_key_of_its_own():
    _, first, _ = _run("POST", failures=0)
    _, second, _ = _run("POST", failures=0)
    assert first[0][1] != second[0][1]


def test_a_get_is_retried_without_a_key_and_gives_up_after_its_retries():
    answer, seen, _ = _run("GET", failures=1)
    assert answer == {"made": 2} and seen == [("GET", None), ("GET", None)]
    with pytest.raises(ApiError, match="500"):
        _run("GET", failures=RETRIES_ON_5XX + 1)
