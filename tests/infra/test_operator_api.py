"""The operator HTTP API: a Lambda authorizer over API keys and the stack's user pool, a group per
role, sign-ins kept, an append-only audit trail, public docs."""

import json

from shared.manifest import (
    OCPI,
    OCPI_PATH,
    OCPP_SOAP,
    OPERATOR_API,
    OPERATOR_API_PUBLIC_PATHS,
    OPERATOR_AUTHORIZER,
    PAY_ROUTES,
    SIGN_INS,
    SOAP_15_PATH,
    UPLOAD_METHODS,
    UPLOADS,
)
from tests.infra.conftest import (
    api_named,
    function_named,
    integrated_function,
    of_pool,
    of_type,
    pool_named,
    routes_of,
    statements_of,
)

UPLOAD_ROUTES = {
    f"{method} {path}"
    for method in UPLOAD_METHODS
    for path in ("/uploads/{token}", "/uploads/{token}/{name}")
}


def test_every_request_but_the_docs_pay_page_uploads_soap_and_ocpi_goes_through_the_lambda_authorizer(
    resources,
):
    routes = routes_of(resources, "HTTP")
    docs = {f"GET {path}" for path in OPERATOR_API_PUBLIC_PATHS}
    pay = {f"{method} {path}" for method, path in PAY_ROUTES}
    soap = f"POST {SOAP_15_PATH}"
    ocpi = f"ANY {OCPI_PATH}/{{proxy+}}"
    assert set(routes) == {"$default", *docs, *pay, *UPLOAD_ROUTES, soap, ocpi}
    handler = function_named(resources, OPERATOR_API.handler)
    uploads = function_named(resources, UPLOADS.handler)
    stations = function_named(resources, OCPP_SOAP.handler)
    partners = function_named(resources, OCPI.handler)
    for key, route in routes.items():
        expected = (
            uploads
            if key in UPLOAD_ROUTES
            else stations
            if key == soap
            else partners
            if key == ocpi
            else handler
        )
        assert integrated_function(resources, route) == expected, key
        assert route["Properties"]["AuthorizationType"] == ("CUSTOM" if key == "$default" else "NONE"), key
    http_api = {"Ref": api_named(resources, "HTTP")}
    [authorizer] = [
        a
        for a in of_type(resources, "AWS::ApiGatewayV2::Authorizer").values()
        if a["Properties"]["ApiId"] == http_api
    ]
    properties = authorizer["Properties"]
    assert properties["AuthorizerType"] == "REQUEST" and properties["EnableSimpleResponses"] is True
    assert properties["IdentitySource"] == ["$request.header.Authorization"]
    assert properties["AuthorizerResultTtlInSeconds"] == 60  # the bound on revocation
    resolver = function_named(resources, OPERATOR_AUTHORIZER.handler)
    assert resolver in json.dumps(properties["AuthorizerUri"])
    variables = resources[resolver]["Properties"]["Environment"]["Variables"]
    pool, drivers = pool_named(resources, "Operators"), pool_named(resources, "Drivers")
    assert variables["CSMS_USER_POOL_ID"] == {"Ref": pool}
    clients = of_pool(resources, "AWS::Cognito::UserPoolClient", pool)
    named = json.dumps(variables["CSMS_USER_POOL_CLIENTS"])
    assert all(client in named for client in clients) and len(clients) == 3
    assert variables["CSMS_DRIVERS_POOL_ID"] == {"Ref": drivers}
    [drivers_client] = of_pool(resources, "AWS::Cognito::UserPoolClient", drivers)
    assert variables["CSMS_DRIVERS_POOL_CLIENTS"] == {"Ref": drivers_client}


def test_a_group_per_role_and_the_platform_admins_and_a_tenant_attribute(resources):
    groups = {
        g["Properties"]["GroupName"] for g in of_type(resources, "AWS::Cognito::UserPoolGroup").values()
    }
    assert groups == {"admin", "operator", "technician", "viewer", "platform-admin"}
    pool = resources[pool_named(resources, "Operators")]
    assert {"Name": "tenantId", "AttributeDataType": "String", "Mutable": True} in [
        {k: a[k] for k in ("Name", "AttributeDataType", "Mutable")} for a in pool["Properties"]["Schema"]
    ]


