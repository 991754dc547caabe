"""Operators' retries: a POST with an Idempotency-Key creates once and answers the same again;
the key with another request is refused; without the header, nothing changes."""

import json

import pytest

from functions.operator_api.handler import lambda_handler as api
from local.runtime import events
from shared.data.idempotency import IdempotencyRecord
from tests.builders import CONTEXT, call_api
from tests.conftest import TEST_API_TOKEN


def post(path, body, key=None, token=TEST_API_TOKEN):
    """The handler's whole answer to a POST (with the token and, if given, the key)."""
    headers = [("Content-Type", "application/json"), ("Authorization", f"Bearer {token}")]
    if key is not None:
        headers.append(("Idempotency-Key", key))
    return api(events.http_request("POST", path, "", headers, json.dumps(body).encode()), CONTEXT)


def sent_calls(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2]


def drivers():
    status, page = call_api("GET", "/drivers")
    assert status == 200
    return page["items"]


ADA = {"name": "Ada Lovelace", "email": "ada@example.com"}


def test_a_retried_post_creates_once_and_answers_the_first_answer(aws):
    first = post("/drivers", ADA, key="k-1")
    again = post("/drivers", ADA, key="k-1")
    assert first["statusCode"] == again["statusCode"] == 201
    assert json.loads(again["body"]) == json.loads(first["body"])  # the same driver, and its key
    assert again["headers"].get("Idempotent-Replayed") == "true"
    assert "Idempotent-Replayed" not in first["headers"]
    assert [driver["email"] for driver in drivers()] == ["ada@example.com"]


def test_the_same_document_spaced_or_ordered_otherwise_is_the_same_request(aws):
    post("/drivers", ADA, key="k-1")
    headers = [("Authorization", f"Bearer {TEST_API_TOKEN}"), ("Idempotency-Key", "k-1")]
    text = b'{ "email": "ada@example.com",  "name": "Ada Lovelace" }'
    again = api(events.http_request("POST", "/drivers", "", headers, text), CONTEXT)
    assert again["statusCode"] == 201 and again["headers"].get("Idempotent-Replayed") == "true"
    assert len(drivers()) == 1


def test_a_key_reused_with_another_body_or_path_is_422_and_creates_nothing(aws):
    post("/drivers", ADA, key="k-1")
    other = post("/drivers", {"name": "Grace Hopper", "email": "grace@example.com"}, key="k-1")
    assert other["statusCode"] == 422
    assert json.loads(other["body"])["error"]["code"] == "IdempotencyKeyReused"
    elsewhere = post("/api-keys", {"name": "tool", "role": "viewer", "tenantId": "default"}, key="k-1")
    assert elsewhere["statusCode"] == 422
    assert call_api("GET", "/api-keys")[1]["items"] == []
    assert [driver["email"] for driver in drivers()] == ["ada@example.com"]


def test_without_the_header_each_post_creates_and_no_key_is_kept(aws):
    assert post("/drivers", ADA)["statusCode"] == post("/drivers", ADA)["statusCode"] == 201
    assert len(drivers()) == 2
    assert IdempotencyRecord.count() == 0


def test_a_refusal_forgets_the_key_so_the_retry_runs_again(aws):
    body = {"action": "Reset", "payload": {"type": "Soft"}}
    assert post("/charge-points/CP9/commands", body, key="k-2")["statusCode"] == 404
    assert call_api("PUT", "/charge-points/CP9", {})[0] in (200, 201)
    retried = post("/charge-points/CP9/commands", body, key="k-2")
    assert retried["statusCode"] == 409  # registered now, and not connected: the route ran again
    assert json.loads(retried["body"])["error"]["code"] == "NotConnected"


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_command_retried_with_its_key_goes_to_the_station_once(station, posted, version):
    body = {"action": "Reset", "payload": {"type": "Soft"}}
    first = post("/charge-points/CP1/commands", body, key="reset-1")
    again = post("/charge-points/CP1/commands", body, key="reset-1")
    assert first["statusCode"] == again["statusCode"] == 202
    assert json.loads(again["body"])["commandId"] == json.loads(first["body"])["commandId"]
    assert [frame[2] for frame in sent_calls(posted)] == ["Reset"]
    third = post("/charge-points/CP1/commands", body, key="reset-2")
    assert json.loads(third["body"])["commandId"] != json.loads(first["body"])["commandId"]


def test_keys_are_per_caller(aws):
    """Another caller's key of the same spelling is another key: it neither reads the first
    caller's answer nor is refused as reused."""
    status, made = call_api("POST", "/api-keys", {"name": "tool", "role": "admin", "tenantId": "default"})
    assert status == 201
    post("/drivers", ADA, key="shared")
    grace = {"name": "Grace Hopper", "email": "grace@example.com"}
    other = post("/drivers", grace, key="shared", token=made["key"])
    assert other["statusCode"] == 201 and "Idempotent-Replayed" not in other["headers"]
    assert sorted(driver["email"] for driver in drivers()) == ["ada@example.com", "grace@example.com"]


def test_a_key_must_be_1_to_255_printable_characters(aws):
    for key in ("", "x" * 256, "tab\there"):
        answer = post("/drivers", ADA, key=key)
        assert answer["statusCode"] == 400, key
        assert "Idempotency-Key" in json.loads(answer["body"])["error"]["message"]
    assert drivers() == []


def test_the_openapi_document_gives_every_post_the_header(aws):
    status, spec = call_api("GET", "/openapi.json", token=None)
    assert status == 200
    posts = {path: item["post"] for path, item in spec["paths"].items() if "post" in item}
    assert len(posts) >= 30
    for path, operation in posts.items():
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        assert [p["name"] for p in headers] == ["Idempotency-Key"], path
        assert {"409", "422"} <= set(operation["responses"]), path
    others = [item[m] for item in spec["paths"].values() for m in ("get", "put", "delete") if m in item]
    assert not any(p["name"] == "Idempotency-Key" for op in others for p in op.get("parameters", []))


def test_a_key_whose_first_request_still_runs_is_refused_as_in_progress(aws):
    from shared.domain.errors import KeyInProgress
    from shared.services import idempotency

    request = {"method": "POST", "path": "/drivers", "body": ADA}
    seen = []

    def first():
        with pytest.raises(KeyInProgress):  # the retry arriving while the first runs
            idempotency.once(
                "k-3", "default/admin", request, lambda: idempotency.Answer(201, "", ""), CONTEXT
            )
        seen.append("first")
        return idempotency.Answer(201, "application/json", '{"n": 1}')

    assert idempotency.once("k-3", "default/admin", request, first, CONTEXT) == (
        idempotency.Answer(201, "application/json", '{"n": 1}'),
        False,
    )
    assert idempotency.once("k-3", "default/admin", request, first, CONTEXT)[1] is True  # a replay
    assert seen == ["first"]
