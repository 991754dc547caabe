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
from moto.dynamodb.models.dynamo_type import DynamoType, Item

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
    client.create_table(
        TableName="readings",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "at", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "at", "AttributeType": "S"},
            {"AttributeName": "station", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-station",
                "KeySchema": [
                    {"AttributeName": "station", "KeyType": "HASH"},
                    {"AttributeName": "at", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
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
        *repeated_updates(client),
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


def repeated_updates(client) -> list:
    """The same expressions again and again with other values, as the handlers send them: each
    answer follows from its own values (parsed expressions are kept between requests)."""
    key = {"id": {"S": "u"}}
    names = {
        "#m": "meter",
        "#wh": "wh",
        "#l": "log",
        "#n": "n",
        "#tags": "tags",
        "#gone": "gone",
        "#done": "done",
    }
    client.put_item(TableName="sessions", Item={**key, "meter": {"M": {}}, "gone": {"S": "x"}})
    answers = []
    for n in range(3):  # one condition, the same names, no values
        try:
            answers.append(
                client.put_item(
                    TableName="sessions",
                    Item={"id": {"S": f"p{n % 2}"}},
                    ConditionExpression="attribute_not_exists(#id)",
                    ExpressionAttributeNames={"#id": "id"},
                )
            )
        except ClientError as error:
            answers.append(error.response["Error"])
    for n in range(3):
        values = {
            ":zero": {"N": "0"},
            ":wh": {"N": str(10 * n + 1)},
            ":empty": {"L": []},
            ":one": {"L": [{"S": f"step{n}"}]},
            ":inc": {"N": "1"},
            ":tag": {"SS": [f"t{n}"]},
            ":max": {"N": "5"},
        }
        answers.append(
            client.update_item(
                TableName="sessions",
                Key=key,
                UpdateExpression="SET #m.#wh = if_not_exists(#m.#wh, :zero) + :wh, "
                "#l = list_append(if_not_exists(#l, :empty), :one) ADD #n :inc, #tags :tag REMOVE #gone",
                ConditionExpression="attribute_not_exists(#done) AND (attribute_not_exists(#n) OR #n < :max)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
                ReturnValues="ALL_NEW",
            )
        )
    for limit in ("1", "5"):  # the same condition with another value: refused, then allowed
        try:
            answers.append(
                client.update_item(
                    TableName="sessions",
                    Key=key,
                    UpdateExpression="ADD #n :inc",
                    ConditionExpression="#n < :max",
                    ExpressionAttributeNames={"#n": "n"},
                    ExpressionAttributeValues={":inc": {"N": "1"}, ":max": {"N": limit}},
                    ReturnValues="UPDATED_NEW",
                )
            )
        except ClientError as error:
            answers.append(error.response["Error"])
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


def fill_readings(client, sessions: int = 40, each: int = 5) -> None:
    for n in range(sessions):
        for k in range(each):
            item = {"id": {"S": f"s{n:03d}"}, "at": {"S": f"2026-12-07T10:{k:02d}:{n % 7:02d}"}}
            if k != 2:  # the index is sparse: a reading without a station is not in it
                item["station"] = {"S": f"cp{n % 3}"}
            client.put_item(TableName="readings", Item={**item, "wh": {"N": str(n * 10 + k)}})


def queries(client) -> list:
    """Queries as the handlers make them: a partition, its newest first, a range, a filter,
    pages; and the same through an index."""
    answers = []
    for forward in (True, False):
        for index in (None, "by-station"):
            key = "station" if index else "id"
            asked = {
                "TableName": "readings",
                "KeyConditionExpression": f"{key} = :k AND #at >= :from",
                "ExpressionAttributeNames": {"#at": "at"},
                "ExpressionAttributeValues": {
                    ":k": {"S": "cp1" if index else "s007"},
                    ":from": {"S": "2026-12-07T10:01"},
                },
                "ScanIndexForward": forward,
                "Limit": 7,
                **({"IndexName": index} if index else {}),
            }
            start = None
            while True:
                page = client.query(**asked, **({"ExclusiveStartKey": start} if start else {}))
                page.pop("ResponseMetadata", None)
                answers.append(page)
                start = page.get("LastEvaluatedKey")
                if not start:
                    break
    answers.append(
        client.query(
            TableName="readings",
            KeyConditionExpression="id = :k",
            FilterExpression="wh > :wh",
            ExpressionAttributeValues={":k": {"S": "s012"}, ":wh": {"N": "121"}},
        )["Items"]
    )
    answers.append(
        client.query(
            TableName="readings",
            KeyConditionExpression="id = :k",
            ExpressionAttributeValues={":k": {"S": "nobody"}},
        )["Items"]
    )
    answers.append(client.scan(TableName="readings", Limit=9)["Items"])
    return answers


def test_queries_answer_what_moto_s_own_answers_say():
    def answers(patched: bool) -> list:
        with mock_aws(), moto_patches.applied() if patched else contextlib.nullcontext():
            client = boto3.client("dynamodb", region_name="eu-west-1")
            create_tables(client)
            fill_readings(client)
            return queries(client)

    assert answers(patched=True) == answers(patched=False)


def test_a_query_s_cost_does_not_grow_with_the_table(dynamodb):
    """moto alone sorts the whole table for every query: thousands of comparisons here."""
    fill_readings(dynamodb, sessions=400, each=5)
    compared = mock.patch.object(DynamoType, "__lt__", autospec=True, side_effect=DynamoType.__lt__)
    with compared as counted:
        found = dynamodb.query(
            TableName="readings",
            KeyConditionExpression="id = :k",
            ExpressionAttributeValues={":k": {"S": "s123"}},
        )["Items"]
    assert [item["wh"]["N"] for item in found] == ["1230", "1231", "1232", "1233", "1234"]
    assert counted.call_count <= 20
