"""The local stand-in for the HTTP API: its copy of API Gateway's authorizer result cache (an
answer per Authorization header, for 60 s, and no longer: the bound on revocation), and the
drivers' pages it serves beside the API."""

from __future__ import annotations

import asyncio
import json

from aiohttp.test_utils import TestClient, TestServer

from local.runtime import operator_api
from local.runtime.operator_api import AUTHORIZER_CACHE_S, AuthorizerCache
from shared.manifest import OPERATOR_API, UPLOADS


def test_an_answer_is_kept_per_header_for_the_ttl_and_then_asked_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(operator_api.time, "monotonic", lambda: now[0])
    cache = AuthorizerCache()
    cache.put("Bearer a", {"principal": "a"})
    assert cache.get("Bearer a") == {"principal": "a"} and cache.get("Bearer b") is None
    now[0] += AUTHORIZER_CACHE_S - 0.001
    assert cache.get("Bearer a") == {"principal": "a"}
    now[0] += 0.001
    assert cache.get("Bearer a") is None
    assert AUTHORIZER_CACHE_S == 60


def test_the_oldest_answers_are_forgotten_past_its_size():
    cache = AuthorizerCache(size=2)
    for name in ("a", "b", "c"):
        cache.put(name, {"principal": name})
    assert cache.get("a") is None and cache.get("c") == {"principal": "c"}


def test_the_driver_pages_are_served_beside_the_apis_driver_routes():
    """/driver/ is both the pages' folder and the prefix of the API's driver routes on this port:
    the pages' own files come from the driver/ folder (config.json signing in with a key), and
    every other /driver/ path still reaches the API, with its query and its Bearer header."""
    asked: list[tuple[str, str, str]] = []

    class Api:
        async def invoke(self, function, event):
            headers = event["headers"]
            asked.append((event["rawPath"], event["rawQueryString"], headers.get("authorization", "")))
            return {"statusCode": 200, "body": json.dumps({"from": "api"})}

    async def run():
        app = operator_api.operator_api_app(Api(), OPERATOR_API, UPLOADS, "http://moto.invalid", 1024)
        async with TestClient(TestServer(app)) as client:
            pages = {}
            for path in ("/driver/", "/driver/style.css", "/driver/js/app.js", "/driver/config.json"):
                async with client.get(path) as answer:
                    kind = answer.headers["Content-Type"].split(";")[0]
                    pages[path] = (answer.status, kind, await answer.text())
            async with client.get("/driver/js/nothing.js") as missing:
                pages["missing"] = (missing.status, "", "")
            api = []
            routes = ("/driver/account", "/driver/sessions?limit=5", "/driver/statements/2025-01?format=csv")
            for path in routes:
                async with client.get(path, headers={"Authorization": "Bearer csk_x"}) as answer:
                    api.append(json.loads(await answer.text()))
            return pages, api

    pages, api = asyncio.run(run())
    folder = operator_api.DRIVER_FOLDER
    assert pages["/driver/"] == (200, "text/html", (folder / "index.html").read_text())
    assert pages["/driver/style.css"][:2] == (200, "text/css")
    assert pages["/driver/js/app.js"] == (200, "text/javascript", (folder / "js" / "app.js").read_text())
    assert (pages["/driver/config.json"][0], json.loads(pages["/driver/config.json"][2])) == (
        200,
        {"auth": "token", "apiUrl": ""},
    )
    assert pages["missing"][0] == 404
    assert api == [{"from": "api"}] * 3
    assert asked == [
        ("/driver/account", "", "Bearer csk_x"),
        ("/driver/sessions", "limit=5", "Bearer csk_x"),
        ("/driver/statements/2025-01", "format=csv", "Bearer csk_x"),
    ]
