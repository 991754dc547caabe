"""/charge-points/{id}/local-list and /local-lists: the id-token list, sent to charge points as
their local authorization lists, whole or as the changes since what each accepted last."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.authorization import IdTokenOut
from functions.operator_api.models.local_lists import (
    LocalListIn,
    LocalListOut,
    LocalListsIn,
    LocalListsOut,
    LocalListSync,
)
from functions.operator_api.params import ChargePointId
from functions.operator_api.responses import RESPONSES, command_out, json_response
from shared.domain.accounts import Permission
from shared.domain.local_lists import UpdateType
from shared.domain.provisioning import FleetFilter
from shared.domain.timestamps import utc_now
from shared.services import commands, local_lists
from shared.services.local_lists import FleetSync, Sync

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "GET /charge-points/<charge_point_id>/local-list": Permission.READ,
    "POST /charge-points/<charge_point_id>/local-list": Permission.LOCAL_LISTS,
    "POST /local-lists": Permission.LOCAL_LISTS,
}
TAGS = ["Authorization"]


def _sync_out(sync: Sync) -> LocalListSync:
    versions = [c.payload.get("listVersion", c.payload.get("versionNumber")) for c in sync.commands]
    return LocalListSync(
        charge_point_id=sync.charge_point_id,
        mode=sync.update_type.value.lower(),
        from_version=sync.from_version,
        to_version=versions[-1] if versions else None,
        commands=[command_out(commands.view(c)) for c in sync.commands],
    )


def _fleet_sync_out(result: FleetSync, mode: str) -> LocalListSync:
    if result.sync is not None:
        return _sync_out(result.sync)
    return LocalListSync(
        charge_point_id=result.charge_point_id,
        mode=mode,
        from_version=0,
        to_version=None,
        commands=[],
        error=result.error,
    )


@router.post(
    "/charge-points/<charge_point_id>/local-list",
    summary="Send the id-token list as the charge point's local list (SendLocalList), in parts that fit it",
    tags=TAGS,
    responses=RESPONSES,
)
def send_local_list(
    charge_point_id: ChargePointId, body: Annotated[LocalListIn, Body(embed=False)]
) -> Response[LocalListSync]:
    sync = local_lists.sync(charge_point_id, UpdateType(body.mode.capitalize()), utc_now())
    return json_response(HTTPStatus.ACCEPTED, _sync_out(sync))


@router.post(
    "/local-lists",
    summary="Send local lists to many charge points; each is told apart (sent, or why not)",
    tags=TAGS,
)
def send_local_lists(body: Annotated[LocalListsIn, Body(embed=False)]) -> Response[LocalListsOut]:
    targets = FleetFilter(**body.filter.model_dump()) if body.filter is not None else body.charge_points or []
    synced = local_lists.sync_fleet(targets, UpdateType(body.mode.capitalize()), utc_now())
    return json_response(
        HTTPStatus.ACCEPTED, LocalListsOut(items=[_fleet_sync_out(result, body.mode) for result in synced])
    )


@router.get(
    "/charge-points/<charge_point_id>/local-list",
    summary="The local list a charge point holds, and whether it is in step with the id-token list",
    tags=TAGS,
)
def get_local_list(charge_point_id: ChargePointId) -> LocalListOut:
    version, entries, pending = local_lists.held(charge_point_id)
    return LocalListOut(
        charge_point_id=charge_point_id,
        version=version,
        entries=[IdTokenOut.of(e) for e in sorted(entries.values(), key=lambda e: e.id_token)],
        pending_changes=pending,
    )
