"""The audit table's stream (decision 0039): each entry the trail keeps goes to the audit export.
Only new items come (the event source's filter); an entry is never changed, and one its TTL
removes stays exported. A failure fails the batch, which the stream hands again."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.data_classes import DynamoDBStreamEvent
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecordEventName
from aws_lambda_powertools.utilities.typing import LambdaContext

from shared.observability import logger, publish_metrics
from shared.services.accounts import audit


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    records = DynamoDBStreamEvent(event).records
    images = [
        record.dynamodb.raw_event["NewImage"]
        for record in records
        if record.event_name is DynamoDBRecordEventName.INSERT and record.dynamodb is not None
    ]
    return {"exported": audit.export(images)}
