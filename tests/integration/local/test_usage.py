"""The usage counter against moto: what one invocation's DynamoDB calls, events, posts, logs
and metrics would cost, tallied under its kind."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError

from local.runtime.usage import UsageCounter
from shared.observability import logger, metrics

TABLE = "usage-test"


@pytest.fixture
def table(aws):
    client = boto3.client("dynamodb")
    client.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "listed", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-listed",
                "KeySchema": [{"AttributeName": "listed", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return client


def test_writes_cost_by_size_with_their_index_copies_and_reads_by_consistency(table):
    counter = UsageCounter()
    body = "x" * 1500  # with its names, a 1.5 KB item: two write units
    with counter.installed(), counter.invocation("connect", {}):
        table.put_item(TableName=TABLE, Item={"pk": {"S": "a"}, "body": {"S": body}})
        table.put_item(TableName=TABLE, Item={"pk": {"S": "b"}, "listed": {"S": "y"}, "body": {"S": body}})
        with pytest.raises(ClientError):  # a failed condition still costs a unit
            table.put_item(
                TableName=TABLE,
                Item={"pk": {"S": "a"}},
                ConditionExpression="attribute_not_exists(pk)",
            )
        table.get_item(TableName=TABLE, Key={"pk": {"S": "a"}})
        table.get_item(TableName=TABLE, Key={"pk": {"S": "a"}}, ConsistentRead=True)
    tally = counter.usage.kinds["connect"]
    # a: 2; b: 2 and its keys-only index copy 1; the failed condition 1.
    assert tally.write_units == 2 + 2 + 1 + 1
    assert tally.read_units == 0.5 + 1
    item_b = 2 + 1 + 6 + 1 + 4 + 1500
    assert tally.stored_bytes == (2 + 1 + 4 + 1500) + item_b + (2 + 1 + 6 + 1)
    assert tally.calls["dynamodb"] == 5 and tally.invocations == 1


def test_an_update_costs_the_larger_image_and_a_delete_the_item_it_removes(table):
    counter = UsageCounter()
    table.put_item(TableName=TABLE, Item={"pk": {"S": "a"}, "body": {"S": "x" * 3000}})
    with counter.installed(), counter.invocation("disconnect", {}):
        table.update_item(
            TableName=TABLE,
            Key={"pk": {"S": "a"}},
            UpdateExpression="SET body = :b",
            ExpressionAttributeValues={":b": {"S": "short"}},
        )
        table.delete_item(TableName=TABLE, Key={"pk": {"S": "a"}})
    tally = counter.usage.kinds["disconnect"]
    assert tally.write_units == 3 + 1  # the 3 KB item before the update; the small one deleted
    assert tally.stored_bytes == 0


@pytest.fixture
def at_info():
    """The stack's log level (the tests run at WARNING)."""
    level = logger.log_level
    logger.setLevel("INFO")
    yield
    logger.setLevel(level)


def test_events_posts_logs_and_metrics_are_tallied_to_the_invocation(aws, at_info):
    counter = UsageCounter()
    events = boto3.client("events")
    frame = {"requestContext": {"authorizer": {"ocppVersion": "2.0.1"}}, "body": '[2,"1","Heartbeat",{}]'}
    with counter.installed(), counter.invocation("ocpp-router", frame):
        events.put_events(Entries=[{"Source": "csms", "DetailType": "T", "Detail": "{}"}] * 2)
        logger.info("kept at INFO")
        logger.warning("kept at WARNING")
        metrics.add_metric(name="Handshakes", unit="Count", value=1)
        metrics.flush_metrics()
    logger.info("outside any invocation: not counted")
    tally = counter.usage.kinds["2.0.1 Heartbeat"]
    assert tally.events == 2 and tally.messages_in == 1 and tally.bytes_in == len(frame["body"])
    assert set(tally.log_bytes) == {"INFO", "WARNING"} and all(b > 50 for b in tally.log_bytes.values())
    assert tally.metric_bytes > 50
    assert counter.usage.metrics == {("Handshakes", (("service", "csms"),))}
    assert counter.usage.as_json()["kinds"]["2.0.1 Heartbeat"]["events"] == 2


def test_each_index_copy_is_a_write_of_its_own(aws):
    client = boto3.client("dynamodb")
    indexes = [
        {
            "IndexName": name,
            "KeySchema": [{"AttributeName": "listed", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"},
        }
        for name in ("first", "second")
    ]
    client.create_table(
        TableName="two-indexes",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "listed", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=indexes,
        BillingMode="PAY_PER_REQUEST",
    )
    counter = UsageCounter()
    with counter.installed(), counter.invocation("connect", {}):
        client.put_item(TableName="two-indexes", Item={"pk": {"S": "a"}, "listed": {"S": "y"}})
    assert counter.usage.kinds["connect"].write_units == 1 + 2  # the item, and a copy in each index
