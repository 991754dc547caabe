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


def written(scope: IConstruct, value: str) -> str:
    """A value with tokens (an ARN the stack formats), as cdk-nag writes it in a finding:
    `arn:<AWS::Partition>:...:<GatewayApi1234>/...`."""
    resolved = Stack.of(scope).resolve(value)
    parts = resolved["Fn::Join"][1] if isinstance(resolved, dict) and "Fn::Join" in resolved else [resolved]
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif "Ref" in part:
            out.append(f"<{part['Ref']}>")
        else:
            logical_id, attribute = part["Fn::GetAtt"]
            out.append(f"<{logical_id}.{attribute}>")
    return "".join(out)


def arn_of(construct: IConstruct) -> str:
    """How cdk-nag writes the ARN of a construct's resource in a finding."""
    resource = construct.node.default_child
    assert isinstance(resource, CfnResource)
    return f"<{Stack.of(construct).get_logical_id(resource)}.Arn>"
