"""Findings of cdk-nag's AwsSolutions and Serverless packs that are so by design: each is
acknowledged at its own construct, with the reason a reviewer reads (tests/infra/test_nag.py
fails on any other)."""

from __future__ import annotations

from aws_cdk import Acknowledgment, CfnResource, Stack, Validations
from constructs import IConstruct

# A role with the AWS-managed policy for a function's logs, as cdk-nag names the finding.
BASIC_EXECUTION = (
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]"
)
# The object actions CDK's bucket grants name (read, put, delete).
S3_GRANT_ACTIONS = ("s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*")


def acknowledge(construct: IConstruct, reason: str, *rules: str) -> None:
    """The rules (or single findings, `Rule[Finding]`) for this construct and those under it."""
    Validations.of(construct).acknowledge(*(Acknowledgment(id=rule, reason=reason) for rule in rules))


def wildcards(*findings: str) -> tuple[str, ...]:
    """AwsSolutions-IAM5 findings: `Action::s3:List*`, `Resource::<Bucket.Arn>/*`."""
    return tuple(f"AwsSolutions-IAM5[{finding}]" for finding in findings)


def arn_of(construct: IConstruct) -> str:
    """How cdk-nag writes the ARN of a construct's resource in a finding."""
    resource = construct.node.default_child
    assert isinstance(resource, CfnResource)
    return f"<{Stack.of(construct).get_logical_id(resource)}.Arn>"
