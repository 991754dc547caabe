"""The operator console and the drivers' pages: the repository's console/ and driver/ folders in
one private bucket, served under /console/ and /driver/ by the charge points' CloudFront
distribution (origin access control), each with a config.json that tells its pages where the
operator API is and how to sign in (a user pool's hosted UI, authorization code with PKCE, through
a public app client: the operators' pool for the console, the drivers' own for the drivers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aws_cdk import DefaultStackSynthesizer, Duration, RemovalPolicy, Stack
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3_deployment as deployment
from constructs import Construct

from infra.config import StackConfig
from infra.files import private_bucket
from infra.nag import BASIC_EXECUTION, S3_GRANT_ACTIONS, acknowledge, arn_of, wildcards
from shared.manifest import CONSOLE_PATH, DRIVER_PATH

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "console"
DRIVER_FOLDER = ROOT / "driver"

# A folder is its index; every other path is a file.
INDEX_CODE = """
function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) {
    request.uri += 'index.html';
  }
  return request;
}
"""


def sign_in(api_url: str, domain: str, client_id: str, url: str) -> dict[str, Any]:
    """A config.json for pages that sign in with a user pool's hosted UI and come back to `url`."""
    return {
        "auth": "cognito",
        "apiUrl": api_url,
        "cognitoDomain": domain,
        "clientId": client_id,
        "redirectUri": url,
        "scopes": "openid email",
    }


class Console(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StackConfig,
        distribution: cloudfront.Distribution,
        url: str,
        api_url: str,
        sign_in_domain: str,
        client_id: str,
        driver_url: str,
        driver_sign_in_domain: str,
        driver_client_id: str,
    ) -> None:
        super().__init__(scope, construct_id)
        # Its files come from the repository at every deploy: nothing to keep.
        self.bucket = private_bucket(self, RemovalPolicy.DESTROY, config)
        self.origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)
        self.index = cloudfront.Function(
            self,
            "Index",
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="A folder of pages (the console, the drivers') to its index.html",
            code=cloudfront.FunctionCode.from_inline(INDEX_CODE),
        )
        self.files = cloudfront.CachePolicy(
            self,
            "Files",
            comment="The pages' files: a deploy reaches browsers within five minutes",
            default_ttl=Duration.minutes(5),
            max_ttl=Duration.hours(1),
            enable_accept_encoding_gzip=True,
            enable_accept_encoding_brotli=True,
        )
        # One handler copies both folders (CDK keeps a single one per memory size): one log group.
        self.deployment_logs = logs.LogGroup(
            self, "DeploymentLogs", retention=config.log_retention(), removal_policy=RemovalPolicy.DESTROY
        )
        self._serve(
            distribution, "Deployment", CONSOLE_PATH, FOLDER, sign_in(api_url, sign_in_domain, client_id, url)
        )
        self._serve(
            distribution,
            "DriverDeployment",
            DRIVER_PATH,
            DRIVER_FOLDER,
            sign_in(api_url, driver_sign_in_domain, driver_client_id, driver_url),
        )
        self.url = url
        self.driver_url = driver_url
        self._acknowledge_deployment_handler()

    def _serve(
        self,
        distribution: cloudfront.Distribution,
        name: str,
        path: str,
        folder: Path,
        settings: dict[str, Any],
    ) -> None:
        """The folder's files under `path` (its config.json never cached, the rest five minutes)."""
        viewers: dict[str, Any] = {
            "viewer_protocol_policy": cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            "response_headers_policy": cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        }
        distribution.add_behavior(
            f"{path}config.json", self.origin, cache_policy=cloudfront.CachePolicy.CACHING_DISABLED, **viewers
        )
        distribution.add_behavior(
            f"{path}*",
            self.origin,
            cache_policy=self.files,
            compress=True,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=self.index, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
            **viewers,
        )
        # No invalidation after a deploy (CloudFront's invalidation permission cannot be scoped to
        # one distribution): the files' short cache lets the new ones through instead. Each copy
        # prunes only under its own prefix.
        deployment.BucketDeployment(
            self,
            name,
            destination_bucket=self.bucket,
            destination_key_prefix=path.strip("/") + "/",
            sources=[
                deployment.Source.asset(str(folder)),
                deployment.Source.json_data("config.json", settings),
            ],
            memory_limit=256,
            log_group=self.deployment_logs,
        )

    def _acknowledge_deployment_handler(self) -> None:
        """CDK's BucketDeployment runs one handler of its own per memory size, at the stack's
        root: its runtime, role and policy are CDK's, and CloudFormation runs it during deploys."""
        stack = Stack.of(self)
        [handler] = [c for c in stack.node.children if c.node.id.startswith("Custom::CDKBucketDeployment")]
        acknowledge(
            handler,
            "CDK's BucketDeployment handler, run by CloudFormation only while a deploy copies the "
            "pages: CDK sets its runtime, role (logs through the AWS-managed policy, the console "
            "bucket and CDK's asset bucket) and tracing; a failure fails the deploy, where it is seen",
            BASIC_EXECUTION,
            *wildcards(
                *(f"Action::{action}" for action in S3_GRANT_ACTIONS),
                f"Resource::{arn_of(self.bucket)}/*",
                f"Resource::arn:<AWS::Partition>:s3:::cdk-{DefaultStackSynthesizer.DEFAULT_QUALIFIER}"
                "-assets-<AWS::AccountId>-<AWS::Region>/*",
            ),
            "AwsSolutions-L1",
            "Serverless-LambdaDLQ",
            "Serverless-LambdaLatestVersion",
            "Serverless-LambdaTracing",
        )
