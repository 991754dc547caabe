"""The charge points' WebSocket API: the REQUEST authorizer on $connect, the routes the
manifest names, and a stage with access logs, execution logs and throttling."""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigateway
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_iam as iam
from constructs import Construct

from infra.access_logs import log_access
from infra.config import StackConfig
from infra.functions import Functions
from infra.nag import acknowledge, wildcards, written
from shared.aws.websocket_events import IDENTITY_PARAMETER
from shared.grants import CONNECTION_METHODS
from shared.manifest import AUTHORIZER, WEBSOCKET_ROUTES

# API Gateway caches no WebSocket authorizer result, so an identity source only decides
# which handshakes reach the authorizer at all: every one the edge passed carries the
# identity, while Authorization is absent for certificate-only (profile 3) charge points.
IDENTITY_SOURCE = f"route.request.querystring.{IDENTITY_PARAMETER}"

# A line for every frame and every answer's request: what tells one apart and no more (the
# route key is always $default but for CONNECT and DISCONNECT, which eventType says; the time
# in milliseconds is half the length of the formatted one). Decision 0027 prices each field.
ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "connectionId": "$context.connectionId",
    "eventType": "$context.eventType",
    "status": "$context.status",
    "ip": "$context.identity.sourceIp",
    "time": "$context.requestTimeEpoch",
    "error": "$context.error.message",
    "authorizerError": "$context.authorizer.error",
    "integrationError": "$context.integration.error",
}


class WebSocketApi(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, config: StackConfig, functions: Functions
    ) -> None:
        super().__init__(scope, construct_id)
        authorizer = authorizers.WebSocketLambdaAuthorizer(
            "Admission", functions[AUTHORIZER], identity_source=[IDENTITY_SOURCE]
        )
        self.api = apigwv2.WebSocketApi(self, "Api", description="OCPP-J for charge points")
        for route_key, spec in WEBSOCKET_ROUTES.items():
            route = self.api.add_route(
                route_key,
                integration=integrations.WebSocketLambdaIntegration(
                    f"{spec.name}-integration", functions[spec]
                ),
                authorizer=authorizer if route_key == "$connect" else None,
            )
            if route_key != "$connect":
                acknowledge(
                    route,
                    "A WebSocket API authorizes on $connect only: every later frame and the "
                    "disconnect belong to a connection the authorizer admitted",
                    "AwsSolutions-APIG4",
                )
        self.stage = apigwv2.WebSocketStage(
            self,
            "Stage",
            web_socket_api=self.api,
            stage_name=config.stage_name,
            auto_deploy=True,
            detailed_metrics_enabled=True,
            throttle=apigwv2.ThrottleSettings(
                rate_limit=config.ocpp_rate_limit, burst_limit=config.ocpp_burst_limit
            ),
        )
        stage = log_access(self, self.stage, config, ACCESS_LOG_FORMAT)
        stage.add_property_override("DefaultRouteSettings.LoggingLevel", "ERROR")
        stage.add_property_override("DefaultRouteSettings.DataTraceEnabled", False)
        if config.gateway_logging_role:
            stage.node.add_dependency(self._logging_role())

    def grant_connections(self, functions: Functions) -> None:
        """Those whose use cases post to, read or close charge points' connections may do that
        (the connection management API's method for each), and are told the endpoint."""
        for spec in functions.specs:
            operations = functions.granted(spec).connections
            if not operations:
                continue
            function = functions[spec]
            resources = [
                Stack.of(self).format_arn(
                    service="execute-api",
                    resource=self.api.api_id,
                    resource_name=f"{self.stage.stage_name}/{CONNECTION_METHODS[operation]}/@connections/*",
                )
                for operation in sorted(operations)
            ]
            function.add_to_role_policy(
                iam.PolicyStatement(actions=["execute-api:ManageConnections"], resources=resources)
            )
            function.add_environment("CSMS_CONNECTIONS_ENDPOINT", self.stage.callback_url)
            acknowledge(
                function,
                "A connection's id is made by API Gateway at each $connect: these name its "
                "connections by the method its use cases need (shared/grants.py), on this stage only",
                *wildcards(*(f"Resource::{written(self, resource)}" for resource in resources)),
            )

    def _logging_role(self) -> apigateway.CfnAccount:
        """API Gateway writes WebSocket logs only with an account-wide role (kept on delete:
        other APIs of the account may rely on it)."""
        role = iam.Role(
            self,
            "LoggingRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name(
                    "service-role/AmazonAPIGatewayPushToCloudWatchLogs"
                )
            ],
        )
        role.apply_removal_policy(RemovalPolicy.RETAIN)
        acknowledge(
            role,
            "The policy AWS documents for API Gateway's account-wide CloudWatch Logs role",
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
        )
        account = apigateway.CfnAccount(self, "Account", cloud_watch_role_arn=role.role_arn)
        account.apply_removal_policy(RemovalPolicy.RETAIN)
        return account
