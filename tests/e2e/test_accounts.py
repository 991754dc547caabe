"""Accounts end to end: the local runtime runs the operator API's authorizer before the API, as
the cloud does, so a key made over HTTP is held to its role and its refusal is in the audit."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_a_viewer_key_reads_is_refused_a_command_and_the_refusal_is_audited(runtime):
    status, made = runtime.api("POST", "/api-keys", {"name": "e2e viewer", "role": "viewer"})
    assert status == 201 and made["key"].startswith("csk_")
    viewer = made["key"]
    status, me = runtime.api("GET", "/me", token=viewer)
    assert (status, me["principal"], me["kind"], me["role"], me["tenantId"]) == (
        200,
        made["apiKeyId"],
        "key",
        "viewer",
        None,
    )
    assert "read" in me["permissions"] and "send commands" not in me["permissions"]
    assert runtime.api("GET", "/charge-points", token=viewer)[0] == 200
    status, body = runtime.api(
        "POST",
        "/charge-points/E2E-ACC/commands",
        {"action": "Reset", "payload": {"type": "Soft"}},
        token=viewer,
    )
    assert (status, body["error"]) == (403, {"code": "Forbidden", "message": "viewer may not send commands"})
    status, page = runtime.api("GET", f"/audit?principal={made['apiKeyId']}")
    assert status == 200
    [refused] = page["items"]
    assert (refused["method"], refused["path"], refused["status"], refused["resource"]) == (
        "POST",
        "/charge-points/E2E-ACC/commands",
        403,
        "E2E-ACC",
    )
    assert refused["sourceIp"] == "127.0.0.1" and refused["role"] == "viewer"


def test_the_gateway_answers_a_request_without_credentials_and_the_api_a_wrong_one(runtime):
    assert runtime.api("GET", "/charge-points", token=None) == (401, {"message": "Unauthorized"})
    status, body = runtime.api("GET", "/charge-points", token="csk_0000000000000000_" + "A" * 43)
    assert status == 401 and body["error"]["code"] == "Unauthorized"
