"""DynamoDB tables, derived from the pynamodb models so that the cloud's keys cannot drift
from the code's."""

from __future__ import annotations

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct
from pynamodb.models import Model

from shared.data.models import ALL_MODELS

_TYPES = {
    "S": dynamodb.AttributeType.STRING,
    "N": dynamodb.AttributeType.NUMBER,
    "B": dynamodb.AttributeType.BINARY,
}


def _key(model: type[Model], role: str) -> dynamodb.Attribute | None:
    for name, attribute in model.get_attributes().items():
        if getattr(attribute, role):
            return dynamodb.Attribute(name=attribute.attr_name or name, type=_TYPES[attribute.attr_type])
    return None


class Storage(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.tables: dict[str, dynamodb.TableV2] = {}
        for model in ALL_MODELS:
            partition = _key(model, "is_hash_key")
            assert partition is not None, model
            self.tables[model.__name__] = dynamodb.TableV2(
                self,
                model.__name__,
                partition_key=partition,
                sort_key=_key(model, "is_range_key"),
                billing=dynamodb.Billing.on_demand(),
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True
                ),
                deletion_protection=True,
                removal_policy=RemovalPolicy.RETAIN,
            )
