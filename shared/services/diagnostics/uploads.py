"""The files charge points upload for a log request: taken only with the request's single-use
token, in time, once and within the size limit. Apart from asking for logs (shared.services.
logs), so that the functions that take files load none of the command path."""

from __future__ import annotations

from datetime import datetime

from shared.aws import files
from shared.aws.event_bus import DomainEvent, publish
from shared.data import maintenance
from shared.domain.errors import Forbidden, PayloadTooLarge
from shared.domain.maintenance import Upload, UploadToken, request_of, safe_file_name, same_digest
from shared.manifest import FTP_INCOMING
from shared.settings import get_settings


def receive_upload(token_text: str, file_name: str | None, body: bytes, via: str, now: datetime) -> Upload:
    """Store the file and mark the request uploaded: only with its token, in time, once, and
    within the size limit. The file goes to S3 before the request says it came."""
    token = check_token(token_text, now)
    return _receive(token.charge_point_id, token.request_id, token.digest, file_name, body, via, now)


def receive_ftp_file(key: str, body: bytes, now: datetime) -> Upload:
    """A file the cloud's FTP server stored at FTP_INCOMING/{user}/{digest}/{name}: the identity
    function let the user in with the token's secret and made the digest part of its home."""
    user, digest, name = key.removeprefix(FTP_INCOMING).split("/", 2)
    named = request_of(user)
    if named is None:
        raise Forbidden("Not an upload token this CSMS handed out")
    _check(*named, digest, now)
    return _receive(*named, digest, name, body, "ftp", now)


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
    body: bytes,
    via: str,
    now: datetime,
) -> Upload:
    limit = get_settings().max_upload_bytes
    if len(body) > limit:
        raise PayloadTooLarge(f"The file is {len(body)} bytes; this CSMS takes {limit} at most")
    name = safe_file_name(file_name, f"log-{request_id}.txt")
    key = f"logs/{charge_point_id}/{request_id}/{name}"
    files.put(key, body)
    upload = Upload(key, name, len(body), now, via)
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
            "size": len(body),
            "via": via,
            "at": now,
        },
    )
    return upload


def ftp_home(user: str, secret: str, now: datetime) -> str:
    """Where the cloud's FTP server stores what this user puts: checked like any token, and
    named with its digest, so that the file finds its request again."""
    token = check_token(f"{user}.{secret}", now)
    return f"{FTP_INCOMING}{user}/{token.digest}"
