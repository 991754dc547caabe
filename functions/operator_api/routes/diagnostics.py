"""/charge-points/{id}/logs: diagnostics and security logs, uploaded to the CSMS itself; the
device model events and reports charge points send (2.x), and the variable monitors that raise
those events."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import EventPage, RequestOut
from functions.operator_api.models.diagnostics import (
    LogIn,
    LogOut,
    LogPage,
    MonitorIdsIn,
    MonitoringBaseIn,
    MonitoringReportIn,
    MonitorsIn,
    UploadOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import (
    RESPONSES,
    Wait,
    command_out,
    intent_route,
    json_response,
    send_intent,
    with_examples,
)
from functions.operator_api.station_events import page_of_kind
from shared.domain.accounts import Permission
from shared.domain.maintenance import MaintenanceRequest
from shared.domain.station_events import EventKind, Monitor
from shared.domain.timestamps import utc_now
from shared.protocol.diagnostics import diagnostics_codec
from shared.services import commands
from shared.services.diagnostics import logs
from shared.services.diagnostics.logs import LogAsked

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /charge-points/<charge_point_id>/events": Permission.READ,
    "GET /charge-points/<charge_point_id>/logs": Permission.READ,
    "GET /charge-points/<charge_point_id>/logs/<request_id>": Permission.READ,
    "POST /charge-points/<charge_point_id>/logs": Permission.LOGS,
    "POST /charge-points/<charge_point_id>/monitoring-base": Permission.CONFIGURATION,
    "POST /charge-points/<charge_point_id>/monitoring-report": Permission.LOGS,
    "POST /charge-points/<charge_point_id>/monitors": Permission.CONFIGURATION,
    "POST /charge-points/<charge_point_id>/monitors/clear": Permission.CONFIGURATION,
}
TAGS = ["Diagnostics"]
RequestId = Annotated[int, Path(ge=0, description="The log request's requestId")]
DeviceKind = Literal[
    "device",
    "monitoring-report",
    "customer-information",
    "firmware-publish",
    "ev-charging-schedule",
    "event-stream",  # 2.1: periodic event streams opened and closed
    "stream-data",  # 2.1: their values, a message each
]


def log_out(request: MaintenanceRequest, download_url: str | None = None) -> LogOut:
    upload = request.upload
    return LogOut(
        **RequestOut.fields(request),
        details=request.details,
        upload=UploadOut(file_name=upload.file_name, size=upload.size, at=upload.at, via=upload.via)
        if upload
        else None,
        download_url=download_url,
    )


@router.post(
    "/charge-points/<charge_point_id>/logs",
    summary="Ask for a diagnostics or security log (GetDiagnostics / GetLog), uploaded to the CSMS",
    tags=TAGS,
    responses=RESPONSES,
)
def request_log(
    charge_point_id: ChargePointId,
    body: Annotated[
        LogIn,
        with_examples(
            ("Diagnostics of the last day", {"type": "Diagnostics", "from": "2026-12-01T00:00:00Z"}),
            ("The security log, over FTP", {"type": "SecurityLog", "via": "ftp"}),
        ),
    ],
) -> Response[LogOut]:
    router_event = router.current_event
    base = f"https://{router_event.request_context.domain_name}"
    asked = LogAsked(body.type, body.oldest, body.latest, body.retries, body.retry_interval, body.via)
    request, command = logs.request_log(charge_point_id, asked, base, utc_now())
    out = log_out(request)
    out.command = command_out(commands.view(command))
    return json_response(HTTPStatus.ACCEPTED, out)


@router.get("/charge-points/<charge_point_id>/logs", summary="Log requests, newest first", tags=TAGS)
def list_logs(charge_point_id: ChargePointId, limit: PageSize = 20, next_token: NextToken = None) -> LogPage:
    page = logs.logs_of(charge_point_id, limit, next_token)
    return LogPage(items=[log_out(request) for request in page.items], next_token=page.next_token)


@router.get(
    "/charge-points/<charge_point_id>/logs/<request_id>",
    summary="One log request, with a link to its file once uploaded",
    tags=TAGS,
)
def get_log(charge_point_id: ChargePointId, request_id: RequestId) -> LogOut:
    return log_out(*logs.log_of(charge_point_id, request_id))


# --- Device model events (2.x) ------------------------------------------------------------


@router.get(
    "/charge-points/<charge_point_id>/events",
    summary="Device model events (2.x NotifyEvent) and reports, newest first, part by part",
    tags=TAGS,
)
def device_events(
    charge_point_id: ChargePointId,
    kind: Annotated[
        DeviceKind, Query(description="NotifyEvent (device), a kind of report, or 2.1's event streams")
    ] = "device",
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> EventPage:
    return page_of_kind(charge_point_id, EventKind(kind), limit, next_token)


# --- Variable monitoring (2.x) ----------------------------------------------------------


@intent_route(router, "monitors", "Set variable monitors (SetVariableMonitoring, 2.x)", TAGS)
def set_monitors(
    charge_point_id: ChargePointId, body: Annotated[MonitorsIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    monitors = [
        Monitor(m.key, m.type, m.value, m.severity, m.evse_id, m.transaction, m.id) for m in body.monitors
    ]
    return send_intent(
        charge_point_id, lambda profile: diagnostics_codec(profile).set_monitoring(monitors), wait
    )


@intent_route(router, "monitors/clear", "Clear variable monitors (ClearVariableMonitoring, 2.x)", TAGS)
def clear_monitors(
    charge_point_id: ChargePointId, body: Annotated[MonitorIdsIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id, lambda profile: diagnostics_codec(profile).clear_monitoring(body.ids), wait
    )


@intent_route(router, "monitoring-base", "Choose the monitoring base (SetMonitoringBase, 2.x)", TAGS)
def monitoring_base(
    charge_point_id: ChargePointId, body: Annotated[MonitoringBaseIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id, lambda profile: diagnostics_codec(profile).monitoring_base(body.base), wait
    )


@intent_route(
    router,
    "monitoring-report",
    "Ask for the monitors set (GetMonitoringReport, 2.x): its parts come as monitoring-report events",
    TAGS,
)
def monitoring_report(
    charge_point_id: ChargePointId, body: Annotated[MonitoringReportIn, Body(embed=False)], wait: Wait = None
) -> Response[CommandOut]:
    request_id = int(utc_now().timestamp() * 1000) % 2**31
    criteria: list[str] = list(body.criteria)
    return send_intent(
        charge_point_id,
        lambda profile: diagnostics_codec(profile).get_monitoring_report(request_id, criteria),
        wait,
    )
