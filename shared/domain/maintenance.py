"""Remote maintenance: firmware updates and log uploads a charge point was asked for, the
statuses it reports on them, and the tokens that let it upload a file to the CSMS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    FIRMWARE = "firmware"
    LOG = "log"


class Origin(StrEnum):
    OPERATOR = "operator"
    ROLLOUT = "rollout"
    # A status that arrived with no request known: stored and answered all the same.
    UNSOLICITED = "unsolicited"


class Outcome(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class OutcomeReason(StrEnum):
    """Why a request its station reported done failed all the same."""

    VERSION_MISMATCH = "versionMismatch"  # Installed, but the next boot reports another version
    UPLOAD_MISSING = "uploadMissing"  # Uploaded, but no file came before the upload window closed


@dataclass(frozen=True)
class Settled:
    outcome: Outcome
    reason: OutcomeReason | None = None


@dataclass(frozen=True)
class BootSeen:
    """The charge point's latest boot, as its BootNotification reported it."""

    at: datetime | None
    firmware_version: str | None


# Statuses that end a request, by kind (1.6, its security extension, 2.0.1 and 2.1 spellings).
_SUCCEEDED = {Kind.FIRMWARE: frozenset({"Installed"}), Kind.LOG: frozenset({"Uploaded"})}
_FAILED = {
    Kind.FIRMWARE: frozenset(
        {
            "DownloadFailed",
            "InstallationFailed",
            "InstallVerificationFailed",
            "InvalidSignature",
            "InvalidCertificate",
            "RevokedCertificate",
        }
    ),
    Kind.LOG: frozenset(
        {"UploadFailed", "UploadFailure", "BadMessage", "NotSupportedOperation", "PermissionDenied"}
    ),
}
# An answer to the call that asked, other than Accepted, also ends the request.
ACCEPTED_ANSWERS = frozenset({"Accepted", "AcceptedCanceled"})


def outcome(kind: Kind, status: str | None) -> Outcome:
    if status in _SUCCEEDED[kind]:
        return Outcome.SUCCEEDED
    if status in _FAILED[kind]:
        return Outcome.FAILED
    return Outcome.PENDING


@dataclass(frozen=True)
class StatusReport:
    """A FirmwareStatusNotification, LogStatusNotification or their 1.6 kin. `request_id` is
    None where the version has none (1.6 firmware and diagnostics): the charge point's latest
    request of the kind is the one it speaks of."""

    kind: Kind
    status: str
    request_id: int | None
    info: str | None = None


@dataclass(frozen=True)
class StatusEntry:
    status: str
    at: datetime
    info: str | None = None


@dataclass(frozen=True)
class Upload:
    """A file the charge point sent to the CSMS's upload location."""

    key: str  # in the files bucket
    file_name: str
    size: int
    at: datetime
    via: str  # http-put, http-post, ftp


@dataclass(frozen=True)
class MaintenanceRequest:
    charge_point_id: str
    kind: Kind
    request_id: int
    origin: Origin
    created_at: datetime | None
    # What was asked: firmware (firmwareId, location, retrieveAt, ...) or log (logType, from, to)
    details: dict[str, Any] = field(default_factory=dict)
    command_id: str | None = None
    answer: dict[str, Any] | None = None  # the charge point's answer to the call
    statuses: tuple[StatusEntry, ...] = ()
    upload: Upload | None = None
    rollout_id: str | None = None
    latest_status: str | None = None  # set when statuses were dropped past the list's cap
    statuses_dropped: int = 0

    @property
    def status(self) -> str | None:
        if self.latest_status is not None:
            return self.latest_status
        return self.statuses[-1].status if self.statuses else None

    @property
    def outcome(self) -> Outcome:
        """What its answer and statuses alone tell: a log reported Uploaded is done only once
        its file came (settled says when it never will)."""
        answered = (self.answer or {}).get("status")
        if answered is not None and answered not in ACCEPTED_ANSWERS:
            return Outcome.FAILED
        if self.kind is Kind.LOG:
            if self.upload is not None:
                return Outcome.SUCCEEDED
            reported = outcome(self.kind, self.status)
            return Outcome.PENDING if reported is Outcome.SUCCEEDED else reported
        return outcome(self.kind, self.status)

    def settled(self, now: datetime, boot: BootSeen | None = None) -> Settled:
        """The outcome, not on a status alone. A log reported Uploaded with no file fails once
        its upload window closed. A firmware update of a catalogue image reported Installed is
        decided by the boot after it was asked (`boot`: the charge point's latest, given only
        for its newest update): the version asked succeeds; another fails, once the boot came
        after Installed (2.x may report Installed and then reboot into it); no boot yet waits."""
        reported = self.outcome
        if self.kind is Kind.LOG:
            until = self.details.get("uploadUntil")
            missing = self.upload is None and outcome(self.kind, self.status) is Outcome.SUCCEEDED
            if missing and until is not None and datetime.fromisoformat(until) < now:
                return Settled(Outcome.FAILED, OutcomeReason.UPLOAD_MISSING)
            return Settled(reported)
        wanted = self.details.get("version")
        if reported is not Outcome.SUCCEEDED or wanted is None or boot is None:
            return Settled(reported)
        if boot.at is None or self.created_at is None or boot.at <= self.created_at:
            return Settled(Outcome.PENDING)
        if boot.firmware_version == wanted:
            return Settled(Outcome.SUCCEEDED)
        installed = [entry.at for entry in self.statuses if entry.status in _SUCCEEDED[self.kind]]
        if not installed or boot.at >= installed[-1]:
            return Settled(Outcome.FAILED, OutcomeReason.VERSION_MISMATCH)
        return Settled(Outcome.PENDING)


