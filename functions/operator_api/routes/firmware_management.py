"""/firmware and /charge-points/{id}/firmware-updates: the image catalogue, and updating a
charge point to an image of it (or to any URL)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.maintenance_models import (
    FirmwareIn,
    FirmwareOut,
    FirmwarePage,
    FirmwareUpdateIn,
    FirmwareUpdateOut,
    FirmwareUpdatePage,
    RequestOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, command_out, json_response, with_examples
from shared.domain.maintenance import Firmware
from shared.domain.timestamps import utc_now
from shared.services import commands, firmware
from shared.services.firmware import UpdateAsked, UpdateView

router = APIGatewayHttpRouter()
TAGS = ["Firmware"]
FirmwareId = Annotated[str, Path(min_length=1, max_length=64)]
RequestId = Annotated[int, Path(ge=0, description="The update's requestId")]


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
    responses={201: {"description": "Registered"}},
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
    responses={204: {"description": "Removed"}},
)
def delete_firmware(firmware_id: FirmwareId) -> Response[None]:
    firmware.remove(firmware_id)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


def update_out(view: UpdateView) -> FirmwareUpdateOut:
    request = view.request
    return FirmwareUpdateOut(
        **RequestOut.fields(request),
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
