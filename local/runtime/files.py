"""The local stand-ins for what charge points reach files through: S3's presigned URLs (a
proxy to moto that enforces what S3 would: a signature and an expiry) and an FTP server that
takes uploads with the same single-use tokens as the HTTPS endpoint (the cloud's optional AWS
Transfer Family server)."""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import botocore.session
from aiohttp import ClientSession, web
from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import ReadOnlyCredentials

FILES_PREFIX = "/files"
_FORWARDED = ("GET", "HEAD", "PUT")


def presigned_in_time(query: Any, now: datetime) -> bool:
    """A SigV4 presigned URL that has not expired (moto checks neither)."""
    try:
        signed = datetime.strptime(query["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        lifetime = timedelta(seconds=int(query["X-Amz-Expires"]))
    except (KeyError, ValueError):
        return False
    return "X-Amz-Signature" in query and signed <= now + timedelta(minutes=5) and now <= signed + lifetime


def presigned_by(credentials: ReadOnlyCredentials, region: str, method: str, url: str, query: Any) -> bool:
    """The URL's signature is the one these credentials give this method, this URL and every
    other parameter (S3's presigned SigV4, recomputed by botocore): a URL signed for GET does
    not PUT, and a changed key or expiry does not pass. `url`: where it was signed for (the
    proxy's public address and the object's path), whatever host the request arrived on."""
    signature = query.get("X-Amz-Signature")
    if not isinstance(signature, str) or "X-Amz-Date" not in query:
        return False
    params = [(name, value) for name, value in query.items() if name != "X-Amz-Signature"]
    request = AWSRequest(method=method, url=url, params=params)
    request.context["timestamp"] = query["X-Amz-Date"]
    signer = S3SigV4QueryAuth(credentials, "s3", region)
    expected = signer.signature(signer.string_to_sign(request, signer.canonical_request(request)), request)
    return hmac.compare_digest(expected.encode(), signature.encode())


def files_proxy(moto_endpoint: str) -> Any:
    """/files/{bucket}/{key}?X-Amz-...: forwarded to moto, when presigned by this CSMS for
    that method and object, and in time. Nothing else of S3 is served (no listing, no bucket
    calls): charge points and operators get one object at a time."""
    from shared.settings import get_settings

    settings = get_settings()
    public_endpoint = (settings.files_public_endpoint or FILES_PREFIX).rstrip("/")
    found = botocore.session.get_session().get_credentials()  # those the functions sign with
    if found is None:
        raise RuntimeError("The files proxy checks signatures with AWS credentials, and has none")
    credentials = found.get_frozen_credentials()

    async def forward(request: web.Request) -> web.StreamResponse:
        if request.method not in _FORWARDED:
            return web.Response(status=405, text="Only presigned GET, HEAD and PUT")
        path = request.path.removeprefix(FILES_PREFIX)
        _bucket, _, key = path.lstrip("/").partition("/")
        if not key:
            return web.Response(status=403, text="AccessDenied: presigned URLs name one object, not a bucket")
        if not presigned_in_time(request.query, datetime.now(UTC)):
            return web.Response(status=403, text="AccessDenied: not a presigned URL, or one that expired")
        signed_for = public_endpoint + quote(path, safe="/~")
        if not presigned_by(credentials, settings.region, request.method, signed_for, request.query):
            return web.Response(
                status=403, text="SignatureDoesNotMatch: not presigned here for this method and object"
            )
        headers = {"Content-Type": "application/octet-stream"}  # moto would read a form otherwise
        body = await request.read() if request.method == "PUT" else None
        async with (
            ClientSession() as session,
            session.request(
                request.method,
                moto_endpoint + request.rel_url.raw_path_qs.removeprefix(FILES_PREFIX),
                data=body,
                headers=headers,
            ) as answer,
        ):
            data = await answer.read()
            response = web.Response(status=answer.status, body=data if request.method != "HEAD" else None)
            for name in ("Content-Type", "ETag", "Content-Disposition", "Last-Modified"):
                if name in answer.headers:
                    response.headers[name] = answer.headers[name]
            if request.method == "HEAD":
                response.content_length = int(answer.headers.get("Content-Length", "0"))
            return response

    return forward


@contextlib.contextmanager
def ftp_server(host: str, port: int) -> Iterator[int]:
    """An FTP server on its own thread: a user name and password are an upload token cut at
    its last dot; every file stored goes to the request the token names. Yields its port."""
    from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer

    from shared.domain.errors import ApplicationError
    from shared.services.diagnostics import uploads

    quiet = logging.getLogger("pyftpdlib")  # it sets up logging of its own unless it has a handler
    quiet.setLevel(logging.WARNING)
    quiet.addHandler(logging.NullHandler())
    root = tempfile.mkdtemp(prefix="csms-ftp-")

    class TokenAuthorizer(DummyAuthorizer):  # type: ignore[misc]
        def validate_authentication(self, username: str, password: str, handler: Any) -> None:
            try:
                uploads.check_token(f"{username}.{password}", datetime.now(UTC))
            except ApplicationError as error:
                raise AuthenticationFailed(error.message) from None
            home = os.path.join(root, username)
            os.makedirs(home, exist_ok=True)
            if not self.has_user(username):
                self.add_user(username, password, home, perm="elw")

    class UploadHandler(FTPHandler):  # type: ignore[misc]
        def on_file_received(self, file: str) -> None:
            with open(file, "rb") as received:
                body = received.read()
            os.remove(file)
            try:
                uploads.receive_upload(
                    f"{self.username}.{self.password}", os.path.basename(file), body, "ftp", datetime.now(UTC)
                )
            except ApplicationError as error:
                self.log(f"upload refused: {error.message}")

        def on_login(self, username: str) -> None:
            self.password = self.authorizer.user_table[username]["pwd"]

    UploadHandler.authorizer = TokenAuthorizer()
    UploadHandler.banner = "CSMS log upload"
    server = ThreadedFTPServer((host, port), UploadHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"timeout": 0.5}, daemon=True, name="ftp")
    thread.start()
    try:
        yield int(server.address[1])
    finally:
        server.close_all()
        thread.join(timeout=5)
