"""The local runtime's /files proxy against a moto server: a presigned URL reaches its own
object with its own method while it lasts, and nothing else of the bucket is reachable."""

from __future__ import annotations

import asyncio
import urllib.parse
from datetime import UTC, datetime
from unittest import mock

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from local.runtime.aws import LocalAws
from local.runtime.files import FILES_PREFIX, files_proxy
from shared.aws import files

# Where the URLs are signed for; the requests arrive on the test server's own address.
PUBLIC = "http://files.example:8080" + FILES_PREFIX
LOG = "logs/CP-A/7/station-a.log"
OTHER_LOG = "logs/CP-B/8/station-b.log"
FIRMWARE = "firmware/fw-1.bin"


@pytest.fixture
def moto_s3(settings_env):
    server = LocalAws("127.0.0.1", 0)
    server.start()
    settings_env(CSMS_FILES_ENDPOINT=server.endpoint, CSMS_FILES_PUBLIC_ENDPOINT=PUBLIC)
    files._client.cache_clear()
    try:
        files.create_bucket()
        files.put(LOG, b"station A's log")
        files.put(OTHER_LOG, b"station B's log")
        files.put(FIRMWARE, b"firmware 1")
        yield server.endpoint
    finally:
        files._client.cache_clear()
        server.stop()


def through_proxy(moto_endpoint, requests):
    """Each (method, presigned URL or path, body) sent to the proxy: (status, body) of each."""

    async def run():
        app = web.Application()
        app.router.add_route("*", FILES_PREFIX + "/{path:.*}", files_proxy(moto_endpoint))
        async with TestClient(TestServer(app)) as client:
            answers = []
            for method, url, body in requests:
                parts = urllib.parse.urlsplit(url)
                async with client.request(method, f"{parts.path}?{parts.query}", data=body) as answer:
                    answers.append((answer.status, await answer.read()))
            return answers

    return asyncio.run(run())


def buckets():
    return sorted(bucket["Name"] for bucket in files._client(False).list_buckets()["Buckets"])


def test_a_presigned_url_reads_or_writes_its_own_object_with_its_own_method(moto_s3):
    read_log = files.download_url(LOG, 600, "station-a.log")
    write_firmware = files.upload_url(FIRMWARE, 600)
    answers = through_proxy(
        moto_s3,
        [
            ("GET", read_log, None),
            ("PUT", read_log, b"overwritten"),  # a GET URL does not PUT
            ("GET", read_log.replace(urllib.parse.quote(LOG), urllib.parse.quote(OTHER_LOG)), None),
            ("GET", read_log.replace("X-Amz-Expires=600", "X-Amz-Expires=604800"), None),
            ("GET", write_firmware, None),  # a PUT URL does not read
            ("PUT", write_firmware, b"firmware 2"),
        ],
    )
    assert answers[0] == (200, b"station A's log")
    assert [status for status, _ in answers[1:5]] == [403, 403, 403, 403]
    assert answers[5][0] == 200
    assert files.read(LOG) == b"station A's log"
    assert files.read(FIRMWARE) == b"firmware 2"


def test_a_fresh_date_and_any_signature_open_nothing(moto_s3):
    now = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    forged = (
        "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=testing%2F20260101%2Feu-west-1%2Fs3%2Faws4_request"
        f"&X-Amz-Date={now}&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={'0' * 64}"
    )
    name = "test-files"
    answers = through_proxy(
        moto_s3,
        [
            ("GET", f"{FILES_PREFIX}/{name}/{OTHER_LOG}?{forged}", None),
            ("PUT", f"{FILES_PREFIX}/{name}/{FIRMWARE}?{forged}", b"evil firmware"),
            ("GET", f"{FILES_PREFIX}/{name}?{forged}", None),  # listing the bucket
            ("GET", f"{FILES_PREFIX}/{name}/?{forged}", None),
            ("PUT", f"{FILES_PREFIX}/another-bucket?{forged}", None),  # creating one
        ],
    )
    assert [status for status, _ in answers] == [403] * 5
    assert all(b"station" not in body for _, body in answers)
    assert files.read(FIRMWARE) == b"firmware 1"
    assert buckets() == [name]


def test_a_bucket_call_is_refused_even_when_presigned(moto_s3):
    listing = files._client(True).generate_presigned_url(
        "list_objects_v2", Params={"Bucket": "test-files"}, ExpiresIn=600
    )
    [(status, body)] = through_proxy(moto_s3, [("GET", listing, None)])
    assert status == 403 and b"station" not in body


def test_an_expired_url_is_refused(moto_s3):
    with mock.patch("botocore.auth.get_current_datetime", return_value=datetime(2026, 1, 1, 12, 0)):
        old = files.download_url(LOG, 60)
    [(status, _)] = through_proxy(moto_s3, [("GET", old, None)])
    assert status == 403
