"""Starts the local runtime for real (`python -m local`) and talks to it over sockets."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v21 import ChargePoint as ChargePoint21
from ocpp.v201 import ChargePoint as ChargePoint201

from local.runtime.launch import Launched, launch

TOKEN = "e2e-token-0123456789abcdef"


@dataclass
class Runtime:
    ws_url: str
    api_url: str
    log: Path
    pid: int = 0  # the runtime's process, whose memory a test may watch

    def ocpp_url(self, charge_point_id: str) -> str:
        return f"{self.ws_url}/ocpp/{charge_point_id}"

    def api(self, method: str, path: str, body: Any = None, token: str | None = TOKEN) -> tuple[int, Any]:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def wait_for(self, predicate: Any, timeout: float = 5.0) -> Any:
        """Poll the API until the runtime reflects what a test did (disconnects are asynchronous)."""
        deadline = time.monotonic() + timeout
        while True:
            value = predicate()
            if value or time.monotonic() > deadline:
                return value
            time.sleep(0.05)


CLIENT_CLASSES = {"1.6": ChargePoint16, "2.0.1": ChargePoint201, "2.1": ChargePoint21}


@contextlib.asynccontextmanager
async def connected(
    runtime: Runtime, charge_point_id: str, version: str, station_class: type | None = None
) -> AsyncIterator[Any]:
    """An `ocpp` package ChargePoint of that version (or of a subclass), connected and listening."""
    async with websockets.connect(runtime.ocpp_url(charge_point_id), subprotocols=[f"ocpp{version}"]) as ws:
        station = (station_class or CLIENT_CLASSES[version])(charge_point_id, ws)
        listener = asyncio.create_task(station.start())
        try:
            yield station
        finally:
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener


def start_runtime(tmp: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[Launched, Runtime]:
    env = {"CSMS_API_TOKEN": TOKEN, "POWERTOOLS_LOG_LEVEL": "INFO", **(env or {})}
    launched = launch(tmp / "runtime.log", *extra, env=env)
    return launched, Runtime(launched.ws_url, launched.api_url, launched.log, launched.process.pid)


# The client credentials the runtime keeps for the e2e site's VTN (tests/e2e/test_sites.py).
VEN_CLIENT = ("ven-e2e", "secret-e2e")


@pytest.fixture(scope="session")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    # The command timeout sweep runs every second instead of every minute.
    launched, runtime = start_runtime(
        tmp_path_factory.mktemp("runtime"),
        "--schedule-period",
        "1",
        "--openadr-credentials",
        f"e2e={VEN_CLIENT[0]}:{VEN_CLIENT[1]}",
    )
    yield runtime
    assert launched.stop() == 0, runtime.log.read_text()


@pytest.fixture(scope="module")
def short_lived_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """The gateway's limits, shrunk so that a test can watch them act."""
    launched, runtime = start_runtime(
        tmp_path_factory.mktemp("short"),
        "--idle-timeout",
        "1",
        "--max-lifetime",
        "3",
        "--max-message-bytes",
        "4096",
        "--handshake-timeout",
        "1",
    )
    yield runtime
    launched.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium under Playwright, one per module of browser tests (imported here, on
    the first browser test, not by every end-to-end test)."""
    from playwright.sync_api import sync_playwright

    from local.tools.browser import FLAGS, chromium

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
        yield launched
        launched.close()
