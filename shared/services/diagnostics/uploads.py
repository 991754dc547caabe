"""The files charge points upload for a log request: taken only with the request's single-use
token, in time, once and within the size limit. Apart from asking for logs (shared.services.
logs), so that the functions that take files load none of the command path."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from typing import IO

from shared.aws import files
from shared.aws.event_bus import DomainEvent
from shared.aws.files import LOGS
from shared.data import maintenance
from shared.domain.errors import Forbidden, NotFound, PayloadTooLarge
from shared.domain.maintenance import Upload, UploadToken, request_of, safe_file_name, same_digest
from shared.grants import grants
from shared.manifest import FTP_INCOMING
from shared.services.domain_events import publish
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("maintenance",),
    writes=("maintenance",),
)
# A log stored from an upload; and from the FTP server's incoming folder, which is emptied.
STORES = grants(file_writes=(LOGS,))
FROM_FTP = grants(file_reads=(FTP_INCOMING,), file_writes=(LOGS, FTP_INCOMING))


def receive_upload(
    token_text: str, file_name: str | None, body: bytes | IO[bytes], via: str, now: datetime
) -> Upload:
    """Store the file and mark the request uploaded: only with its token, in time, once, and
    within the size limit. The file goes to S3 before the request says it came. `body`: the
    bytes, or a file (the FTP target's spooled upload) that goes to S3 as a stream."""
    token = check_token(token_text, now)
    size = _size_of(body)

    def store(key: str) -> None:
        files.put(key, body)

    return _receive(token.charge_point_id, token.request_id, token.digest, file_name, size, store, via, now)


def receive_ftp_file(key: str, now: datetime) -> Upload:
    """A file the cloud's FTP server stored at FTP_INCOMING/{user}/{digest}/{name}: the identity
    function let the user in with the token's secret and made the digest part of its home. It
    is copied within S3, never read into memory, and not at all when over the size limit."""
    user, digest, name = key.removeprefix(FTP_INCOMING).split("/", 2)
    named = request_of(user)
    if named is None:
        raise Forbidden("Not an upload token this CSMS handed out")
    _check(*named, digest, now)
    size = files.size_of(key)
    if size is None:
        raise NotFound("The FTP server's file is gone")

    def store(target: str) -> None:
        files.copy(key, target)

    return _receive(*named, digest, name, size, store, "ftp", now)


def check_token(token_text: str, now: datetime) -> UploadToken:
    """The token, if it opens an upload now (1 read); Forbidden otherwise."""
    token = UploadToken.parse(token_text)
    if token is None:
        raise Forbidden("Not an upload token this CSMS handed out")
    _check(token.charge_point_id, token.request_id, token.digest, now)
    return token


def _check(charge_point_id: str, request_id: int, digest: str, now: datetime) -> None:
    target = maintenance.upload_target(charge_point_id, request_id)
    if target is None:
        raise Forbidden("Not an upload token this CSMS handed out")
    kept, until, used = target
    if used or not same_digest(kept, digest) or until is None or until < now:
        raise Forbidden("The upload token is unknown, used or expired")


def _receive(
    charge_point_id: str,
    request_id: int,
    digest: str,
    file_name: str | None,
    size: int,
    store: Callable[[str], None],
    via: str,
    now: datetime,
) -> Upload:
    limit = get_settings().max_upload_bytes
    if size > limit:
        raise PayloadTooLarge(f"The file is {size} bytes; this CSMS takes {limit} at most")
    name = safe_file_name(file_name, f"log-{request_id}.txt")
    key = f"{LOGS}{charge_point_id}/{request_id}/{name}"
    store(key)
    upload = Upload(key, name, size, now, via)
    if not maintenance.record_upload(charge_point_id, request_id, digest, upload, now):
        files.delete(key)  # another upload with the same token won the race
        raise Forbidden("The upload token is unknown, used or expired")
    publish(
        DomainEvent.LOG_STATUS_CHANGED,
        {
            "charge_point_id": charge_point_id,
            "request_id": request_id,
            "status": "FileReceived",
            "file_name": name,
            "size": size,
            "via": via,
            "at": now,
        },
    )
    return upload


def _size_of(body: bytes | IO[bytes]) -> int:
    if isinstance(body, bytes):
        return len(body)
    size = body.seek(0, os.SEEK_END)
    body.seek(0)
    return size


def ftp_home(user: str, secret: str, now: datetime) -> str:
    """Where the cloud's FTP server stores what this user puts: checked like any token, and
    named with its digest, so that the file finds its request again."""
    token = check_token(f"{user}.{secret}", now)
    return f"{FTP_INCOMING}{user}/{token.digest}"
