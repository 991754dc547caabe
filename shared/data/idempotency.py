"""Operators' retried requests: the table Powertools' idempotency utility keeps a POST's answer
in, under the caller's Idempotency-Key, until the key expires (TTL). Powertools reads and
writes it itself; the record is declared here so that the stack, the local runtime and the
tests make the table as they make the others."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from shared.data.dynamo import connection
from shared.data.tables import OnDemand

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer


class IdempotencyRecord(Model):
    """One request's record as Powertools writes it (its default attribute names): transient,
    gone when the key expires."""

    class Meta(OnDemand, table="idempotency"): ...

    id = UnicodeAttribute(hash_key=True)  # the key's scope and hash
    expiration = TTLAttribute()
    in_progress_expiration = NumberAttribute(null=True)  # milliseconds: when a stalled run ends
    status = UnicodeAttribute(null=True)  # INPROGRESS, COMPLETED
    data = UnicodeAttribute(null=True)  # the answer, JSON
    validation = UnicodeAttribute(null=True)  # the request's hash, to refuse a key reused


@lru_cache(maxsize=1)
def store() -> DynamoDBPersistenceLayer:
    """Powertools' DynamoDB persistence layer on this table, made on the first request that
    carries a key: the utility imports boto3 (about 40 ms), which a cold start otherwise skips."""
    from aws_lambda_powertools.utilities.idempotency.persistence.dynamodb import DynamoDBPersistenceLayer

    # pynamodb's client (botocore's), so that the endpoint and the retries are the tables' own.
    return DynamoDBPersistenceLayer(
        table_name=IdempotencyRecord.Meta.table_name, boto3_client=connection().client
    )
