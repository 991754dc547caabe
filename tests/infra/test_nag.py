"""cdk-nag's AwsSolutions and Serverless packs on the stack, with the default context and with
every optional feature on: any finding not acknowledged at its construct (infra/nag.py) fails,
listed. OpenADR and the exports have no switch: they are in both."""

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from tests.infra.conftest import of_type


def findings(scope):
    """Every error and warning both packs report, as `rule at construct path: description`."""
    found = []
    for pack in (AwsSolutionsChecks(), ServerlessChecks()):
        for violation in pack.validate_scope(scope).violations:
            for resource in violation.violating_resources:
                found.append(f"{violation.rule_name} at {resource.construct_path}: {violation.description}")
    return found


def unacknowledged(scope):
    return sorted(set(findings(scope)))


def test_the_stack_has_no_unacknowledged_finding(synthesized_stack):
    assert unacknowledged(synthesized_stack[0]) == []


def test_the_stack_with_every_feature_on_has_no_unacknowledged_finding(every_feature):
    stack, _, template = every_feature
    assert of_type(template["Resources"], "AWS::Transfer::Server")
    assert unacknowledged(stack) == []


@pytest.mark.parametrize("enforced", [False, True])
def test_the_packs_report_what_is_not_acknowledged(enforced):
    stack = cdk.Stack(cdk.App(), "Bare")
    sns.Topic(stack, "Topic", enforce_ssl=enforced)
    assert any(f.startswith("AwsSolutions-SNS3 at Bare/Topic") for f in findings(stack)) is not enforced
