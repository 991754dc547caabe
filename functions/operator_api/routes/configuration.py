"""Configuration: what a charge point's answers and reports told of its settings, and reading
or changing them."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.configuration import (
    Configuration,
    ConfigurationChangeIn,
    ConfigurationItem,
    ConfigurationReadIn,
    ConfigurationReport,
)
from functions.operator_api.params import ChargePointId, FleetPageSize, NextToken
from functions.operator_api.responses import Wait, intent_route, send_intent, with_examples
from shared.domain.accounts import Permission
from shared.protocol.configuration import configuration_codec
from shared.services import configuration

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /charge-points/<charge_point_id>/configuration": Permission.READ,
    "POST /charge-points/<charge_point_id>/configuration/change": Permission.CONFIGURATION,
    "POST /charge-points/<charge_point_id>/configuration/read": Permission.CONFIGURATION,
}


@router.get(
    "/charge-points/<charge_point_id>/configuration",
    summary="Its known configuration",
    description="What GetConfiguration, GetVariables, NotifyReport and accepted changes told, in "
    "key order, a page at a time (a station chooses how many settings it reports).",
    tags=["Configuration"],
)
def get_configuration(
    charge_point_id: ChargePointId, limit: FleetPageSize = 1000, next_token: NextToken = None
) -> Configuration:
    page = configuration.configuration_page(charge_point_id, limit, next_token)
    return Configuration(
        items=[
            ConfigurationItem(key=v.key, value=v.value, readonly=v.readonly, updated_at=v.updated_at)
            for v in page.items
        ],
        next_token=page.next_token,
        report=ConfigurationReport.of(configuration.report_of(charge_point_id)),
    )


@intent_route(
    router,
    "configuration/read",
    "Read its configuration (GetConfiguration / GetVariables or GetBaseReport)",
    ["Configuration"],
)
def read_configuration(
    charge_point_id: ChargePointId,
    body: Annotated[
        ConfigurationReadIn | None,
        with_examples(
            ("Everything (2.x: a full base report)", {}),
            ("1.6: two keys", {"keys": ["HeartbeatInterval", "MeterValueSampleInterval"]}),
            ("2.x: Component/Variable keys", {"keys": ["OCPPCommCtrlr/HeartbeatInterval"]}),
        ),
    ] = None,
    wait: Wait = None,
) -> Response[CommandOut]:
    keys = body.keys if body else []
    return send_intent(
        charge_point_id, lambda profile: configuration_codec(profile).read_configuration(keys), wait
    )


@intent_route(
    router,
    "configuration/change",
    "Change one setting (ChangeConfiguration / SetVariables)",
    ["Configuration"],
)
def change_configuration(
    charge_point_id: ChargePointId,
    body: Annotated[
        ConfigurationChangeIn,
        with_examples(
            ("1.6: a key", {"key": "HeartbeatInterval", "value": "300"}),
            ("2.x: Component/Variable", {"key": "OCPPCommCtrlr/HeartbeatInterval", "value": "300"}),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    return send_intent(
        charge_point_id,
        lambda profile: configuration_codec(profile).change_configuration(body.key, body.value),
        wait,
    )
