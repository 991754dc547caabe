"""An operator's retry against the runtime as a process: the header passes the local API
Gateway, the key's table is the operator API's to use, and the retry creates nothing twice."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

from tests.e2e.conftest import TOKEN, Runtime

pytestmark = pytest.mark.e2e


def post(runtime: Runtime, path: str, body: Any, key: str) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(runtime.api_url + path, data=json.dumps(body).encode(), method="POST")
    for name, value in (("Content-Type", "application/json"), ("Authorization", f"Bearer {TOKEN}")):
        request.add_header(name, value)
    request.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_a_retried_post_answers_the_first_answer_and_creates_once(runtime):
    key, email = str(uuid.uuid4()), f"{uuid.uuid4().hex[:8]}@example.com"
    body = {"name": "Retried Driver", "email": email}
    first = post(runtime, "/drivers", body, key)
    again = post(runtime, "/drivers", body, key)
    assert first[0] == again[0] == 201 and again[2] == first[2]
    assert again[1].get("Idempotent-Replayed") == "true"
    status, found = runtime.api("GET", f"/drivers?email={email}")
    assert status == 200 and [driver["driverId"] for driver in found["items"]] == [first[2]["driverId"]]
    other = post(runtime, "/drivers", {**body, "name": "Someone Else"}, key)
    assert other[0] == 422 and other[2]["error"]["code"] == "IdempotencyKeyReused"
