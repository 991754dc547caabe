"""The console in the cloud: its files in a private bucket behind the charge points' CloudFront
distribution, its config.json naming the API and the user pool, and an app client for the
hosted UI's code flow with PKCE that the API's authorizer trusts."""

import json

import pytest

from shared.manifest import CONSOLE_PATH, OPERATOR_AUTHORIZER
from tests.infra.conftest import function_named, of_pool, of_type, pool_named, viewer_request_of


def console_client(resources):
    operators = of_pool(resources, "AWS::Cognito::UserPoolClient", pool_named(resources, "Operators"))
    [(name, client)] = [
        (n, c) for n, c in operators.items() if "code" in c["Properties"].get("AllowedOAuthFlows", [])
    ]
    return name, client["Properties"]


def test_the_console_client_is_public_and_uses_the_code_flow_back_to_the_console(resources):
    _, client = console_client(resources)
    assert client["AllowedOAuthFlows"] == ["code"] and client["AllowedOAuthFlowsUserPoolClient"] is True
    assert "GenerateSecret" not in client or client["GenerateSecret"] is False  # PKCE, no secret in a page
    assert client["SupportedIdentityProviders"] == ["COGNITO"]
    [callback] = client["CallbackURLs"]
    assert json.dumps(callback).endswith(f'{CONSOLE_PATH}"]]}}') or callback.endswith(CONSOLE_PATH)
    assert client["LogoutURLs"] == client["CallbackURLs"]
    assert set(client["AllowedOAuthScopes"]) == {"openid", "email"}


def test_the_api_trusts_tokens_of_the_console_client(resources):
    name, _ = console_client(resources)
    resolver = resources[function_named(resources, OPERATOR_AUTHORIZER.handler)]
    clients = resolver["Properties"]["Environment"]["Variables"]["CSMS_USER_POOL_CLIENTS"]
    assert {"Ref": name} in clients["Fn::Join"][1]


def test_the_distribution_serves_the_console_from_a_private_bucket(resources):
    [distribution] = of_type(resources, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    assert set(behaviours) == {f"{CONSOLE_PATH}*", f"{CONSOLE_PATH}config.json"}
    origins = {o["Id"]: o for o in config["Origins"]}
    for behaviour in behaviours.values():
        origin = origins[behaviour["TargetOriginId"]]
        assert "S3OriginConfig" in origin and origin["OriginAccessControlId"]
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["ResponseHeadersPolicyId"]  # the managed security headers
    files = resources[behaviours[f"{CONSOLE_PATH}*"]["CachePolicyId"]["Ref"]]["Properties"][
        "CachePolicyConfig"
    ]
    assert files["DefaultTTL"] == 300 and files["MaxTTL"] == 3600
    # config.json changes with the stack: the managed CachingDisabled policy
    assert behaviours[f"{CONSOLE_PATH}config.json"]["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
    [bucket_policy] = [
        p
        for p in of_type(resources, "AWS::S3::BucketPolicy").values()
        if "cloudfront.amazonaws.com" in json.dumps(p["Properties"]["PolicyDocument"])
    ]
    [read] = [
        s for s in bucket_policy["Properties"]["PolicyDocument"]["Statement"] if s.get("Effect") == "Allow"
    ]
    assert read["Action"] == "s3:GetObject" and "AWS:SourceArn" in json.dumps(read["Condition"])


@pytest.mark.parametrize(
    ("uri", "served"),
    [
        (CONSOLE_PATH, f"{CONSOLE_PATH}index.html"),
        (f"{CONSOLE_PATH}js/app.js", f"{CONSOLE_PATH}js/app.js"),
        (f"{CONSOLE_PATH}config.json", f"{CONSOLE_PATH}config.json"),
    ],
)
def test_the_console_folder_is_its_index(resources, uri, served):
    index = viewer_request_of(resources, "The console's folder to its index.html")
    assert index(uri)["uri"] == served


def test_the_console_files_and_a_config_naming_the_api_and_the_user_pool_are_deployed(resources):
    [copy] = of_type(resources, "Custom::CDKBucketDeployment").values()
    props = copy["Properties"]
    assert props["DestinationBucketKeyPrefix"] == CONSOLE_PATH.strip("/") + "/"
    assert props["Prune"] is True and len(props["SourceObjectKeys"]) == 2
    config = json.dumps(props["SourceMarkers"])  # the values CloudFormation resolves into config.json
    name, _ = console_client(resources)
    for made_of in (name, "OperatorApiOperatorsDomain", ".execute-api.", "EdgeDistribution"):
        assert made_of in config
