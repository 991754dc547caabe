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
    from shared.aws.clients import session as signing_session
    from shared.settings import get_settings

    settings = get_settings()
    public_endpoint = (settings.files_public_endpoint or FILES_PREFIX).rstrip("/")
    found = signing_session().get_credentials()  # the very credentials the functions sign with
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
    its last dot; the one file a login stores goes to the request the token names. A file is
    counted as it arrives and refused with 552 once over the size limit; it is spooled to disk
    and streamed to S3, and 226 answers only a file stored and recorded. Yields its port."""
    from pyftpdlib.authorizers import AuthenticationFailed, DummyAuthorizer
    from pyftpdlib.handlers import DTPHandler, FTPHandler
    from pyftpdlib.servers import ThreadedFTPServer

    from shared.domain.errors import ApplicationError, PayloadTooLarge
    from shared.services.diagnostics import uploads
    from shared.settings import get_settings

    quiet = logging.getLogger("pyftpdlib")  # it sets up logging of its own unless it has a handler
    quiet.setLevel(logging.WARNING)
    quiet.addHandler(logging.NullHandler())
    root = tempfile.mkdtemp(prefix="csms-ftp-")
    limit = get_settings().max_upload_bytes

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

    class UploadTransfer(DTPHandler):  # type: ignore[misc]
        """A data connection that stops an upload past the limit, and answers the end of one
        only once the control connection has stored it (each connection has its own thread)."""

        def handle_read(self) -> None:
            super().handle_read()
            if self.receive and not self._closed and self.tot_bytes_received > limit:
                self._resp = (f"552 The file is over {limit} bytes, the most this CSMS takes.", quiet.info)
                self.close()  # an incomplete file: removed, and the token still open

        handle_read_event = handle_read  # what the I/O loop calls (the base class binds its own)

        def handle_close(self) -> None:
            if not (self.receive and not self._closed and self.file_obj is not None):
                super().handle_close()
                return
            self.transfer_finished = True
            self.file_obj.flush()
            self._resp = (self.cmd_channel.store(self.file_obj.name), quiet.info)
            self.close()

    class UploadHandler(FTPHandler):  # type: ignore[misc]
        dtp_handler = UploadTransfer
        stored = False

        def ftp_STOR(self, file: str, mode: str = "w") -> str | None:
            return super().ftp_STOR(file, mode) if self._may_store() else None

        def ftp_STOU(self, line: str) -> str | None:
            return super().ftp_STOU(line) if self._may_store() else None

        def _may_store(self) -> bool:
            """One file per login, refused before its data is taken, and only while the
            token still opens an upload (another login may have used it)."""
            if self.stored:
                self.respond("552 One file per upload token: this one has taken its file.")
                return False
            try:
                uploads.check_token(self._token, datetime.now(UTC))
            except ApplicationError as error:
                self.respond(f"550 {error.message}.")
                return False
            return True

        def store(self, path: str) -> str:
            """The reply to a complete transfer: 226 once the file is in S3 and its request
            says so, else why not."""
            try:
                with open(path, "rb") as received:
                    uploads.receive_upload(
                        self._token, os.path.basename(path), received, "ftp", datetime.now(UTC)
                    )
            except PayloadTooLarge as error:
                return f"552 {error.message}."
            except ApplicationError as error:
                return f"550 {error.message}."
            except Exception:
                self.log_exception(self)
                return "451 The file could not be stored; try again."
            self.stored = True
            return "226 Transfer complete; the file is stored."

        def on_file_received(self, file: str) -> None:
            os.remove(file)  # in S3 now, or refused

        def on_incomplete_file_received(self, file: str) -> None:
            os.remove(file)

        def on_login(self, username: str) -> None:
            self._token = f"{username}.{self.authorizer.user_table[username]['pwd']}"

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
