"""Starting `python -m local` as a child process and waiting until it answers: for the fleet's
demo and load runs, and for the end-to-end tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local.runtime.aws import free_port

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Launched:
    process: subprocess.Popen[bytes]
    ws_url: str
    api_url: str
    log: Path
    wss_url: str = ""

    @property
    def ocpp_url(self) -> str:
        return f"{self.ws_url}/ocpp"

    def put(self, token: str, path: str, body: Any) -> None:
        """An operator API PUT with the bearer token (the tools that seed a runtime use it)."""
        request = urllib.request.Request(self.api_url + path, data=json.dumps(body).encode(), method="PUT")
        request.add_header("Authorization", f"Bearer {token}")
        request.add_header("Content-Type", "application/json")
        urllib.request.urlopen(request, timeout=30).read()

    def stop(self, timeout_s: float = 60) -> int:
        """As Ctrl-C would; killed if it does not stop in time (then the code is -9)."""
        if self.process.poll() is not None:
            return self.process.returncode
        self.process.send_signal(2)
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def launch(log: Path, *args: str, env: dict[str, str] | None = None, host: str = "127.0.0.1") -> Launched:
    ws_port, http_port, wss_port = free_port(host), free_port(host), free_port(host)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "local",
            "--host",
            host,
            "--ws-port",
            str(ws_port),
            "--wss-port",
            str(wss_port),
            "--http-port",
            str(http_port),
            "--ftp-port",  # a free one, unless the arguments say otherwise
            "0",
            *args,
        ],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # a Ctrl-C meant for the fleet must not stop the CSMS under it
    )
    launched = Launched(
        process, f"ws://{host}:{ws_port}", f"http://{host}:{http_port}", log, f"wss://{host}:{wss_port}"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"local runtime exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(launched.api_url + "/openapi.json", timeout=5) as response:
                if response.status == 200:
                    return launched
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"local runtime did not start:\n{log.read_text()}")
