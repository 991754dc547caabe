"""Chromium for the console's browser tests and pictures: Debian's build, started headless with
what this machine's closed network needs (without the background-networking flags it keeps
reaching for Google's hosts, and each refusal costs time)."""

from __future__ import annotations

import os
import shutil
from typing import Any

FLAGS = [
    "--headless=new",
    "--no-sandbox",  # as root, in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def sign_in(page: Any, base_url: str, token: str) -> None:
    """Open the console and sign in with the API token, as an operator does once per tab."""
    page.goto(base_url + "/")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()


def chromium() -> str:
    """Its path: CSMS_CHROMIUM, or the one on PATH."""
    found = os.environ.get("CSMS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise RuntimeError(
            "Chromium is needed: apt-get install chromium (.ci/run does), or CSMS_CHROMIUM=path"
        )
    return found
