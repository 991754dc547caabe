"""DynamoDB tables, derived from the pynamodb records (shared.data.tables) so that the cloud's
keys, indexes, TTL and streams cannot drift from the code's."""

from __future__ import annotations

from typing import Any

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from shared.data.tables import all_records, is_durable, ttl_attribute

_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}
_STREAMS = {"NEW_IMAGE": dynamodb.StreamViewType.NEW_IMAGE}
_PROJECTIONS = {
    "ALL": dynamodb.ProjectionType.ALL,
    "KEYS_ONLY": dynamodb.ProjectionType.KEYS_ONLY,
}


def _key(schema: dict[str, Any], keys: list[dict[str, str]], role: str) -> dynamodb.Attribute | None:
    types = {d["AttributeName"]: d["AttributeType"] for d in schema["attribute_definitions"]}
    for key in keys:
        if key["KeyType"] == role:
            return dynamodb.Attribute(name=key["AttributeName"], type=_TYPES[types[key["AttributeName"]]])
    return None


def _indexes(schema: dict[str, Any]) -> list[dynamodb.GlobalSecondaryIndexPropsV2]:
    indexes = []
    for index in schema.get("global_secondary_indexes") or []:
        partition = _key(schema, index["key_schema"], "HASH")
        assert partition is not None, index
        indexes.append(
            dynamodb.GlobalSecondaryIndexPropsV2(
                index_name=index["index_name"],
                partition_key=partition,
                sort_key=_key(schema, index["key_schema"], "RANGE"),
                projection_type=_PROJECTIONS[index["projection"]["ProjectionType"]],
            )
        )
    return indexes


class Storage(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.tables: dict[str, dynamodb.TableV2] = {}
        # Those kept whole: point-in-time recovery, and the daily backup (infra/backups.py).
        self.durable: list[dynamodb.TableV2] = []
        for model in all_records():
            schema = model._get_schema()
            partition = _key(schema, schema["key_schema"], "HASH")
            assert partition is not None, model
            ttl = ttl_attribute(model)
            durable = is_durable(model)
            self.tables[model.__name__] = dynamodb.TableV2(
                self,
                model.__name__,
                partition_key=partition,
                sort_key=_key(schema, schema["key_schema"], "RANGE"),
                global_secondary_indexes=_indexes(schema) or None,
                time_to_live_attribute=ttl,
                dynamo_stream=_STREAMS[model.Meta.stream_view_type]
                if getattr(model.Meta, "stream_view_type", None)
                else None,
                billing=dynamodb.Billing.on_demand(),
                encryption=dynamodb.TableEncryptionV2.aws_managed_key(),
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=durable
                ),
                deletion_protection=durable,
                removal_policy=RemovalPolicy.RETAIN if durable else RemovalPolicy.DESTROY,
            )
            if durable:
                self.durable.append(self.tables[model.__name__])
