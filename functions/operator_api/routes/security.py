"""A charge point's security: the HTTP Basic password it connects with, the security profile
it must connect at, and the security events it reports; and the fleet's critical ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import EventPage
from functions.operator_api.models.security import PasswordIn, SecurityProfileIn
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import (
    Wait,
    command_out,
    command_response,
    intent_route,
    json_response,
    with_examples,
)
from functions.operator_api.station_events import critical_page, page_of_kind
from shared.domain.accounts import Permission
from shared.domain.errors import BadRequest
from shared.domain.provisioning import NetworkSlot
from shared.domain.station_events import RETENTION_DAYS, EventKind
from shared.domain.timestamps import utc_now
from shared.services import commands
from shared.services.security import passwords, security_profiles

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /charge-points/<charge_point_id>/security-events": Permission.READ,
    "GET /security-events": Permission.READ,
    "POST /charge-points/<charge_point_id>/password": Permission.PASSWORDS,
    "POST /charge-points/<charge_point_id>/security-profile": Permission.CERTIFICATES,
}


@intent_route(router, "password", "Rotate the HTTP Basic password (security profiles 1 and 2)")
def rotate_password(
    charge_point_id: ChargePointId,
    body: Annotated[
        PasswordIn,
        with_examples(
            ("A strong one, made by the CSMS", {}), ("Your own", {"password": "my-own-16-chars-at-least"})
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    """Set on the charge point first (ChangeConfiguration AuthorizationKey in 1.6, SetVariables
    SecurityCtrlr.BasicAuthPassword in 2.x); stored, hashed, only once it is accepted. The old
    one stays good for CSMS_PASSWORD_GRACE. The password is never shown, in this answer or after."""
    return command_response(passwords.rotate(charge_point_id, body.password, utc_now()), wait)


@intent_route(router, "security-profile", "Raise the security profile a charge point connects with")
def raise_security_profile(
    charge_point_id: ChargePointId,
    body: Annotated[
        SecurityProfileIn,
        with_examples(
            ("1.6: the SecurityProfile key", {"securityProfile": 3}),
            (
                "2.x: a network connection profile",
                {"securityProfile": 2, "configurationSlot": 2, "csmsUrl": "wss://ocpp.example.com/ocpp/"},
            ),
        ),
    ],
) -> Response[list[CommandOut]]:
    """1.6: ChangeConfiguration SecurityProfile. 2.x: SetNetworkProfile into the slot, that slot
    first in NetworkConfigurationPriority, then Reset OnIdle. The registration holds the station
    to the new profile once it accepts the move (the key, or the priority); lower it with PUT."""
    network = None
    if body.configuration_slot is not None or body.csms_url is not None:
        if body.configuration_slot is None or body.csms_url is None:
            raise BadRequest("configurationSlot and csmsUrl go together")
        network = NetworkSlot(
            body.configuration_slot, body.csms_url, body.ocpp_interface, body.message_timeout
        )
    sent = security_profiles.raise_profile(charge_point_id, body.security_profile, network, utc_now())
    return json_response(HTTPStatus.ACCEPTED, [command_out(commands.view(c)) for c in sent])


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
    "/security-events",
    summary="Every charge point's critical security events, newest first (the fleet's alerts)",
    tags=["Security"],
)
def fleet_security_events(
    critical: Annotated[
        bool, Query(description="The critical ones (the default; only those are listed across the fleet)")
    ] = True,
    since: Annotated[
        datetime | None, Query(alias="from", description="Happened at or after (default: 24 hours ago)")
    ] = None,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> EventPage:
    if not critical:
        raise BadRequest(
            "Only critical events are listed across the fleet: critical=true; a charge point's "
            "every event is GET /charge-points/{id}/security-events"
        )
    now = utc_now()
    if since is not None and since.tzinfo is None:
        raise BadRequest("from: needs a time zone, e.g. 2026-12-07T10:00:00Z")
    start = now - timedelta(hours=24) if since is None else since
    if start < now - timedelta(days=RETENTION_DAYS):
        raise BadRequest(f"from: events are kept {RETENTION_DAYS} days")
    return critical_page(start, limit, next_token)
