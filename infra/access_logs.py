"""Access logs: an API Gateway stage's, as JSON lines in CloudWatch Logs; and the stack's one
bucket of access logs, into which every other bucket's S3 server access logs, the distribution's
CloudFront logs and the FTP VPC's flow logs go, each under a prefix of its own, kept as long as
the functions' logs."""

from __future__ import annotations

import json

from aws_cdk import Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import StackConfig
from infra.nag import acknowledge

LOG_BUCKET = "AccessLogs"


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


def log_bucket(scope: Construct, config: StackConfig) -> s3.Bucket:
    """The stack's access-log bucket, made by whichever asks first. CloudFront's standard logs
    are written with an ACL, so the bucket takes ACLs (bucket owner preferred) where the others
    enforce ownership; its objects expire with the logs' retention, and it is kept when the stack goes."""
    stack = Stack.of(scope)
    found = stack.node.try_find_child(LOG_BUCKET)
    if isinstance(found, s3.Bucket):
        return found
    bucket = s3.Bucket(
        stack,
        LOG_BUCKET,
        encryption=s3.BucketEncryption.S3_MANAGED,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
        lifecycle_rules=[s3.LifecycleRule(id="expiry", expiration=Duration.days(config.log_retention_days))],
        removal_policy=RemovalPolicy.RETAIN,
    )
    acknowledge(
        bucket,
        "The access-log bucket itself: logging its own access into itself would log each write",
        "AwsSolutions-S1",
    )
    return bucket


def log_prefix(scope: Construct, kind: str) -> str:
    """Where a construct's logs go in the bucket: `s3/Files/`, `cloudfront/Edge/`, ..."""
    path = scope.node.path.split("/", 1)[1] if "/" in scope.node.path else scope.node.path
    return f"{kind}/{path}/"
