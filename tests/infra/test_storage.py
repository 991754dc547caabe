"""Tables as the records declare them, and the files bucket."""

import json

import pytest
from aws_cdk.assertions import Match

from infra.storage import is_durable, ttl_attribute
from shared.data.tables import all_records
from shared.grants import granted
from shared.manifest import ALL_FUNCTIONS, AUTHORIZER, CONNECT, DISCONNECT, OCPP_ROUTER, OPERATOR_API, UPLOADS
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
        grants = granted(spec.uses)
        objects = {}
        for statement in statements_of(resources, function):
            for resource in (
                statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
            ):
                if bucket_id in json.dumps(resource) and "Fn::Join" in resource:
                    for action in _listed(statement["Action"]):
                        objects.setdefault(action, set()).add(resource["Fn::Join"][1][-1])
        assert objects.get("s3:GetObject", set()) == {f"/{p}*" for p in grants.file_reads}, spec.name
        assert objects.get("s3:PutObject", set()) == {f"/{p}*" for p in grants.file_writes}, spec.name
        assert objects.get("s3:DeleteObject", set()) == {f"/{p}*" for p in grants.file_writes}, spec.name
        # A reader lists the bucket, so that a missing object answers 404 rather than 403.
        lists = any("s3:ListBucket" in _listed(st["Action"]) for st in statements_of(resources, function))
        assert lists == bool(grants.file_reads), spec.name


def _listed(action):
    return action if isinstance(action, list) else [action]


def test_files_are_reached_by_prefix_and_station_facing_functions_never_reach_the_catalogue():
    assert granted(UPLOADS.uses).file_writes == {"logs/"} and not granted(UPLOADS.uses).file_reads
    assert granted(OPERATOR_API.uses).file_writes == {"firmware/"}
    assert granted(OPERATOR_API.uses).file_reads == {"firmware/", "logs/"}
    for spec in (AUTHORIZER, CONNECT, DISCONNECT, OCPP_ROUTER):
        grants = granted(spec.uses)
        assert not grants.file_reads | grants.file_writes, spec.name
