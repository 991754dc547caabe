"""The operator HTTP API handler itself, fed HTTP API payload 2.0 events: authentication, errors
in one shape, the OpenAPI document. Each block's routes are tested in test_<block>.py."""

import pytest

from tests.builders import CONTEXT, call_api, http


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
