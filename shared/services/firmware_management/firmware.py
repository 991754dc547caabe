"""Firmware: the catalogue of images the CSMS keeps (or points to), and updating a charge point
to one. The charge point gets a presigned HTTPS URL that stays good for as long as its
download may take: until retrieveAt, every retry, and a margin."""

from __future__ import annotations

import base64
import binascii
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from shared.aws import files
from shared.aws.files import IMAGES
from shared.data import charge_points, firmware, maintenance
from shared.data import rollouts as rollout_records
from shared.data.dynamo import Page
from shared.domain.commands import Command, Failure, Intent
from shared.domain.errors import BadRequest, Conflict, InvalidCertificate, NotFound
from shared.domain.maintenance import (
    MAX_URL_LIFETIME_S,
    BootSeen,
    Firmware,
    FirmwareUpdate,
    Kind,
    MaintenanceRequest,
    Origin,
    Outcome,
    download_window_s,
    safe_file_name,
)
from shared.domain.provisioning import ChargePoint
from shared.domain.rollouts import RolloutState
from shared.domain.timestamps import format_timestamp
from shared.grants import grants
from shared.protocol.firmware_management import firmware_management_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands
from shared.services import maintenance as requests

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "firmware", "firmware-versions", "maintenance", "rollouts"),
    writes=("firmware", "firmware-versions", "maintenance"),
    indexes=("firmware/catalogue",),
)
# The catalogue's images: uploaded by URL, sized, removed; and the URL a station downloads one at.
CATALOGUE = grants(file_reads=(IMAGES,), file_writes=(IMAGES,))
LOCATES = grants(file_reads=(IMAGES,))

if TYPE_CHECKING:
    from shared.protocol.versions import Profile

# How long the URL an operator uploads an image with stays good.
UPLOAD_URL_S = 3600


@dataclass(frozen=True)
class UpdateAsked:
    """What the operator asks of an update: an image of the catalogue, or a location."""

    firmware_id: str | None
    location: str | None
    retrieve_at: datetime
    retries: int | None = None
    retry_interval_s: int | None = None
    install_at: datetime | None = None
    force: bool = False


def register(image: Firmware) -> tuple[Firmware, str | None]:
    """An image the CSMS keeps (the answer has the URL to upload it to) or an external one. One
    image per vendor, model and version (409 names the other); a signed one's certificate is
    PEM X.509 and its signature base64 (422 otherwise), as a station will read them."""
    _check_signing(image)
    if image.external_location is None:
        name = safe_file_name(f"{image.model}-{image.version}.bin", "firmware.bin")
        image = replace(image, file_key=f"{IMAGES}{image.firmware_id}/{name}")
    holder = firmware.put_firmware(image)
    if holder is not None:
        raise Conflict(
            f"Firmware {image.version} of {image.vendor} {image.model} is in the catalogue already: {holder}"
        )
    upload = files.upload_url(image.file_key, UPLOAD_URL_S) if image.file_key else None
    return image, upload


def _check_signing(image: Firmware) -> None:
    from shared.domain.x509 import load

    if image.signing_certificate is None and image.signature is None:
        return
    if image.signing_certificate is None or image.signature is None:
        raise BadRequest("signingCertificate and signature come together")
    try:
        load(image.signing_certificate)
    except ValueError as error:
        raise InvalidCertificate(f"signingCertificate: {error}") from None
    try:
        base64.b64decode(image.signature, validate=True)
    except binascii.Error:
        raise InvalidCertificate("signature must be base64") from None


def new_id() -> str:
    return str(uuid.uuid4())


def image(firmware_id: str) -> tuple[Firmware, int | None]:
    """The image and, for one the CSMS keeps, the size of its uploaded file (None: not yet)."""
    found = firmware.find_firmware(firmware_id)
    if found is None:
        raise NotFound(f"Firmware {firmware_id}")
    return found, files.size_of(found.file_key) if found.file_key else None


def catalogue(limit: int, next_token: str | None) -> Page[tuple[Firmware, int | None]]:
    """A page of images, each with its uploaded file's size (a HEAD each: catalogues are short)."""
    page = firmware.catalogue(limit, next_token)
    return Page([(i, files.size_of(i.file_key) if i.file_key else None) for i in page.items], page.next_token)


def remove(firmware_id: str, now: datetime) -> None:
    """Removed with its file, unless a station may still fetch it: 409 names the updates not
    finished (within their URL's longest life) and the rollouts not ended that point at it."""
    found, _ = image(firmware_id)
    users = [
        f"the update {r.request_id} of {r.charge_point_id} ({r.status or 'sent'})"
        for r in maintenance.firmware_requests_naming(firmware_id)
        if r.outcome is Outcome.PENDING
        and r.created_at is not None
        and now - r.created_at < timedelta(seconds=MAX_URL_LIFETIME_S)
    ]
    users += [
        f"the rollout {r.rollout_id} ({r.state.value})"
        for r in rollout_records.rollouts_of_firmware(firmware_id)
        if r.state in (RolloutState.RUNNING, RolloutState.PAUSED)
    ]
    if users:
        shown = ", ".join(users[:5]) + (f" and {len(users) - 5} more" if len(users) > 5 else "")
        raise Conflict(f"Firmware {firmware_id} is in use by {shown}; remove it once they end")
    if found.file_key:
        files.delete(found.file_key)
    firmware.delete_firmware(found)


