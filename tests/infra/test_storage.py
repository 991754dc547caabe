"""Tables as the records declare them, and the files bucket."""

import json

import pytest
from aws_cdk.assertions import Match

from infra.storage import is_durable, ttl_attribute
from shared.data.tables import all_records
from shared.manifest import ALL_FUNCTIONS
from tests.infra.conftest import function_named, of_type, statements_of


def _key_schema(keys: list[dict[str, str]]) -> list[dict[str, str]]:
    ordered = sorted(keys, key=lambda k: k["KeyType"] != "HASH")
    return [{"AttributeName": k["AttributeName"], "KeyType": k["KeyType"]} for k in ordered]


def test_one_table_per_model(template):
    template.resource_count_is("AWS::DynamoDB::GlobalTable", len(all_records()))


@pytest.mark.parametrize("model", all_records(), ids=lambda m: m.__name__)
def test_tables_have_the_models_keys_indexes_and_ttl(template, model):
    described = model._get_schema()
    key_schema = _key_schema(described["key_schema"])
    durable = is_durable(model)
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
    if ttl_attribute(model):
        properties["TimeToLiveSpecification"] = {"AttributeName": ttl_attribute(model), "Enabled": True}
    view = getattr(model.Meta, "stream_view_type", None)  # a table whose items an export reads
    properties["StreamSpecification"] = {"StreamViewType": view} if view else Match.absent()
    template.has_resource_properties("AWS::DynamoDB::GlobalTable", properties)


def test_the_files_bucket_is_private_encrypted_and_lets_in_only_the_functions_that_need_it(resources):
    [(bucket_id, bucket)] = [
        (name, b)
        for name, b in of_type(resources, "AWS::S3::Bucket").items()
        if "uploaded-logs" in json.dumps(b["Properties"].get("LifecycleConfiguration"))
    ]
    props = bucket["Properties"]
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
        "ServerSideEncryptionByDefault"
    ] == {"SSEAlgorithm": "AES256"}
    rules = {rule["Id"]: rule for rule in props["LifecycleConfiguration"]["Rules"]}
    assert rules["uploaded-logs"]["Prefix"] == "logs/" and rules["uploaded-logs"]["ExpirationInDays"] == 365
    for spec in ALL_FUNCTIONS:
        function = resources[function_named(resources, spec.handler)]
        touches = any(bucket_id in json.dumps(s["Resource"]) for s in statements_of(resources, function))
        assert touches == spec.files, spec.name
