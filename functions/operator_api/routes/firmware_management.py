"""/firmware and /charge-points/{id}/firmware-updates: the image catalogue, and updating a
charge point to an image of it (or to any URL); /firmware-rollouts: one image to many charge
points, in waves, pausing itself on failures."""

from __future__ import annotations

from collections import Counter
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.common import RequestOut
from functions.operator_api.models.firmware_management import (
    FirmwareIn,
    FirmwareOut,
    FirmwarePage,
    FirmwareUpdateIn,
    FirmwareUpdateOut,
    FirmwareUpdatePage,
    RolloutIn,
    RolloutMemberOut,
    RolloutOut,
    RolloutPage,
    RolloutSummaryOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, command_out, json_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.maintenance import Firmware
from shared.domain.rollouts import Member, Rollout, RolloutState, failure_rate
from shared.domain.timestamps import utc_now
from shared.services import commands
from shared.services.firmware_management import firmware, rollouts
from shared.services.firmware_management.firmware import UpdateAsked, UpdateView
from shared.services.firmware_management.rollouts import RolloutAsked

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /firmware/<firmware_id>": Permission.FIRMWARE,
    "GET /charge-points/<charge_point_id>/firmware-updates": Permission.READ,
    "GET /charge-points/<charge_point_id>/firmware-updates/<request_id>": Permission.READ,
    "GET /firmware": Permission.READ,
    "GET /firmware-rollouts": Permission.READ,
    "GET /firmware-rollouts/<rollout_id>": Permission.READ,
    "GET /firmware/<firmware_id>": Permission.READ,
    "POST /charge-points/<charge_point_id>/firmware-updates": Permission.FIRMWARE,
    "POST /firmware": Permission.FIRMWARE,
    "POST /firmware-rollouts": Permission.FIRMWARE,
    "POST /firmware-rollouts/<rollout_id>/cancel": Permission.FIRMWARE,
    "POST /firmware-rollouts/<rollout_id>/pause": Permission.FIRMWARE,
    "POST /firmware-rollouts/<rollout_id>/resume": Permission.FIRMWARE,
}
TAGS = ["Firmware"]
FirmwareId = Annotated[str, Path(min_length=1, max_length=64)]
RequestId = Annotated[int, Path(ge=0, description="The update's requestId")]
RolloutId = Annotated[str, Path(min_length=1, max_length=64)]


def _image_out(image: Firmware, uploaded_size: int | None, upload_url: str | None = None) -> FirmwareOut:
    external = image.external_location is not None
    return FirmwareOut(
        firmware_id=image.firmware_id,
        vendor=image.vendor,
        model=image.model,
        version=image.version,
        description=image.description,
        location=image.external_location,
        sha256=image.sha256,
        size=uploaded_size if uploaded_size is not None else image.size,
        signed=image.signature is not None,
        uploaded=external or uploaded_size is not None,
        created_at=image.created_at,
        upload_url=upload_url,
    )


@router.post(
    "/firmware",
    summary="Register a firmware image: upload its file to the uploadUrl, or give its location",
    tags=TAGS,
    responses={
        201: {"description": "Registered"},
        409: {"description": "An image of this vendor, model and version is in the catalogue already"},
        422: {"description": "signingCertificate is not PEM X.509, or signature not base64"},
    },
)
def register_firmware(
    body: Annotated[
        FirmwareIn,
        with_examples(
            ("A file the CSMS keeps", {"vendor": "Acme", "model": "AC22", "version": "2.4.1"}),
            (
                "An image kept elsewhere",
                {
                    "vendor": "Acme",
                    "model": "AC22",
                    "version": "2.4.1",
                    "location": "https://fw.acme.example/ac22.bin",
                },
            ),
        ),
    ],
) -> Response[FirmwareOut]:
    image, upload_url = firmware.register(
        Firmware(
            firmware_id=firmware.new_id(),
            vendor=body.vendor,
            model=body.model,
            version=body.version,
            created_at=utc_now(),
            description=body.description,
            external_location=body.location,
            sha256=body.sha256,
            size=body.size,
            signing_certificate=body.signing_certificate,
            signature=body.signature,
        )
    )
    return json_response(
        HTTPStatus.CREATED,
        _image_out(image, None, upload_url),
    )


@router.get("/firmware", summary="The firmware catalogue, newest first", tags=TAGS)
def list_firmware(limit: PageSize = 50, next_token: NextToken = None) -> FirmwarePage:
    page = firmware.catalogue(limit, next_token)
    return FirmwarePage(
        items=[_image_out(image, size) for image, size in page.items], next_token=page.next_token
    )


@router.get("/firmware/<firmware_id>", summary="One image, and whether its file was uploaded", tags=TAGS)
def get_firmware(firmware_id: FirmwareId) -> FirmwareOut:
    return _image_out(*firmware.image(firmware_id))


@router.delete(
    "/firmware/<firmware_id>",
    summary="Remove an image and its file",
    tags=TAGS,
    responses={
        204: {"description": "Removed"},
        409: {"description": "An update not finished, or a rollout not ended, points at it (named)"},
    },
)
def delete_firmware(firmware_id: FirmwareId) -> Response[None]:
    firmware.remove(firmware_id, utc_now())
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


def update_out(view: UpdateView) -> FirmwareUpdateOut:
    request = view.request
    return FirmwareUpdateOut(
        **RequestOut.fields(request, view.boot),
        details=request.details,
        rollout_id=request.rollout_id,
        firmware_version_after=view.firmware_version_after,
    )


