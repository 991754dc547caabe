"""The operator HTTP API handler itself, fed HTTP API payload 2.0 events: authentication, errors
in one shape, the OpenAPI document. Each block's routes are tested in test_<block>.py."""

import json
from unittest import mock

import pytest

from tests.builders import CONTEXT, call_api, http
from tests.conftest import TEST_API_TOKEN


@pytest.mark.parametrize("token", [None, "wrong-token", ""])
def test_requests_without_the_right_bearer_token_are_401(aws, token):
    status, body = call_api("GET", "/charge-points", token=token)
    assert status == 401 and body["error"]["code"] == "Unauthorized"


def test_unknown_routes_are_404_in_the_api_error_shape(aws):
    status, body = call_api("GET", "/nothing-here")
    assert status == 404 and body["error"]["code"] == "NotFound"


def test_openapi_and_swagger_are_served_without_a_token(aws):
    status, spec = call_api("GET", "/openapi.json", token=None)
    assert status == 200 and spec["openapi"].startswith("3.")
    assert {"/charge-points", "/charge-points/{charge_point_id}"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    from functions.operator_api.handler import lambda_handler as api

    docs = api(http("GET", "/docs", token=None), CONTEXT)
    assert docs["statusCode"] == 200 and "swagger-ui" in docs["body"].lower()


def test_the_documentation_is_built_once_and_kept_by_browsers(aws):
    """Building it costs a core's fifth of a second (2 MB); a hundred readers must not cost a
    hundred builds on the path the charge points share."""
    from functions.operator_api import handler

    with mock.patch.object(handler.app, "get_openapi_schema", wraps=handler.app.get_openapi_schema) as built:
        pages = [handler.lambda_handler(http("GET", "/docs", token=None), CONTEXT) for _ in range(3)]
        specs = [handler.lambda_handler(http("GET", "/openapi.json", token=None), CONTEXT) for _ in range(3)]
    assert built.call_count <= 2  # at most once for the page and once for the document
    assert len({page["body"] for page in pages}) == 1 and "swagger-ui" in pages[0]["body"].lower()
    assert len({spec["body"] for spec in specs}) == 1 and json.loads(specs[0]["body"])["openapi"]
    for answer in pages + specs:
        assert answer["statusCode"] == 200
        assert answer["headers"]["Cache-Control"] == "public, max-age=300"
    assert pages[0]["headers"]["Content-Type"].startswith("text/html")
    assert specs[0]["headers"]["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "token", ["t\u00e9st-token-0123456789", "\udcff\udcfe-token-0123456789", "\u4e2d" * 20]
)
def test_a_token_of_any_bytes_is_a_401_not_a_fault(aws, token):
    status, body = call_api("GET", "/charge-points", token=token)
    assert status == 401 and body["error"]["code"] == "Unauthorized"


def test_authentication_comes_before_the_body_is_read(aws):
    status, body = call_api("PUT", "/id-tokens/TAG1", {"status": "Nonsense"}, token=None)
    assert status == 401 and "Nonsense" not in json.dumps(body) and "Accepted" not in json.dumps(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"status": "' + "\xff\xfe" + '"}', None),
    ],
)
def test_bodies_json_cannot_read_are_400(aws, body, reason):
    from functions.operator_api.handler import lambda_handler as api
    from local.runtime import events

    raw = body.encode("latin-1") if reason is None else body.encode()
    headers = [("Content-Type", "application/json"), ("Authorization", "Bearer " + TEST_API_TOKEN)]
    answer = api(events.http_request("PUT", "/id-tokens/TAG1", "", headers, raw), CONTEXT)
    assert answer["statusCode"] == 400, answer
    assert reason is None or reason in json.loads(answer["body"])["error"]["message"]


def test_every_block_under_routes_is_served_and_keeps_its_models_in_models(aws):
    """The handler finds each block's routes itself: a module (or package) added under routes/
    is served with nothing else to change. Its request and response models are in models/."""
    import importlib
    from pathlib import Path

    from pydantic import BaseModel

    from functions.operator_api import routes
    from functions.operator_api.handler import app

    folder = Path(routes.__file__).parent
    blocks = {path.stem for path in folder.glob("*.py") if path.stem != "__init__"}
    blocks |= {path.name for path in folder.iterdir() if (path / "__init__.py").is_file()}
    served = {route.func for route in app._static_routes + app._dynamic_routes}
    for block in blocks:
        module = importlib.import_module(f"{routes.__name__}.{block}")
        assert module.router._routes and set(module.router._routes.values()) <= served, block
        classes = [value for value in vars(module).values() if isinstance(value, type)]
        inline = [c.__name__ for c in classes if issubclass(c, BaseModel) and c.__module__ == module.__name__]
        assert not inline, f"{block}: models belong in functions/operator_api/models/{block}.py"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/local-lists", {"mode": "full", "chargePoints": ["CP1", ""]}),
        ("POST", "/firmware-rollouts", {"firmwareId": "fw", "chargePoints": [""]}),
        ("PUT", "/sites/S1", {"limit": {"amps": 32}, "chargePoints": [""]}),
        ("PUT", "/tariffs/T1", {"assignedTo": {"chargePoints": [""]}}),
    ],
)
def test_a_charge_point_a_body_names_is_1_to_48_characters_like_its_path(aws, method, path, body):
    status, answer = call_api(method, path, body)
    assert status == 400 and "chargePoints" in answer["error"]["message"], answer