# --- Upload tokens ----------------------------------------------------------------------
# A token names the request it may upload for and carries a secret whose hash the request
# keeps: the upload endpoint finds the request with one read and can tell a forged token.


@dataclass(frozen=True)
class UploadToken:
    charge_point_id: str
    request_id: int
    secret: str

    @property
    def user(self) -> str:
        """The token without its secret: what names the request (an FTP user name)."""
        name = base64.urlsafe_b64encode(self.charge_point_id.encode()).decode().rstrip("=")
        return f"{name}.{self.request_id}"

    @property
    def text(self) -> str:
        return f"{self.user}.{self.secret}"

    @property
    def digest(self) -> str:
        return secret_digest(self.secret)

    @classmethod
    def new(cls, charge_point_id: str, request_id: int) -> UploadToken:
        return cls(charge_point_id, request_id, secrets.token_urlsafe(24))

    @classmethod
    def parse(cls, text: str) -> UploadToken | None:
        """None for anything that is not a token's shape."""
        user, _, secret = text.rpartition(".")
        named = request_of(user)
        if named is None or len(secret) < 16:
            return None
        return cls(*named, secret)


def request_of(user: str) -> tuple[str, int] | None:
    """The charge point and request a token's user part names; None if it names none."""
    parts = user.split(".")
    if len(parts) != 2 or not parts[1].isdigit():
        return None
    try:
        name = base64.urlsafe_b64decode(parts[0] + "=" * (-len(parts[0]) % 4)).decode()
    except ValueError:
        return None
    return (name, int(parts[1])) if name else None


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def same_digest(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a, b)


def safe_file_name(name: str | None, fallback: str) -> str:
    """A file name a charge point sent, as the last part of an S3 key: no folders, no oddities."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(c if c.isalnum() or c in "._-" else "_" for c in base).strip("._")
    return cleaned[:120] or fallback


# --- Security events ------------------------------------------------------------------------

# The types OCPP 2.0.1's security event list (and the 1.6 security whitepaper's) marks critical:
# a charge point pushes these at once, and the stack raises an alarm on them.
CRITICAL_SECURITY_EVENTS = frozenset(
    {
        "FirmwareUpdated",
        "SettingSystemTime",
        "StartupOfTheDevice",
        "ResetOrReboot",
        "SecurityLogWasCleared",
        "MemoryExhaustion",
        "TamperDetectionActivated",
    }
)


# --- What the operator asks for -------------------------------------------------------------


class LogType(StrEnum):
    DIAGNOSTICS = "Diagnostics"
    SECURITY = "SecurityLog"


@dataclass(frozen=True)
class FirmwareUpdate:
    request_id: int
    location: str
    retrieve_at: datetime
    retries: int | None = None
    retry_interval_s: int | None = None
    install_at: datetime | None = None
    signing_certificate: str | None = None  # PEM; with a signature, a signed update
    signature: str | None = None  # base64

    @property
    def signed(self) -> bool:
        return bool(self.signing_certificate and self.signature)


@dataclass(frozen=True)
class LogRequest:
    request_id: int
    log_type: LogType
    location: str
    oldest: datetime | None = None
    latest: datetime | None = None
    retries: int | None = None
    retry_interval_s: int | None = None


@dataclass(frozen=True)
class MaintenanceAnswer:
    """What the charge point answered to UpdateFirmware, GetDiagnostics, GetLog and their kin.
    `request_id` None: the version has none (the command's own request is meant)."""

    kind: Kind
    request_id: int | None
    status: str
    file_name: str | None = None


@dataclass(frozen=True)
class Firmware:
    """An image of the catalogue: a file the CSMS keeps, or one at an external location."""

    firmware_id: str
    vendor: str
    model: str
    version: str
    created_at: datetime
    description: str | None = None
    file_key: str | None = None
    external_location: str | None = None
    sha256: str | None = None
    size: int | None = None
    signing_certificate: str | None = None
    signature: str | None = None
    tenant_id: str | None = None  # as stored: None is the default tenant's

    def fits(self, vendor: str | None, model: str | None) -> bool:
        """Whether a charge point of this vendor and model may take the image (case aside)."""
        same = (model or "").casefold() == self.model.casefold()
        return same and (vendor is None or vendor.casefold() == self.vendor.casefold())


# A presigned URL is good for seven days at most (SigV4).
MAX_URL_LIFETIME_S = 7 * 24 * 3600
# Beyond the last retry the charge point may still be downloading.
DOWNLOAD_MARGIN_S = 3600


def download_window_s(
    now: datetime, retrieve_at: datetime, retries: int | None, interval_s: int | None
) -> int:
    """How long the image's URL must stay good: until retrieveAt plus every retry, and a margin."""
    until = max(retrieve_at, now).timestamp() + (retries or 0) * (interval_s or 0) + DOWNLOAD_MARGIN_S
    return int(until - now.timestamp())
