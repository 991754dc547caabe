"""The WebSocket API: routes from the manifest, the authorizer on $connect, the stage."""

import json

from infra.websocket_api import ACCESS_LOG_FORMAT, IDENTITY_SOURCE
from shared.manifest import AUTHORIZER, WEBSOCKET_ROUTES
from tests.infra.conftest import api_named, function_named, integrated_function, of_type, routes_of


def test_every_manifest_route_and_only_those_reaches_its_function(resources):
    routes = routes_of(resources, "WEBSOCKET")
    assert set(routes) == set(WEBSOCKET_ROUTES)
    for key, spec in WEBSOCKET_ROUTES.items():
        assert integrated_function(resources, routes[key]) == function_named(resources, spec.handler), key


def test_the_authorizer_guards_connect_only(resources):
    [authorizer] = [
        a
        for a in of_type(resources, "AWS::ApiGatewayV2::Authorizer").values()
        if a["Properties"]["ApiId"] == {"Ref": api_named(resources, "WEBSOCKET")}
    ]
    assert authorizer["Properties"]["IdentitySource"] == [IDENTITY_SOURCE]
    assert function_named(resources, AUTHORIZER.handler) in json.dumps(
        authorizer["Properties"]["AuthorizerUri"]
    )
    for key, route in routes_of(resources, "WEBSOCKET").items():
        assert route["Properties"]["AuthorizationType"] == ("CUSTOM" if key == "$connect" else "NONE"), key


def test_the_stage_logs_and_throttles(resources):
    [stage] = [
        s
        for s in of_type(resources, "AWS::ApiGatewayV2::Stage").values()
        if s["Properties"]["StageName"] == "ocpp"
    ]
    props = stage["Properties"]
    assert props["AutoDeploy"] is True
    assert props["DefaultRouteSettings"]["ThrottlingRateLimit"] == 1000
    assert props["DefaultRouteSettings"]["ThrottlingBurstLimit"] == 2000
    assert props["DefaultRouteSettings"]["LoggingLevel"] == "ERROR"
    assert json.loads(props["AccessLogSettings"]["Format"]) == ACCESS_LOG_FORMAT
    assert "requestId" in ACCESS_LOG_FORMAT  # API Gateway refuses a format without it
    assert stage.get("DependsOn"), "the account's logging role comes first"
    assert len(of_type(resources, "AWS::ApiGateway::Account")) == 1
