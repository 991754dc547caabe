"""The local runtime's moto, under many threads and long runs: transactions still all or
nothing, their cost independent of the table's size, and no failures from threads at once."""

from __future__ import annotations

import contextlib
from concurrent.futures import ThreadPoolExecutor
from unittest import mock

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.dynamodb.models.dynamo_type import Item

from local.runtime import moto_patches


def create_tables(client) -> None:
    client.create_table(
        TableName="sessions",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.create_table(
        TableName="events",
        KeySchema=[
            {"AttributeName": "session", "KeyType": "HASH"},
            {"AttributeName": "seq", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "session", "AttributeType": "S"},
            {"AttributeName": "seq", "AttributeType": "N"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )


@pytest.fixture
def dynamodb():
    with mock_aws(), moto_patches.applied():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        create_tables(client)
        yield client


def put(table, item, condition="attribute_not_exists(id)"):
    operation = {"TableName": table, "Item": item}
    if condition:
        operation["ConditionExpression"] = condition
    return {"Put": operation}


def test_a_failed_transaction_leaves_every_item_as_it_was(dynamodb):
    dynamodb.put_item(TableName="sessions", Item={"id": {"S": "old"}, "energy": {"N": "10"}})
    dynamodb.put_item(TableName="sessions", Item={"id": {"S": "taken"}})
    with pytest.raises(ClientError) as refused:
        dynamodb.transact_write_items(
            TransactItems=[
                put("events", {"session": {"S": "new"}, "seq": {"N": "0"}}, None),
                {
                    "Update": {
                        "TableName": "sessions",
                        "Key": {"id": {"S": "old"}},
                        "UpdateExpression": "SET energy = :e",
                        "ExpressionAttributeValues": {":e": {"N": "99"}},
                    }
                },
                put("sessions", {"id": {"S": "taken"}}),  # exists: the whole transaction fails
            ]
        )
    reasons = [r["Code"] for r in refused.value.response["CancellationReasons"]]
    assert reasons == ["None", "None", "ConditionalCheckFailed"]
    assert "Item" not in dynamodb.get_item(
        TableName="events", Key={"session": {"S": "new"}, "seq": {"N": "0"}}
    )
    old = dynamodb.get_item(TableName="sessions", Key={"id": {"S": "old"}})["Item"]
    assert old["energy"] == {"N": "10"}
    assert dynamodb.scan(TableName="events")["Count"] == 0
    assert dynamodb.scan(TableName="sessions")["Count"] == 2


def test_a_transaction_that_holds_writes_every_item(dynamodb):
    dynamodb.transact_write_items(
        TransactItems=[
            put("sessions", {"id": {"S": "s1"}}),
            put("events", {"session": {"S": "s1"}, "seq": {"N": "0"}}, None),
        ]
    )
    assert dynamodb.scan(TableName="sessions")["Count"] == 1
    assert dynamodb.scan(TableName="events")["Count"] == 1


def test_a_transaction_copies_the_items_it_names_not_the_table(dynamodb):
    for n in range(500):
        dynamodb.put_item(TableName="sessions", Item={"id": {"S": f"s{n}"}})
    copies = mock.patch.object(Item, "__deepcopy__", autospec=True, side_effect=Item.__deepcopy__)
    with copies as counted:
        dynamodb.transact_write_items(TransactItems=[put("sessions", {"id": {"S": "s-new"}})])
        with pytest.raises(ClientError):
            dynamodb.transact_write_items(TransactItems=[put("sessions", {"id": {"S": "s1"}})])
    assert counted.call_count <= 2  # moto alone copies all 500 items for each
    assert dynamodb.scan(TableName="sessions")["Count"] == 501


def test_threads_at_once_neither_fail_nor_lose_writes(dynamodb):
    def session(n):
        dynamodb.transact_write_items(
            TransactItems=[
                put("sessions", {"id": {"S": f"t{n}"}}),
                put("events", {"session": {"S": f"t{n}"}, "seq": {"N": "0"}}, None),
            ]
        )
        dynamodb.put_item(TableName="events", Item={"session": {"S": f"t{n}"}, "seq": {"N": "1"}})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(session, range(400)))
    assert dynamodb.scan(TableName="sessions")["Count"] == 400
    assert dynamodb.scan(TableName="events")["Count"] == 800


def item_operations(client) -> list:
    """Every item operation the handlers make, with what botocore read of each answer."""
    answers = [
        client.put_item(
            TableName="sessions", Item={"id": {"S": "a"}, "energy": {"N": "1.5"}, "tags": {"SS": ["x"]}}
        ),
        client.put_item(
            TableName="sessions", Item={"id": {"S": "b"}, "blob": {"B": b"\x00\x01"}}, ReturnValues="ALL_OLD"
        ),
        client.get_item(TableName="sessions", Key={"id": {"S": "a"}}),
        client.get_item(TableName="sessions", Key={"id": {"S": "missing"}}),
        client.update_item(
            TableName="sessions",
            Key={"id": {"S": "a"}},
            UpdateExpression="SET energy = energy + :e REMOVE tags",
            ExpressionAttributeValues={":e": {"N": "2"}},
            ReturnValues="ALL_NEW",
        ),
        client.update_item(
            TableName="sessions",
            Key={"id": {"S": "c"}},
            UpdateExpression="SET meter = :m",
            ExpressionAttributeValues={":m": {"M": {"wh": {"N": "7"}, "at": {"NULL": True}}}},
        ),
        client.query(
            TableName="events",
            KeyConditionExpression="#s = :s",
            ExpressionAttributeNames={"#s": "session"},
            ExpressionAttributeValues={":s": {"S": "a"}},
        ),
        client.scan(TableName="sessions", Limit=1),
        client.batch_get_item(RequestItems={"sessions": {"Keys": [{"id": {"S": "a"}}, {"id": {"S": "b"}}]}}),
        client.batch_write_item(
            RequestItems={"events": [{"PutRequest": {"Item": {"session": {"S": "a"}, "seq": {"N": "1"}}}}]}
        ),
        client.transact_get_items(
            TransactItems=[{"Get": {"TableName": "sessions", "Key": {"id": {"S": "a"}}}}]
        ),
        client.transact_write_items(
            TransactItems=[put("events", {"session": {"S": "a"}, "seq": {"N": "2"}})]
        ),
        client.delete_item(TableName="sessions", Key={"id": {"S": "c"}}, ReturnValues="ALL_OLD"),
    ]
    try:
        client.put_item(
            TableName="sessions", Item={"id": {"S": "a"}}, ConditionExpression="attribute_not_exists(id)"
        )
    except ClientError as error:
        answers.append(error.response["Error"])
    for answer in answers:
        answer.pop("ResponseMetadata", None)
    return answers


def test_item_operations_answer_what_moto_s_own_answers_say():
    """The patched answers are written without moto's walk of the output shape: botocore must
    read from them exactly what it reads from moto's."""

    def answers(patched: bool) -> list:
        with mock_aws(), moto_patches.applied() if patched else contextlib.nullcontext():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            create_tables(client)
            return item_operations(client)

    assert answers(patched=True) == answers(patched=False)
