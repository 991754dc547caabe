"""A URL someone outside named is fetched only from a public address, once, with no redirect:
the CSMS must not scan or reach into the network it runs in for a station."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shared.aws import outside


class Served(BaseHTTPRequestHandler):
    asked: list[str] = []
    answer: tuple[int, dict[str, str], bytes] = (200, {}, b"ok")

    def do_GET(self) -> None:
        Served.asked.append(self.path)
        status, headers, body = Served.answer
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    Served.asked, Served.answer = [], (200, {}, b"ok")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Served)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def fetch(url: str, private_allowed: bool = False, max_bytes: int = 1024) -> bytes:
    return outside.fetch(url, None, {}, 2.0, max_bytes, private_allowed)


def test_loopback_and_private_addresses_are_refused_before_any_connection(server):
    for url in (f"{server}/status", "http://localhost:9/", "http://10.0.0.1/", "http://[::1]:9/"):
        with pytest.raises(outside.Refused, match="not a public address"):
            fetch(url)
    assert Served.asked == []


def test_only_http_and_https_are_fetched():
    for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://x/", "http://"):
        with pytest.raises(outside.Refused, match="not an http"):
            fetch(url)


def test_a_redirect_is_not_followed_and_an_answer_is_capped(server):
    Served.answer = (302, {"Location": f"{server}/elsewhere"}, b"")
    with pytest.raises(outside.Refused, match="redirects"):
        fetch(f"{server}/first", private_allowed=True)
    assert Served.asked == ["/first"]
    Served.answer = (200, {}, b"x" * 2048)
    with pytest.raises(outside.Refused, match="too large"):
        fetch(f"{server}/big", private_allowed=True)
    Served.answer = (401, {}, b"")
    with pytest.raises(outside.Refused, match="HTTP 401"):
        fetch(f"{server}/secret", private_allowed=True)


def test_where_private_addresses_are_allowed_the_answer_comes_back(server):
    assert fetch(f"{server}/status?x=1", private_allowed=True) == b"ok"
    assert Served.asked == ["/status?x=1"]
