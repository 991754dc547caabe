"""The synthesized template, offline."""

import aws_cdk as cdk
from aws_cdk.assertions import Template

from infra.stack import CsmsStack


def synth() -> Template:
    app = cdk.App()
    return Template.from_stack(CsmsStack(app, "Test"))


def test_tables_have_the_models_keys_on_demand_billing_and_recovery():
    template = synth()
    template.resource_count_is("AWS::DynamoDB::GlobalTable", 2)
    template.has_resource_properties(
        "AWS::DynamoDB::GlobalTable",
        {
            "KeySchema": [{"AttributeName": "charge_point_id", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
            "Replicas": [
                {
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
                    "DeletionProtectionEnabled": True,
                    "Region": {"Ref": "AWS::Region"},
                }
            ],
        },
    )
    template.has_resource_properties(
        "AWS::DynamoDB::GlobalTable",
        {
            "KeySchema": [
                {"AttributeName": "charge_point_id", "KeyType": "HASH"},
                {"AttributeName": "connector_key", "KeyType": "RANGE"},
            ]
        },
    )
