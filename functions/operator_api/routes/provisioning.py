"""/charge-points: the registry of charge points, what they last reported, and resetting one."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.availability import ConnectorOut
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.configuration import ConfigurationReport
from functions.operator_api.models.provisioning import (
    ChargePointDetail,
    ChargePointIn,
    ChargePointPage,
    ChargePointSummary,
    ResetIn,
)
from functions.operator_api.params import ChargePointId, FleetPageSize, NextToken
from functions.operator_api.responses import Wait, intent_route, send_intent, with_examples
from shared.domain.accounts import Permission
from shared.domain.provisioning import UNCHANGED, ChargePoint
from shared.domain.timestamps import utc_now
from shared.protocol.provisioning import provisioning_codec
from shared.services import provisioning, soap_stations

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /charge-points/<charge_point_id>": Permission.REGISTRATION,
    "GET /charge-points": Permission.READ,
    "GET /charge-points/<charge_point_id>": Permission.READ,
    "POST /charge-points/<charge_point_id>/reset": Permission.RESETS,
    "PUT /charge-points/<charge_point_id>": Permission.REGISTRATION,
}


def _online(charge_point: ChargePoint) -> bool:
    """A WebSocket station while its connection is recorded; a SOAP (1.5) one, which holds
    none, while heard within its heartbeat interval and a minute."""
    if charge_point.soap_endpoint is not None:
        return soap_stations.online(charge_point, utc_now())
    return charge_point.connection_id is not None


def _summary(charge_point: ChargePoint, online: bool | None = None) -> dict[str, Any]:
    return {
        "id": charge_point.charge_point_id,
        "ocpp_version": charge_point.ocpp_version,
        "online": _online(charge_point) if online is None else online,
        "connected_at": charge_point.connected_at,
        "registered_at": charge_point.registered_at,
        "blocked": charge_point.blocked,
        "has_password": charge_point.password_hash is not None,
        "security_profile": charge_point.security_profile,
        "vendor": charge_point.vendor,
        "model": charge_point.model,
        "serial_number": charge_point.serial_number,
        "firmware_version": charge_point.firmware_version,
        "last_boot_at": charge_point.last_boot_at,
        "site_id": charge_point.site_id,
        "disconnected_at": charge_point.disconnected_at,
    }


@router.get("/charge-points", summary="List charge points", tags=["Charge points"])
def list_charge_points(
    limit: FleetPageSize = 50,
    next_token: NextToken = None,
) -> ChargePointPage:
    page = provisioning.list_charge_points(limit, next_token)
    return ChargePointPage(
        items=[ChargePointSummary(**_summary(cp)) for cp in page.items], next_token=page.next_token
    )


@router.get("/charge-points/<charge_point_id>", summary="One charge point, live", tags=["Charge points"])
def get_charge_point(charge_point_id: ChargePointId) -> ChargePointDetail:
    detail = provisioning.charge_point_detail(charge_point_id)
    charge_point = detail.charge_point
    return ChargePointDetail(
        **_summary(charge_point, detail.online),
        last_seen_at=detail.last_seen_at,
        boot_reason=charge_point.boot_reason,
        iccid=charge_point.iccid,
        imsi=charge_point.imsi,
        connectors=[
            ConnectorOut(**ConnectorOut.fields(c.status), active_transaction_id=c.active_transaction_id)
            for c in detail.connectors
        ],
        availability_result=charge_point.availability_result,
        reset_result=charge_point.reset_result,
        unlock_result=charge_point.unlock_result,
        local_list_version=charge_point.local_list_version,
        configuration_report=ConfigurationReport.of(charge_point.configuration_report),
    )


@router.put(
    "/charge-points/<charge_point_id>",
    summary="Register a charge point or update its registration",
    tags=["Charge points"],
    responses={200: {"description": "Updated"}, 201: {"description": "Registered"}},
)
def put_charge_point(
    charge_point_id: ChargePointId, body: Annotated[ChargePointIn, Body(embed=False)]
) -> Response[ChargePointSummary]:
    given = body.model_fields_set
    charge_point, created = provisioning.register(
        charge_point_id,
        utc_now(),
        password=body.password if "password" in given else UNCHANGED,
        blocked=body.blocked if "blocked" in given else None,
        site_id=body.site_id if "site_id" in given else UNCHANGED,
        security_profile=body.security_profile,
    )
    return Response(
        status_code=int(HTTPStatus.CREATED if created else HTTPStatus.OK),
        content_type=content_types.APPLICATION_JSON,
        body=ChargePointSummary(**_summary(charge_point)),
    )


@router.delete(
    "/charge-points/<charge_point_id>",
    summary="Deregister a charge point and close its connection",
    tags=["Charge points"],
    responses={204: {"description": "Deregistered"}},
)
def delete_charge_point(charge_point_id: ChargePointId) -> Response[None]:
    provisioning.deregister(charge_point_id)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@intent_route(router, "reset", "Reset: Soft/Hard (1.6), OnIdle/Immediate (2.x)")
def reset(
    charge_point_id: ChargePointId,
    body: Annotated[
        ResetIn,
        with_examples(
            ("Soft or OnIdle", {"hard": False}),
            ("Hard or Immediate", {"hard": True}),
            ("2.x: one EVSE", {"hard": False, "evseId": 2}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id, lambda profile: provisioning_codec(profile).reset(body.hard, body.evse_id), wait
    )
