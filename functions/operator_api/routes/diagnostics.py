"""/charge-points/{id}/logs: diagnostics and security logs, uploaded to the CSMS itself."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.maintenance_models import LogIn, LogOut, LogPage, RequestOut, UploadOut
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import RESPONSES, command_out, json_response, with_examples
from shared.domain.maintenance import MaintenanceRequest
from shared.domain.timestamps import utc_now
from shared.services import commands, logs
from shared.services.logs import LogAsked

router = APIGatewayHttpRouter()
TAGS = ["Diagnostics"]
RequestId = Annotated[int, Path(ge=0, description="The log request's requestId")]


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
