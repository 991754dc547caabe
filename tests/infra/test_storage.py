"""Tables as the models declare them."""

import pytest
from aws_cdk.assertions import Match

from infra.storage import ttl_attribute
from shared.data.models import ALL_MODELS


def _key_schema(keys: list[dict[str, str]]) -> list[dict[str, str]]:
    ordered = sorted(keys, key=lambda k: k["KeyType"] != "HASH")
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in ordered]


def test_one_table_per_model(template):
    template.resource_count_is("AWS::DynamoDB::GlobalTable", len(ALL_MODELS))


@pytest.mark.parametrize("model", ALL_MODELS, ids=lambda m: m.__name__)
def test_tables_have_the_models_keys_indexes_and_ttl(template, model):
    described = model._get_schema()
    key_schema = _key_schema(described["key_schema"])
    durable = ttl_attribute(model) is None
    properties: dict[str, object] = {
        "KeySchema": key_schema,
        "BillingMode": "PAY_PER_REQUEST",
        "SSESpecification": {"SSEEnabled": True},
        "Replicas": [
            Match.object_like(
                {
                    "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": durable},
                    "DeletionProtectionEnabled": durable,
                }
            )
        ],
    }
    indexes = described.get("global_secondary_indexes") or []
    if indexes:
        properties["GlobalSecondaryIndexes"] = Match.array_with(
            [
                Match.object_like(
                    {
                        "IndexName": index["index_name"],
                        "KeySchema": _key_schema(index["key_schema"]),
                        "Projection": {"ProjectionType": index["projection"]["ProjectionType"]},
                    }
                )
                for index in indexes
            ]
        )
    if not durable:
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl_attribute(model), "Enabled": True}
    template.has_resource_properties("AWS::DynamoDB::GlobalTable", properties)
