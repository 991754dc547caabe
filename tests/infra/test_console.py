"""The console and the driver pages in the cloud: their files in one private bucket behind the
charge points' CloudFront distribution (/console/ and /driver/), each config.json naming the API
and a user pool (the operators' for the console, the drivers' for the driver pages), and app
clients for the hosted UI's code flow with PKCE that the API's authorizer trusts."""

import json

import pytest

from infra.console import DRIVER_PATH
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


def test_the_distribution_serves_the_console_and_the_driver_pages_from_one_private_bucket(resources):
    [distribution] = of_type(resources, "AWS::CloudFront::Distribution").values()
    config = distribution["Properties"]["DistributionConfig"]
    behaviours = {b["PathPattern"]: b for b in config["CacheBehaviors"]}
    folders = (CONSOLE_PATH, DRIVER_PATH)
    assert set(behaviours) == {f"{path}{file}" for path in folders for file in ("*", "config.json")}
    origins = {o["Id"]: o for o in config["Origins"]}
    [origin] = {behaviour["TargetOriginId"] for behaviour in behaviours.values()}  # the one bucket
    assert "S3OriginConfig" in origins[origin] and origins[origin]["OriginAccessControlId"]
    for behaviour in behaviours.values():
        assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
        assert behaviour["ResponseHeadersPolicyId"]  # the managed security headers
    for path in folders:
        files = behaviours[f"{path}*"]
        policy = resources[files["CachePolicyId"]["Ref"]]["Properties"]["CachePolicyConfig"]
        assert policy["DefaultTTL"] == 300 and policy["MaxTTL"] == 3600
        [index] = files["FunctionAssociations"]
        assert index["EventType"] == "viewer-request"
        # config.json changes with the stack: the managed CachingDisabled policy
        assert behaviours[f"{path}config.json"]["CachePolicyId"] == "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
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
        (DRIVER_PATH, f"{DRIVER_PATH}index.html"),
        (f"{DRIVER_PATH}js/sessions.js", f"{DRIVER_PATH}js/sessions.js"),
    ],
)
def test_each_folder_is_its_index(resources, uri, served):
    index = viewer_request_of(resources, "A folder of pages (the console, the drivers') to its index.html")
    assert index(uri)["uri"] == served


def deployed(resources):
    """Each folder's copy into the bucket, by its prefix: its properties, and the values
    CloudFormation resolves into its config.json."""
    copies = {
        c["Properties"]["DestinationBucketKeyPrefix"]: c
        for c in of_type(resources, "Custom::CDKBucketDeployment").values()
    }
    assert set(copies) == {CONSOLE_PATH.strip("/") + "/", DRIVER_PATH.strip("/") + "/"}
    for copy in copies.values():
        assert copy["Properties"]["Prune"] is True and len(copy["Properties"]["SourceObjectKeys"]) == 2
    return {prefix: json.dumps(copy["Properties"]["SourceMarkers"]) for prefix, copy in copies.items()}


def test_the_console_files_and_a_config_naming_the_api_and_the_user_pool_are_deployed(resources):
    config = deployed(resources)[CONSOLE_PATH.strip("/") + "/"]
    name, _ = console_client(resources)
    for made_of in (name, "OperatorApiOperatorsDomain", ".execute-api.", "EdgeDistribution", CONSOLE_PATH):
        assert made_of in config


def test_the_driver_pages_sign_in_with_the_drivers_pool_and_come_back_to_them(resources):
    config = deployed(resources)[DRIVER_PATH.strip("/") + "/"]
    drivers = pool_named(resources, "Drivers")
    [(client, resource)] = of_pool(resources, "AWS::Cognito::UserPoolClient", drivers).items()
    [domain] = of_pool(resources, "AWS::Cognito::UserPoolDomain", drivers)
    for made_of in (client, domain, ".execute-api.", "EdgeDistribution", f'{DRIVER_PATH}\\""'):
        assert made_of in config
    operators, _ = console_client(resources)
    assert operators not in config and "OperatorApiOperators" not in config  # never the operators' pool
    # The client it names is a public one, for the code flow back to these pages
    properties = resource["Properties"]
    assert properties["AllowedOAuthFlows"] == ["code"] and not properties.get("GenerateSecret")
    assert json.dumps(properties["CallbackURLs"]).endswith(f'{DRIVER_PATH}"]]}}]')


def test_the_stack_says_where_the_driver_pages_are(synthesized):
    _, template = synthesized
    address = json.dumps(template["Outputs"]["DriverUrl"]["Value"])
    assert "EdgeDistribution" in address and address.endswith(f'{DRIVER_PATH}"]]}}')
