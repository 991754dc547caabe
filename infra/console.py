"""The operator console: the repository's console/ folder in a private bucket, served under
/console/ by the charge points' CloudFront distribution (origin access control), with a
config.json that tells the page where the operator API is and how to sign in (the user pool's
hosted UI, authorization code with PKCE, through the console's app client)."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3_deployment as deployment
from constructs import Construct

from infra.config import StackConfig
from infra.files import private_bucket
from shared.manifest import CONSOLE_PATH

FOLDER = Path(__file__).resolve().parent.parent / "console"

# /console/ is its index; every other path is a file.
INDEX_CODE = """
function handler(event) {
  var request = event.request;
  if (request.uri.endsWith('/')) {
    request.uri += 'index.html';
  }
  return request;
}
"""


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
    ) -> None:
        super().__init__(scope, construct_id)
        # Its files come from the repository at every deploy: nothing to keep.
        self.bucket = private_bucket(self, RemovalPolicy.DESTROY)
        origin = origins.S3BucketOrigin.with_origin_access_control(self.bucket)
        index = cloudfront.Function(
            self,
            "Index",
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="The console's folder to its index.html",
            code=cloudfront.FunctionCode.from_inline(INDEX_CODE),
        )
        viewers = {
            "viewer_protocol_policy": cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
            "response_headers_policy": cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
        }
        # The configuration changes with the stack: never cached.
        distribution.add_behavior(
            f"{CONSOLE_PATH}config.json",
            origin,
            cache_policy=cloudfront.CachePolicy.CACHING_DISABLED,
            **viewers,
        )
        distribution.add_behavior(
            f"{CONSOLE_PATH}*",
            origin,
            cache_policy=cloudfront.CachePolicy(
                self,
                "Files",
                comment="The console's files: a deploy reaches browsers within five minutes",
                default_ttl=Duration.minutes(5),
                max_ttl=Duration.hours(1),
                enable_accept_encoding_gzip=True,
                enable_accept_encoding_brotli=True,
            ),
            compress=True,
            function_associations=[
                cloudfront.FunctionAssociation(
                    function=index, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                )
            ],
            **viewers,
        )
        # No invalidation after a deploy (CloudFront's invalidation permission cannot be scoped to
        # one distribution): the files' short cache lets the new ones through instead.
        deployment.BucketDeployment(
            self,
            "Deployment",
            destination_bucket=self.bucket,
            destination_key_prefix=CONSOLE_PATH.strip("/") + "/",
            sources=[
                deployment.Source.asset(str(FOLDER)),
                deployment.Source.json_data(
                    "config.json",
                    {
                        "auth": "cognito",
                        "apiUrl": api_url,
                        "cognitoDomain": sign_in_domain,
                        "clientId": client_id,
                        "redirectUri": url,
                        "scopes": "openid email",
                    },
                ),
            ],
            memory_limit=256,
            log_group=logs.LogGroup(
                self, "DeploymentLogs", retention=config.log_retention(), removal_policy=RemovalPolicy.DESTROY
            ),
        )
        self.url = url
