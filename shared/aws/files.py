"""The files bucket: firmware images and the logs charge points upload. Charge points and
operators never get the bucket itself, only presigned URLs for one object at a time."""

from __future__ import annotations

from functools import lru_cache
from typing import IO, Any

from botocore.config import Config
from botocore.exceptions import ClientError

from shared.aws.clients import make_client
from shared.settings import get_settings

# The bucket's folders: the firmware catalogue's images, and the logs stations uploaded.
IMAGES = "firmware/"
LOGS = "logs/"


@lru_cache(maxsize=2)
def _client(public: bool) -> Any:
    """`public`: the client that signs URLs for the outside (locally, the runtime's proxy)."""
    settings = get_settings()
    endpoint = settings.files_public_endpoint if public else settings.files_endpoint
    return make_client(
        "s3",
        settings.region,
        endpoint_url=endpoint or settings.files_endpoint,
        config=Config(
            signature_version="s3v4", s3={"addressing_style": "path"}, retries={"mode": "standard"}
        ),
    )


def put(key: str, body: bytes | IO[bytes], content_type: str = "application/octet-stream") -> None:
    """`body`: the bytes, or a file botocore sends in chunks (never whole in memory)."""
    _client(False).put_object(
        Bucket=get_settings().files_bucket, Key=key, Body=body, ContentType=content_type
    )


def copy(source: str, key: str) -> None:
    """Within the bucket, by S3 itself: the object never passes through the function."""
    bucket = get_settings().files_bucket
    _client(False).copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": source})


def size_of(key: str) -> int | None:
    """The object's size, None when there is none."""
    try:
        head = _client(False).head_object(Bucket=get_settings().files_bucket, Key=key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return int(head["ContentLength"])


def read(key: str) -> bytes:
    body = _client(False).get_object(Bucket=get_settings().files_bucket, Key=key)["Body"]
    return bytes(body.read())


def delete(key: str) -> None:
    _client(False).delete_object(Bucket=get_settings().files_bucket, Key=key)


def download_url(key: str, expires_s: int, file_name: str | None = None) -> str:
    params: dict[str, Any] = {"Bucket": get_settings().files_bucket, "Key": key}
    if file_name:
        params["ResponseContentDisposition"] = f'attachment; filename="{file_name}"'
    return str(_client(True).generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s))


def upload_url(key: str, expires_s: int) -> str:
    params = {"Bucket": get_settings().files_bucket, "Key": key}
    return str(_client(True).generate_presigned_url("put_object", Params=params, ExpiresIn=expires_s))


def create_bucket() -> None:
    """The local runtime's and tests' bucket (the cloud's comes from the CDK stack)."""
    client, settings = _client(False), get_settings()
    names = {bucket["Name"] for bucket in client.list_buckets().get("Buckets", [])}
    if settings.files_bucket not in names:
        client.create_bucket(
            Bucket=settings.files_bucket,
            CreateBucketConfiguration={"LocationConstraint": settings.region},
        )
