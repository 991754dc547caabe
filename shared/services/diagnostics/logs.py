"""Diagnostics and log files: asking a charge point for one, and finding the file it uploaded
(shared.services.diagnostics.uploads takes the file). The CSMS owns the upload location: an HTTPS endpoint
of its own (or its FTP server) with a single-use token, so nobody types an FTP URL of a server
they run themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from shared.aws import files
from shared.aws.files import LOGS
from shared.data import charge_points, maintenance
from shared.data.dynamo import Page
from shared.domain.commands import Command, Failure, Intent
from shared.domain.errors import BadRequest, NotFound
from shared.domain.maintenance import (
    Kind,
    LogRequest,
    LogType,
    MaintenanceRequest,
    UploadToken,
)
from shared.domain.timestamps import format_timestamp
from shared.grants import grants
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands
from shared.services import maintenance as requests
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "maintenance"),
    writes=("counters", "maintenance"),
)
# The link an operator downloads an uploaded log at.
DOWNLOADS = grants(file_reads=(LOGS,))

if TYPE_CHECKING:
    from shared.protocol.versions import Profile

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

    def build(profile: Profile, request_id: int) -> Intent:
        log = LogRequest(
            request_id,
            asked.log_type,
            location,
            asked.oldest,
            asked.latest,
            asked.retries,
            asked.retry_interval_s,
        )
        return diagnostics_codec(profile).get_log(log)

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


@answers.keeps("GetDiagnostics", "GetLog")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """What the station said to a log request."""
    codec = diagnostics_codec(profile_for(command.ocpp_version))
    requests.answered(command, codec.log_answer(command, response), now)


@answers.ends("GetDiagnostics", "GetLog")
def unanswered(command: Command, failure: Failure, now: datetime) -> None:
    codec = diagnostics_codec(profile_for(command.ocpp_version))
    requests.unanswered(command, codec.log_answer(command, {"status": failure.code}), failure, now)