def update(
    charge_point_id: str,
    asked: UpdateAsked,
    now: datetime,
    origin: Origin = Origin.OPERATOR,
    rollout_id: str | None = None,
) -> tuple[MaintenanceRequest, Command]:
    """UpdateFirmware (SignedUpdateFirmware for a signed image on 1.6) with the image's URL."""
    charge_point = commands.connected(charge_point_id)
    details: dict[str, Any] = {
        "retrieveAt": format_timestamp(asked.retrieve_at),
        "retries": asked.retries,
        "retryInterval": asked.retry_interval_s,
        "installAt": format_timestamp(asked.install_at) if asked.install_at else None,
        "firmwareVersionBefore": charge_point.firmware_version,
    }
    signing: tuple[str | None, str | None] = (None, None)
    if asked.firmware_id is not None:
        chosen, location = _image_location(charge_point, asked, now)
        details |= {
            "firmwareId": chosen.firmware_id,
            "version": chosen.version,
            "signed": chosen.signature is not None,
        }
        signing = (chosen.signing_certificate, chosen.signature)
    else:
        assert asked.location is not None
        location = asked.location
        details["location"] = location

    def build(profile: Profile, request_id: int) -> Intent:
        return firmware_management_codec(profile).update_firmware(
            FirmwareUpdate(
                request_id,
                location,
                asked.retrieve_at,
                asked.retries,
                asked.retry_interval_s,
                asked.install_at,
                *signing,
            )
        )

    return requests.ask(charge_point, Kind.FIRMWARE, build, details, now, origin, rollout_id)


def _image_location(charge_point: ChargePoint, asked: UpdateAsked, now: datetime) -> tuple[Firmware, str]:
    assert asked.firmware_id is not None
    chosen, size = image(asked.firmware_id)
    if not asked.force and not chosen.fits(charge_point.vendor, charge_point.model):
        raise Conflict(
            f"Firmware {chosen.firmware_id} is for {chosen.vendor} {chosen.model}; charge point "
            f"{charge_point.charge_point_id} is a {charge_point.vendor} {charge_point.model} "
            "(force sends it anyway)"
        )
    if chosen.external_location is not None:
        return chosen, chosen.external_location
    if size is None:
        raise Conflict(f"Firmware {chosen.firmware_id} has no file yet: upload it to its uploadUrl first")
    window = download_window_s(now, asked.retrieve_at, asked.retries, asked.retry_interval_s)
    if window > MAX_URL_LIFETIME_S:
        raise BadRequest(
            "A download URL is good for 7 days at most: retrieveAt and its retries must end sooner"
        )
    assert chosen.file_key is not None
    return chosen, files.download_url(chosen.file_key, window)


@dataclass(frozen=True)
class UpdateView:
    request: MaintenanceRequest
    # The version the charge point's first BootNotification after the update reported.
    firmware_version_after: str | None
    # Its latest boot, which decides an Installed update: known for its newest update only.
    boot: BootSeen | None = None


def updates_of(charge_point_id: str, limit: int, next_token: str | None) -> Page[UpdateView]:
    charge_point = charge_points.registered_charge_point(charge_point_id)
    page = maintenance.requests_of(charge_point_id, Kind.FIRMWARE, limit, next_token)
    newest = next(iter(page.items), None) if not next_token else None
    views = [_view(charge_point, r) if r is newest else UpdateView(r, None) for r in page.items]
    return Page(views, page.next_token)


def update_of(charge_point_id: str, request_id: int) -> UpdateView:
    charge_point = charge_points.registered_charge_point(charge_point_id)
    request = maintenance.find_request(charge_point_id, Kind.FIRMWARE, request_id)
    if request is None:
        raise NotFound(f"Firmware update {request_id} of {charge_point_id}")
    newest = maintenance.latest_request_id(charge_point_id, Kind.FIRMWARE) == request_id
    return _view(charge_point, request) if newest else UpdateView(request, None)


def _view(charge_point: ChargePoint, newest: MaintenanceRequest) -> UpdateView:
    return UpdateView(newest, _version_after(charge_point, newest), boot_of(charge_point))


def boot_of(charge_point: ChargePoint) -> BootSeen:
    return BootSeen(charge_point.last_boot_at, charge_point.firmware_version)


def _version_after(charge_point: ChargePoint, request: MaintenanceRequest) -> str | None:
    """A boot after the update asked counts only for the newest update: a later one would have
    changed the version again."""
    booted = charge_point.last_boot_at
    if request.created_at is None or booted is None or booted <= request.created_at:
        return None
    return charge_point.firmware_version


@answers.keeps("UpdateFirmware", "SignedUpdateFirmware")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """What the station said to a firmware update."""
    codec = firmware_management_codec(profile_for(command.ocpp_version))
    requests.answered(command, codec.firmware_answer(command, response), now)


@answers.ends("UpdateFirmware", "SignedUpdateFirmware")
def unanswered(command: Command, failure: Failure, now: datetime) -> None:
    codec = firmware_management_codec(profile_for(command.ocpp_version))
    requests.unanswered(command, codec.firmware_answer(command, {"status": failure.code}), failure, now)
