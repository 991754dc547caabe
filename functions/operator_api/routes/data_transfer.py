"""What charge points report of themselves (security events, device model events, monitoring
reports, customer information, vendor data), the vendors whose data is accepted, and the
variable monitors (2.x) that raise device model events."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.maintenance_models import (
    EventPage,
    MonitorIdsIn,
    MonitoringBaseIn,
    MonitoringReportIn,
    MonitorsIn,
    VendorIn,
    VendorList,
    VendorOut,
)
from functions.operator_api.models import CommandOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import Wait, intent_route, send_intent
from shared.domain.station_events import EventKind, Monitor, Vendor
from shared.domain.timestamps import format_timestamp, utc_now
from shared.services import station_events

router = APIGatewayHttpRouter()
VendorId = Annotated[str, Path(min_length=1, max_length=255, description="As DataTransfer's vendorId")]
DeviceKind = Literal[
    "device", "monitoring-report", "customer-information", "firmware-publish", "ev-charging-schedule"
]


def page_of_kind(charge_point_id: str, kind: EventKind, limit: int, next_token: str | None) -> EventPage:
    page = station_events.events_of(charge_point_id, kind, limit, next_token)
    items: list[dict[str, Any]] = [{**body, "receivedAt": format_timestamp(at)} for body, at in page.items]
    return EventPage(items=items, next_token=page.next_token)


@router.get(
    "/charge-points/<charge_point_id>/security-events",
    summary="Security events, newest first (kept a year); critical types are flagged",
    tags=["Security"],
)
def security_events(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.SECURITY, limit, next_token)


@router.get(
    "/charge-points/<charge_point_id>/events",
    summary="Device model events (2.x NotifyEvent) and reports, newest first, part by part",
    tags=["Diagnostics"],
)
def device_events(
    charge_point_id: ChargePointId,
    kind: Annotated[DeviceKind, Query(description="NotifyEvent (device) or a kind of report")] = "device",
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind(kind), limit, next_token)


@router.get(
    "/charge-points/<charge_point_id>/data-transfers",
    summary="DataTransfer messages the charge point sent, with the answer each got",
    tags=["Data transfer"],
)
def data_transfers(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.DATA_TRANSFER, limit, next_token)


@router.get(
    "/charge-points/<charge_point_id>/settlements",
    summary="2.1: payments its terminal settled (NotifySettlement), newest first",
    tags=["Tariffs and cost"],
)
def settlements(
    charge_point_id: ChargePointId, limit: PageSize = 50, next_token: NextToken = None
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind.SETTLEMENT, limit, next_token)


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


# --- Variable monitoring (2.x) ----------------------------------------------------------


@intent_route(router, "monitors", "Set variable monitors (SetVariableMonitoring, 2.x)", ["Diagnostics"])
def set_monitors(
    charge_point_id: ChargePointId, body: Annotated[MonitorsIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    monitors = [
        Monitor(m.key, m.type, m.value, m.severity, m.evse_id, m.transaction, m.id) for m in body.monitors
    ]
    return send_intent(charge_point_id, lambda adapter: adapter.set_monitoring(monitors), wait)


@intent_route(
    router, "monitors/clear", "Clear variable monitors (ClearVariableMonitoring, 2.x)", ["Diagnostics"]
)
def clear_monitors(
    charge_point_id: ChargePointId, body: Annotated[MonitorIdsIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    return send_intent(charge_point_id, lambda adapter: adapter.clear_monitoring(body.ids), wait)


@intent_route(
    router, "monitoring-base", "Choose the monitoring base (SetMonitoringBase, 2.x)", ["Diagnostics"]
)
def monitoring_base(
    charge_point_id: ChargePointId, body: Annotated[MonitoringBaseIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    return send_intent(charge_point_id, lambda adapter: adapter.monitoring_base(body.base), wait)


@intent_route(
    router,
    "monitoring-report",
    "Ask for the monitors set (GetMonitoringReport, 2.x): its parts come as monitoring-report events",
    ["Diagnostics"],
)
def monitoring_report(
    charge_point_id: ChargePointId, body: Annotated[MonitoringReportIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    request_id = int(utc_now().timestamp() * 1000) % 2**31
    criteria: list[str] = list(body.criteria)
    return send_intent(charge_point_id, lambda adapter: adapter.monitoring_report(request_id, criteria), wait)
