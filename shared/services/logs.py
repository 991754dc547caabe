"""Diagnostics and log files: asking a charge point for one, and taking the file it uploads.
The CSMS owns the upload location: an HTTPS endpoint of its own (or its FTP server) with a
single-use token, so nobody types an FTP URL of a server they run themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from shared.aws import files
from shared.aws.event_bus import DomainEvent, publish
from shared.data import charge_points, maintenance
from shared.data.dynamo import Page
from shared.domain.commands import Command, Intent
from shared.domain.errors import BadRequest, Forbidden, NotFound, PayloadTooLarge
from shared.domain.maintenance import (
    Kind,
    LogRequest,
    LogType,
    MaintenanceRequest,
    Upload,
    UploadToken,
    request_of,
    safe_file_name,
    same_digest,
)
from shared.domain.timestamps import format_timestamp
from shared.manifest import FTP_INCOMING
from shared.protocol.adapters.base import Adapter
from shared.services import commands
from shared.services import maintenance as requests
from shared.settings import get_settings

# How long an upload location stays good after the request: a charge point may queue the
# upload behind a session, and retry.
UPLOAD_WINDOW = timedelta(hours=24)
# How long a download link the API hands out stays good.
DOWNLOAD_URL_S = 3600


@dataclass(frozen=True)
class LogAsked:
    log_type: LogType
    oldest: datetime | None = None
    latest: datetime | None = None
    retries: int | None = None
    retry_interval_s: int | None = None
    via: str = "http"  # or "ftp"


def request_log(
    charge_point_id: str, asked: LogAsked, api_base: str, now: datetime
) -> tuple[MaintenanceRequest, Command]:
    """GetDiagnostics (1.6) or GetLog, with an upload location only this request can use."""
    charge_point = commands.connected(charge_point_id)
    settings = get_settings()
    if asked.via == "ftp" and settings.ftp_url is None:
        raise BadRequest("This CSMS has no FTP server for uploads (CSMS_FTP_URL); ask for via http")
    window = UPLOAD_WINDOW + timedelta(seconds=(asked.retries or 0) * (asked.retry_interval_s or 0))
    token = UploadToken.new(charge_point_id, maintenance.next_request_id())
    location = _location(token, asked.via, settings.public_url or api_base, settings.ftp_url)

    def build(adapter: Adapter, request_id: int) -> Intent:
        log = LogRequest(
            request_id,
            asked.log_type,
            location,
            asked.oldest,
            asked.latest,
            asked.retries,
            asked.retry_interval_s,
        )
        return adapter.get_log(log)

    details: dict[str, Any] = {
        "logType": asked.log_type.value,
        "from": format_timestamp(asked.oldest) if asked.oldest else None,
        "to": format_timestamp(asked.latest) if asked.latest else None,
        "via": asked.via,
        "uploadUntil": format_timestamp(now + window),
    }
    return requests.ask(
        charge_point,
        Kind.LOG,
        build,
        details,
        now,
        upload=(token.request_id, token.digest, now + window),
    )


def _location(token: UploadToken, via: str, base: str, ftp_url: str | None) -> str:
    if via == "ftp":
        assert ftp_url is not None
        parts = urlsplit(ftp_url)
        return f"ftp://{quote(token.user, safe='')}:{quote(token.secret, safe='')}@{parts.netloc}/"
    return f"{base}/uploads/{token.text}"


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


def logs_of(charge_point_id: str, limit: int, next_token: str | None) -> Page[MaintenanceRequest]:
    charge_points.registered_charge_point(charge_point_id)
    return maintenance.requests_of(charge_point_id, Kind.LOG, limit, next_token)


def log_of(charge_point_id: str, request_id: int) -> tuple[MaintenanceRequest, str | None]:
    """The request and, once its file came, a link to download it."""
    charge_points.registered_charge_point(charge_point_id)
    request = maintenance.find_request(charge_point_id, Kind.LOG, request_id)
    if request is None:
        raise NotFound(f"Log request {request_id} of {charge_point_id}")
    upload = request.upload
    link = files.download_url(upload.key, DOWNLOAD_URL_S, upload.file_name) if upload else None
    return request, link