@router.post(
    "/charge-points/<charge_point_id>/firmware-updates",
    summary="Update a charge point's firmware (UpdateFirmware / SignedUpdateFirmware)",
    tags=TAGS,
    responses={**RESPONSES, 409: {"description": "Not connected, or an image of another model (see force)"}},
)
def update_firmware(
    charge_point_id: ChargePointId,
    body: Annotated[
        FirmwareUpdateIn,
        with_examples(
            ("An image of the catalogue", {"firmwareId": "3f1c0d9e-...", "retries": 3, "retryInterval": 120}),
            (
                "Any URL",
                {"location": "https://fw.example/ac22-2.4.1.bin", "retrieveAt": "2026-12-03T02:00:00Z"},
            ),
        ),
    ],
) -> Response[FirmwareUpdateOut]:
    now = utc_now()
    asked = UpdateAsked(
        body.firmware_id,
        body.location,
        body.retrieve_at or now,
        body.retries,
        body.retry_interval,
        body.install_at,
        body.force,
    )
    request, command = firmware.update(charge_point_id, asked, now)
    out = update_out(UpdateView(request, None))
    out.command = command_out(commands.view(command))
    return json_response(HTTPStatus.ACCEPTED, out)


@router.get(
    "/charge-points/<charge_point_id>/firmware-updates",
    summary="A charge point's firmware updates, newest first, with every status it reported",
    tags=TAGS,
)
def list_updates(
    charge_point_id: ChargePointId, limit: PageSize = 20, next_token: NextToken = None
) -> FirmwareUpdatePage:
    page = firmware.updates_of(charge_point_id, limit, next_token)
    return FirmwareUpdatePage(items=[update_out(view) for view in page.items], next_token=page.next_token)


@router.get(
    "/charge-points/<charge_point_id>/firmware-updates/<request_id>", summary="One firmware update", tags=TAGS
)
def get_update(charge_point_id: ChargePointId, request_id: RequestId) -> FirmwareUpdateOut:
    return update_out(firmware.update_of(charge_point_id, request_id))


# --- Rollouts ------------------------------------------------------------------------------


def _rollout_out(rollout: Rollout, members: list[Member]) -> RolloutOut:
    return RolloutOut(
        rollout_id=rollout.rollout_id,
        firmware_id=rollout.firmware_id,
        state=rollout.state.value,
        reason=rollout.reason,
        wave_size=rollout.wave_size,
        max_failure_rate=rollout.max_failure_rate,
        waves_sent=rollout.waves_sent,
        failure_rate=round(failure_rate(members), 4),
        counts=dict(Counter(m.outcome.value for m in members)),
        created_at=rollout.created_at,
        updated_at=rollout.updated_at,
        members=[
            RolloutMemberOut(
                charge_point_id=m.charge_point_id,
                outcome=m.outcome.value,
                wave=m.wave,
                request_id=m.request_id,
                sent_at=m.sent_at,
                error=m.error,
            )
            for m in members
        ],
    )


@router.post(
    "/firmware-rollouts",
    summary="Update many charge points in waves (the first goes at once, the next when it finished)",
    tags=TAGS,
    responses={201: {"description": "Started"}},
)
def create_rollout(
    body: Annotated[
        RolloutIn,
        with_examples(
            (
                "Every AC22, ten at a time",
                {"firmwareId": "3f1c0d9e-...", "waveSize": 10, "maxFailureRate": 0.1},
            ),
            (
                "These three",
                {"firmwareId": "3f1c0d9e-...", "chargePoints": ["CP1", "CP2", "CP3"], "waveSize": 1},
            ),
        ),
    ],
) -> Response[RolloutOut]:
    asked = RolloutAsked(
        body.firmware_id,
        body.charge_points,
        body.model,
        body.wave_size,
        body.max_failure_rate,
        body.retries,
        body.retry_interval,
        body.force,
    )
    rollout, members = rollouts.create(asked, utc_now())
    return json_response(
        HTTPStatus.CREATED,
        _rollout_out(rollout, members),
    )


@router.get("/firmware-rollouts", summary="Rollouts, newest first", tags=TAGS)
def list_rollouts(
    limit: PageSize = 50,
    next_token: NextToken = None,
    state: Annotated[RolloutState | None, Query(description="Only those in this state")] = None,
) -> RolloutPage:
    page = rollouts.listing(state, limit, next_token)
    return RolloutPage(
        items=[
            RolloutSummaryOut(
                rollout_id=r.rollout_id,
                firmware_id=r.firmware_id,
                state=r.state.value,
                reason=r.reason,
                wave_size=r.wave_size,
                max_failure_rate=r.max_failure_rate,
                waves_sent=r.waves_sent,
                created_at=r.created_at,
                updated_at=r.updated_at,
            )
            for r in page.items
        ],
        next_token=page.next_token,
    )


@router.get(
    "/firmware-rollouts/<rollout_id>", summary="A rollout's progress, charge point by charge point", tags=TAGS
)
def get_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _rollout_out(*rollouts.view(rollout_id, utc_now()))


@router.post("/firmware-rollouts/<rollout_id>/pause", summary="Pause: no further wave", tags=TAGS)
def pause_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _rollout_out(*rollouts.change_state(rollout_id, RolloutState.PAUSED, utc_now()))


@router.post("/firmware-rollouts/<rollout_id>/resume", summary="Resume a paused rollout", tags=TAGS)
def resume_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _rollout_out(*rollouts.change_state(rollout_id, RolloutState.RUNNING, utc_now()))


@router.post("/firmware-rollouts/<rollout_id>/cancel", summary="Cancel: no further wave, ever", tags=TAGS)
def cancel_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _rollout_out(*rollouts.change_state(rollout_id, RolloutState.CANCELLED, utc_now()))
