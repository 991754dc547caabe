"""The stack synthesized offline, with the dependency layer's pip step skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk.assertions import Template

from infra.stack import CsmsStack


def synth_stack(
    tmp_path_factory: pytest.TempPathFactory, **context: Any
) -> tuple[CsmsStack, Template, dict[str, Any]]:
    """The stack itself (for checks on its constructs, such as cdk-nag's), and its template."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(context={"aws:cdk:bundling-stacks": [], **context}, outdir=str(outdir))
    stack = CsmsStack(app, "Test")
    assembly = app.synth()
    template = json.loads((outdir / assembly.get_stack_by_name("Test").template_file).read_text())
    return stack, Template.from_stack(stack), template


def synth(tmp_path_factory: pytest.TempPathFactory, **context: Any) -> tuple[Template, dict[str, Any]]:
    _, template, resources = synth_stack(tmp_path_factory, **context)
    return template, resources


@pytest.fixture(scope="session")
def synthesized_stack(tmp_path_factory: pytest.TempPathFactory) -> tuple[CsmsStack, Template, dict[str, Any]]:
    """With the default context."""
    return synth_stack(tmp_path_factory)


# Every optional feature and switch of the stack on (infra/config.py): a custom domain and its
# certificate, viewer mTLS, the FTP server, AWS Private CA, a contract-certificate provider,
# alarms by e-mail, required MFA, tracing everywhere and backups kept a week.
EVERY_FEATURE = {
    "domainName": "ocpp.example.com",
    "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0b7c3f1e-5d1a-4d3e-9a55-2a1f0c9e8b11",
    "trustStoreId": "ts-0123456789abcdef",
    "viewerMtls": "required",
    "ftpUploads": "true",
    "ftpHost": "ftp.csms.internal",
    "privateCaArn": "arn:aws:acm-pca:eu-west-1:123456789012:certificate-authority/7f3e9d2c-1b4a-4c5d",
    "contractProviderUrl": "https://contracts.example.com/v1",
    "alarmEmail": "ops@example.com",
    "mfaRequired": "true",
    "tracing": "true",
    "backupDays": "7",
}


@pytest.fixture(scope="session")
def every_feature(tmp_path_factory: pytest.TempPathFactory) -> tuple[CsmsStack, Template, dict[str, Any]]:
    return synth_stack(tmp_path_factory, **EVERY_FEATURE)


@pytest.fixture(scope="session")
def synthesized(
    synthesized_stack: tuple[CsmsStack, Template, dict[str, Any]],
) -> tuple[Template, dict[str, Any]]:
    return synthesized_stack[1], synthesized_stack[2]


@pytest.fixture(scope="session")
def template(synthesized: tuple[Template, dict[str, Any]]) -> Template:
    return synthesized[0]


@pytest.fixture(scope="session")
def resources(synthesized: tuple[Template, dict[str, Any]]) -> dict[str, Any]:
    return synthesized[1]["Resources"]


def of_type(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    return {name: r for name, r in resources.items() if r["Type"] == kind}


def pool_named(resources: dict[str, Any], name: str) -> str:
    """The logical id of a Cognito user pool: "Operators" or "Drivers"."""
    [pool] = [n for n in of_type(resources, "AWS::Cognito::UserPool") if n.startswith(f"OperatorApi{name}")]
    return pool


def of_pool(resources: dict[str, Any], kind: str, pool: str) -> dict[str, Any]:
    """The resources of a kind (clients, groups, domains) that belong to one user pool."""
    return {
        n: r
        for n, r in of_type(resources, kind).items()
        if r["Properties"].get("UserPoolId") == {"Ref": pool}
    }


def function_named(resources: dict[str, Any], handler: str) -> str:
    """The logical id of the Lambda function with that handler."""
    [name] = [
        n
        for n, r in of_type(resources, "AWS::Lambda::Function").items()
        if r["Properties"]["Handler"] == handler
    ]
    return name


def api_named(resources: dict[str, Any], protocol: str) -> str:
    [name] = [
        n
        for n, r in of_type(resources, "AWS::ApiGatewayV2::Api").items()
        if r["Properties"]["ProtocolType"] == protocol
    ]
    return name


def routes_of(resources: dict[str, Any], protocol: str) -> dict[str, dict[str, Any]]:
    """Route key -> route, of the WEBSOCKET or HTTP API."""
    api = api_named(resources, protocol)
    return {
        r["Properties"]["RouteKey"]: r
        for r in of_type(resources, "AWS::ApiGatewayV2::Route").values()
        if r["Properties"]["ApiId"] == {"Ref": api}
    }


def integrated_function(resources: dict[str, Any], route: dict[str, Any]) -> str:
    """The logical id of the function behind a route."""
    integration = route["Properties"]["Target"]["Fn::Join"][1][1]["Ref"]
    uri = resources[integration]["Properties"]["IntegrationUri"]
    if "Fn::GetAtt" in uri:
        return uri["Fn::GetAtt"][0]
    return next(p["Fn::GetAtt"][0] for p in uri["Fn::Join"][1] if isinstance(p, dict) and "Fn::GetAtt" in p)


def statements_of(resources: dict[str, Any], function: dict[str, Any]) -> list[dict[str, Any]]:
    """Every IAM statement granted to a function's role (in its inline policy, and in the
    managed policies CDK adds when an inline one would pass IAM's size limit)."""
    role = {"Ref": function["Properties"]["Role"]["Fn::GetAtt"][0]}
    policies = [
        *of_type(resources, "AWS::IAM::Policy").values(),
        *of_type(resources, "AWS::IAM::ManagedPolicy").values(),
    ]
    return [
        statement
        for policy in policies
        if role in policy["Properties"].get("Roles", [])
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]
    ]


def viewer_request_of(resources: dict[str, Any], comment: str) -> Callable[..., dict[str, Any]]:
    """The CloudFront function with this comment, run for real in Node.js on a request."""
    [function] = [
        f
        for f in of_type(resources, "AWS::CloudFront::Function").values()
        if f["Properties"]["FunctionConfig"]["Comment"] == comment
    ]
    assert function["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    code = function["Properties"]["FunctionCode"]
    node = shutil.which("node")
    assert node, "Node.js runs the CDK; it runs the edge functions too"

    def run(uri: str, querystring: dict[str, Any] | None = None) -> dict[str, Any]:
        event = {"request": {"method": "GET", "uri": uri, "querystring": querystring or {}, "headers": {}}}
        script = f"{code}\nprocess.stdout.write(JSON.stringify(handler({json.dumps(event)})));"
        answer: dict[str, Any] = json.loads(
            subprocess.run([node, "-e", script], capture_output=True, text=True, check=True).stdout
        )
        return answer

    return run
