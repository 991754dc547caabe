"""The local runtime's botocore: the handlers' calls to moto go unsigned (nobody checks them),
while the URLs the local /files proxy checks are still signed."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from local.runtime import botocore_patches


@pytest.fixture
def sent() -> Any:
    with mock_aws(), botocore_patches.applied():
        yield


def headers_of_each_request(client: Any) -> list[dict[str, str]]:
    seen: list[dict[str, str]] = []
    client.meta.events.register("before-send", lambda request, **_: seen.append(dict(request.headers)))
    return seen


def test_the_handlers_dynamodb_calls_go_unsigned_and_are_answered(sent):
    client = boto3.client("dynamodb", region_name="eu-west-1")
    seen = headers_of_each_request(client)
    client.create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    client.put_item(TableName="t", Item={"id": {"S": "a"}})
    assert client.get_item(TableName="t", Key={"id": {"S": "a"}})["Item"] == {"id": {"S": "a"}}
    assert seen and all("Authorization" not in headers for headers in seen)
    assert all(headers["User-Agent"] == seen[0]["User-Agent"] for headers in seen)


def test_presigned_urls_are_still_signed(sent):
    s3 = boto3.client("s3", region_name="eu-west-1", config=Config(signature_version="s3v4"))
    s3.create_bucket(Bucket="files", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "files", "Key": "k"}, ExpiresIn=60)
    assert "X-Amz-Signature=" in url and "X-Amz-Credential=" in url


def test_other_services_are_signed_as_before(sent):
    s3 = boto3.client("s3", region_name="eu-west-1")
    seen = headers_of_each_request(s3)
    s3.list_buckets()
    assert seen[0]["Authorization"].startswith(b"AWS4-HMAC-SHA256 ")
