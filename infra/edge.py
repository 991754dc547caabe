"""The charge points' front door: a CloudFront distribution before the WebSocket API. API
Gateway serves a WebSocket API at its stage's URL and nothing below it, while OCPP puts the
identity at the end of the path, so a viewer-request function moves it into a query
parameter. The distribution forwards the WebSocket headers and Authorization, and adds a
secret header the authorizer checks, so no handshake goes around it."""

from __future__ import annotations

from aws_cdk import Aws, Duration
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from infra.access_logs import log_bucket, log_prefix
from infra.config import StackConfig
from infra.nag import acknowledge
from infra.websocket_api import WebSocketApi
from shared.aws.websocket_events import IDENTITY_PARAMETER, ORIGIN_SECRET_HEADER

PATH_PREFIX = "/ocpp/"
WEBSOCKET_HEADERS = (
    "CloudFront-Viewer-Address",  # the charge point's address, for the throttle on failed handshakes
    "Sec-WebSocket-Key",
    "Sec-WebSocket-Version",
    "Sec-WebSocket-Protocol",
    "Sec-WebSocket-Extensions",
    # wss or ws, and the client certificate viewer mTLS verified (security profiles 2 and 3,
    # shared.aws.websocket_events); at most 10 headers in an origin request policy.
    "CloudFront-Forwarded-Proto",
    "CloudFront-Viewer-Cert-Present",
    # The leaf as PEM: its subject, validity, serial (a revoked one is refused) and extended
    # key usage (only a clientAuth one admits a station), in one header.
    "CloudFront-Viewer-Cert-Pem",
)

# The identity is the last segment under /ocpp/, as the local runtime reads it; it travels
# still URL-encoded, as it came.
FUNCTION_CODE = """
function handler(event) {
  var request = event.request;
  var uri = request.uri.replace(/\\/+$/, '');
  if (uri.indexOf('%(prefix)s') !== 0) {
    return { statusCode: 404, statusDescription: 'Not Found' };
  }
  var identity = uri.substring(uri.lastIndexOf('/') + 1);
  request.querystring['%(parameter)s'] = { value: identity };
  request.uri = '/%(stage)s';
  return request;
}
"""


class Edge(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StackConfig, gateway: WebSocketApi
    ) -> None:
        super().__init__(scope, construct_id)
        self.origin_secret = secretsmanager.Secret(
            self,
            "OriginSecret",
            description="Proves a WebSocket handshake came through the CSMS's CloudFront edge",
            generate_secret_string=secretsmanager.SecretStringGenerator(
                exclude_punctuation=True, password_length=48
            ),
        )
        path_to_query = cloudfront.Function(
            self,
            "PathToQuery",
            runtime=cloudfront.FunctionRuntime.JS_2_0,
            comment="OCPP identity from the URL path into a query parameter",
            code=cloudfront.FunctionCode.from_inline(
                FUNCTION_CODE
                % {
                    "prefix": PATH_PREFIX,
                    "parameter": IDENTITY_PARAMETER,
                    "stage": config.stage_name,
                }
            ),
        )
        # A cache policy with a zero maximum TTL may not name headers, and Authorization is
        # forwarded only through one: the handshake is never cached all the same.
        cache_policy = cloudfront.CachePolicy(
            self,
            "Handshake",
            comment="Forward Authorization and the query; WebSocket upgrades are not cached",
            min_ttl=Duration.seconds(0),
            default_ttl=Duration.seconds(0),
            max_ttl=Duration.seconds(1),
            header_behavior=cloudfront.CacheHeaderBehavior.allow_list("Authorization"),
            query_string_behavior=cloudfront.CacheQueryStringBehavior.all(),
            cookie_behavior=cloudfront.CacheCookieBehavior.none(),
        )
        origin_request_policy = cloudfront.OriginRequestPolicy(
            self,
            "WebSocketHeaders",
            comment="The WebSocket handshake's headers",
            header_behavior=cloudfront.OriginRequestHeaderBehavior.allow_list(*WEBSOCKET_HEADERS),
            query_string_behavior=cloudfront.OriginRequestQueryStringBehavior.all(),
            cookie_behavior=cloudfront.OriginRequestCookieBehavior.none(),
        )
        origin = origins.HttpOrigin(
            f"{gateway.api.api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}",
            protocol_policy=cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
            custom_headers={ORIGIN_SECRET_HEADER: self.origin_secret.secret_value.unsafe_unwrap()},
            read_timeout=Duration.seconds(30),
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="OCPP-J for charge points",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origin,
                viewer_protocol_policy=(
                    cloudfront.ViewerProtocolPolicy.ALLOW_ALL
                    if config.allow_unencrypted
                    else cloudfront.ViewerProtocolPolicy.HTTPS_ONLY
                ),
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
                cache_policy=cache_policy,
                origin_request_policy=origin_request_policy,
                function_associations=[
                    cloudfront.FunctionAssociation(
                        function=path_to_query, event_type=cloudfront.FunctionEventType.VIEWER_REQUEST
                    )
                ],
            ),
            domain_names=[config.domain_name] if config.domain_name else None,
            certificate=(
                acm.Certificate.from_certificate_arn(self, "Certificate", config.certificate_arn)
                if config.certificate_arn
                else None
            ),
            minimum_protocol_version=(
                cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 if config.certificate_arn else None
            ),
            http_version=cloudfront.HttpVersion.HTTP1_1,
            enable_logging=True,
            log_bucket=log_bucket(self, config),
            log_file_prefix=log_prefix(self, "cloudfront"),
        )
        acknowledge(
            self.origin_secret,
            "Its value is copied into the distribution's origin header and the authorizer's "
            "environment at deploy: a rotation in Secrets Manager alone would lock every charge "
            "point out. It only proves a handshake came through the edge, no outside party holds it",
            "AwsSolutions-SMG4",
        )
        acknowledge(
            self.distribution,
            "Charge points, operators and drivers may be anywhere: no country is excluded by default",
            "AwsSolutions-CFR1",
        )
        acknowledge(
            self.distribution,
            "No WAF web ACL by default (a monthly fee and one per request): only registered charge "
            "points pass the handshake's authorizer, which counts and throttles refused ones (alarmed); "
            "the pages are static files and the API has its own authorizer and throttling",
            "AwsSolutions-CFR2",
        )
        if not config.certificate_arn:
            acknowledge(
                self.distribution,
                "Without domainName and certificateArn the distribution serves *.cloudfront.net, whose "
                "certificate CloudFront fixes at TLSv1 as the minimum; with them, TLS 1.2 is the minimum "
                "(README, Deploy to AWS)",
                "AwsSolutions-CFR4",
            )
        if config.trust_store_id:
            distribution = self.distribution.node.default_child
            assert isinstance(distribution, cloudfront.CfnDistribution)
            distribution.add_property_override(
                "DistributionConfig.ViewerMtlsConfig",
                {"Mode": config.viewer_mtls, "TrustStoreConfig": {"TrustStoreId": config.trust_store_id}},
            )

    @property
    def host(self) -> str:
        return self.distribution.distribution_domain_name