def test_sign_ins_are_kept_by_the_post_authentication_trigger(resources):
    pool = resources[pool_named(resources, "Operators")]
    trigger = pool["Properties"]["LambdaConfig"]["PostAuthentication"]
    assert trigger == {"Fn::GetAtt": [function_named(resources, SIGN_INS.handler), "Arn"]}


def test_the_audit_trail_is_append_only_for_every_role(resources):
    [audit] = [name for name in of_type(resources, "AWS::DynamoDB::GlobalTable") if "AuditRecord" in name]
    table = resources[audit]["Properties"]
    assert table["TimeToLiveSpecification"]["Enabled"] is True
    assert table["Replicas"][0]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    writers = set()
    for name, policy in {
        **of_type(resources, "AWS::IAM::Policy"),
        **of_type(resources, "AWS::IAM::ManagedPolicy"),
    }.items():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            if audit not in json.dumps(statement["Resource"]):
                continue
            assert not {
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:*",
            } & set(actions), name
            if "dynamodb:PutItem" in actions:
                writers.add(name)
    for spec in (OPERATOR_API, SIGN_INS):
        function = resources[function_named(resources, spec.handler)]
        puts = [s for s in statements_of(resources, function) if audit in json.dumps(s["Resource"])]
        assert any("dynamodb:PutItem" in s["Action"] for s in puts), spec.name
    assert writers


def test_people_sign_in_and_machines_use_client_credentials(resources):
    name = pool_named(resources, "Operators")
    assert resources[name]["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    clients = [c["Properties"] for c in of_pool(resources, "AWS::Cognito::UserPoolClient", name).values()]
    [people] = [c for c in clients if "ExplicitAuthFlows" in c]
    [machines] = [c for c in clients if c.get("GenerateSecret")]
    assert "ALLOW_USER_PASSWORD_AUTH" in people["ExplicitAuthFlows"]
    assert machines["AllowedOAuthFlows"] == ["client_credentials"]
    assert len(clients) == 3  # and the console's (tests/infra/test_console.py)
    [server] = of_type(resources, "AWS::Cognito::UserPoolResourceServer").values()
    assert server["Properties"]["Identifier"] == "csms"
    assert len(of_pool(resources, "AWS::Cognito::UserPoolDomain", name)) == 1


def test_drivers_sign_up_to_a_pool_of_their_own_and_cannot_choose_their_tenant(resources):
    name = pool_named(resources, "Drivers")
    pool = resources[name]["Properties"]
    assert pool["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is False
    assert pool["UsernameAttributes"] == ["email"] and pool["AutoVerifiedAttributes"] == ["email"]
    assert pool["Policies"]["PasswordPolicy"]["MinimumLength"] >= 12
    assert not of_pool(resources, "AWS::Cognito::UserPoolGroup", name)  # no operator role
    [client] = [c["Properties"] for c in of_pool(resources, "AWS::Cognito::UserPoolClient", name).values()]
    assert client["AllowedOAuthFlows"] == ["code"] and not client.get("GenerateSecret")
    assert json.dumps(client["CallbackURLs"]).endswith('/driver/"]]}]') or client["CallbackURLs"][0].endswith(
        "/driver/"
    )
    assert "custom:tenantId" in client["ReadAttributes"]
    assert "custom:tenantId" not in client["WriteAttributes"]
    assert of_pool(resources, "AWS::Cognito::UserPoolDomain", name)


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
    # A receipt's name, which the drivers' pages save it under
    assert api["Properties"]["CorsConfiguration"]["ExposeHeaders"] == ["Content-Disposition"]
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


def test_both_pools_ask_twelve_characters_of_every_kind_and_offer_totp(resources):
    for name in ("Operators", "Drivers"):
        pool = resources[pool_named(resources, name)]["Properties"]
        assert pool["Policies"]["PasswordPolicy"] == {
            "MinimumLength": 12,
            "RequireLowercase": True,
            "RequireUppercase": True,
            "RequireNumbers": True,
            "RequireSymbols": True,
        }
        assert pool["MfaConfiguration"] == "OPTIONAL" and pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]


def test_mfa_required_in_both_pools_is_a_switch(every_feature):
    resources = every_feature[2]["Resources"]
    for name in ("Operators", "Drivers"):
        assert resources[pool_named(resources, name)]["Properties"]["MfaConfiguration"] == "ON"
