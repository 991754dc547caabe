"""DataTransfer: the messages charge points sent, and the vendors whose messages are accepted."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.common import EventPage
from functions.operator_api.models.data_transfer import VendorIn, VendorList, VendorOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.station_events import page_of_kind
from shared.domain.accounts import Permission
from shared.domain.station_events import EventKind, Vendor
from shared.domain.timestamps import utc_now
from shared.services import station_events

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /data-transfer/vendors/<vendor_id>": Permission.VENDORS,
    "GET /charge-points/<charge_point_id>/data-transfers": Permission.READ,
    "GET /data-transfer/vendors": Permission.READ,
    "GET /data-transfer/vendors/<vendor_id>": Permission.READ,
    "PUT /data-transfer/vendors/<vendor_id>": Permission.VENDORS,
}
VendorId = Annotated[str, Path(min_length=1, max_length=255, description="As DataTransfer's vendorId")]


@router.get(
    "/charge-points/<charge_point_id>/data-transfers",
    summary="DataTransfer messages the charge point sent, with the answer each got",
    tags=["Data transfer"],
)
def data_transfers(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.DATA_TRANSFER, limit, next_token)


# --- Vendors ------------------------------------------------------------------------------


def _vendor_out(vendor: Vendor) -> VendorOut:
    ids = sorted(vendor.message_ids) if vendor.message_ids is not None else None
    return VendorOut(
        vendor_id=vendor.vendor_id,
        message_ids=ids,
        description=vendor.description,
        created_at=vendor.created_at,
    )


@router.get(
    "/data-transfer/vendors",
    summary="Vendors whose DataTransfer messages are accepted",
    tags=["Data transfer"],
)
def list_vendors() -> VendorList:
    return VendorList(items=[_vendor_out(v) for v in station_events.all_vendors()])


@router.put(
    "/data-transfer/vendors/<vendor_id>",
    summary="Accept a vendor's DataTransfer messages (all, or these message ids)",
    tags=["Data transfer"],
)
def put_vendor(vendor_id: VendorId, body: Annotated[VendorIn, Body(embed=False)]) -> VendorOut:
    ids = frozenset(body.message_ids) if body.message_ids else None
    return _vendor_out(station_events.register_vendor(Vendor(vendor_id, ids, body.description, utc_now())))


@router.get("/data-transfer/vendors/<vendor_id>", summary="One vendor", tags=["Data transfer"])
def get_vendor(vendor_id: VendorId) -> VendorOut:
    return _vendor_out(station_events.vendor(vendor_id))


@router.delete(
    "/data-transfer/vendors/<vendor_id>",
    summary="Stop accepting a vendor's messages (they are then answered UnknownVendorId)",
    tags=["Data transfer"],
    responses={204: {"description": "Removed"}},
)
def delete_vendor(vendor_id: VendorId) -> Response[None]:
    station_events.remove_vendor(vendor_id)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))
