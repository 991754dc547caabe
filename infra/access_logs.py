"""Access logs of an API Gateway stage, as JSON lines, kept as long as the functions' logs."""

from __future__ import annotations

import json

from aws_cdk import RemovalPolicy
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StackConfig


def log_access(
    scope: Construct,
    stage: apigwv2.WebSocketStage | apigwv2.HttpStage,
    config: StackConfig,
    fields: dict[str, str],
) -> apigwv2.CfnStage:
    """Returns the stage's CloudFormation resource, for settings the construct does not offer."""
    group = logs.LogGroup(
        scope, "AccessLogs", retention=config.log_retention(), removal_policy=RemovalPolicy.DESTROY
    )
    resource = stage.node.default_child
    assert isinstance(resource, apigwv2.CfnStage)
    resource.access_log_settings = apigwv2.CfnStage.AccessLogSettingsProperty(
        destination_arn=group.log_group_arn, format=json.dumps(fields)
    )
    return resource
