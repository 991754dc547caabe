"""The operator HTTP API: a JWT authorizer over the stack's user pool, public docs."""

from shared.manifest import OPERATOR_API, OPERATOR_API_PUBLIC_PATHS, UPLOAD_METHODS, UPLOADS
from tests.infra.conftest import function_named, integrated_function, of_type, routes_of

UPLOAD_ROUTES = {
    f"{method} {path}"
    for method in UPLOAD_METHODS
    for path in ("/uploads/{token}", "/uploads/{token}/{name}")
}


def test_every_request_but_the_docs_and_uploads_needs_a_token_from_the_user_pool(resources):
    routes = routes_of(resources, "HTTP")
    docs = {f"GET {path}" for path in OPERATOR_API_PUBLIC_PATHS}
    assert set(routes) == {"$default", *docs, *UPLOAD_ROUTES}
    handler = function_named(resources, OPERATOR_API.handler)
    uploads = function_named(resources, UPLOADS.handler)
    for key, route in routes.items():
        expected = uploads if key in UPLOAD_ROUTES else handler
        assert integrated_function(resources, route) == expected, key
        assert route["Properties"]["AuthorizationType"] == ("JWT" if key == "$default" else "NONE"), key
    [jwt] = [
        a
        for a in of_type(resources, "AWS::ApiGatewayV2::Authorizer").values()
        if a["Properties"]["AuthorizerType"] == "JWT"
    ]
    [pool] = of_type(resources, "AWS::Cognito::UserPool")
    clients = of_type(resources, "AWS::Cognito::UserPoolClient")
    config = jwt["Properties"]["JwtConfiguration"]
    assert {"Ref": pool} in config["Issuer"]["Fn::Join"][1]
    assert sorted(a["Ref"] for a in config["Audience"]) == sorted(clients)


def test_people_sign_in_and_machines_use_client_credentials(resources):
    [pool] = of_type(resources, "AWS::Cognito::UserPool").values()
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    clients = [c["Properties"] for c in of_type(resources, "AWS::Cognito::UserPoolClient").values()]
    [people] = [c for c in clients if "ExplicitAuthFlows" in c]
    [machines] = [c for c in clients if c.get("GenerateSecret")]
    assert "ALLOW_USER_PASSWORD_AUTH" in people["ExplicitAuthFlows"]
    assert machines["AllowedOAuthFlows"] == ["client_credentials"]
    assert len(clients) == 3  # and the console's (tests/infra/test_console.py)
    [server] = of_type(resources, "AWS::Cognito::UserPoolResourceServer").values()
    assert server["Properties"]["Identifier"] == "csms"
    assert len(of_type(resources, "AWS::Cognito::UserPoolDomain")) == 1


def test_cors_throttling_and_access_logs(resources):
    api = resources[
        next(
            iter(
                n
                for n, r in of_type(resources, "AWS::ApiGatewayV2::Api").items()
                if r["Properties"]["ProtocolType"] == "HTTP"
            )
        )
    ]
    assert api["Properties"]["CorsConfiguration"]["AllowHeaders"] == ["Authorization", "Content-Type"]
    [stage] = [
        s
        for s in of_type(resources, "AWS::ApiGatewayV2::Stage").values()
        if s["Properties"]["StageName"] == "$default"
    ]
    assert stage["Properties"]["DefaultRouteSettings"]["ThrottlingRateLimit"] == 50
    assert "AccessLogSettings" in stage["Properties"]


def test_the_function_trusts_the_gateway_for_authentication(resources):
    variables = resources[function_named(resources, OPERATOR_API.handler)]["Properties"]["Environment"][
        "Variables"
    ]
    assert variables["CSMS_API_AUTH"] == "gateway"
