"""/charge-points/{id}/local-list and /local-lists: the id-token list, sent to charge points as
their local authorization lists, whole or as the changes since what each accepted last."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from pydantic import Field, model_validator

from functions.operator_api.models import ApiModel, CommandOut, IdTokenOut
from functions.operator_api.params import ChargePointId
from functions.operator_api.responses import RESPONSES, command_out, json_response
from shared.domain.errors import ApplicationError
from shared.domain.local_lists import UpdateType
from shared.domain.provisioning import FleetFilter
from shared.domain.timestamps import utc_now
from shared.services import commands, local_lists, provisioning
from shared.services.local_lists import Sync

router = APIGatewayHttpRouter()
TAGS = ["Authorization"]
Mode = Literal["full", "differential"]


class LocalListIn(ApiModel):
    mode: Mode = Field(
        "differential", description="The whole list, or what changed since the version it holds"
    )


class FleetFilterIn(ApiModel):
    """Charge points to reach: every field given must match."""

    site_id: str | None = None
    vendor: str | None = None
    model: str | None = None
    ocpp_version: Literal["1.6", "2.0.1", "2.1"] | None = None
    connected: bool | None = Field(None, description="true: only those online now")


class LocalListsIn(LocalListIn):
    charge_points: list[str] | None = Field(None, min_length=1, max_length=1000, description="These; or")
    filter: FleetFilterIn | None = Field(None, description="every charge point it matches")

    @model_validator(mode="after")
    def one_target(self) -> LocalListsIn:
        if (self.charge_points is None) == (self.filter is None):
            raise ValueError("give chargePoints or filter, not both")
        return self


class LocalListSync(ApiModel):
    charge_point_id: str
    mode: str
    from_version: int
    to_version: int | None = Field(description="After every part is accepted; null when nothing was sent")
    commands: list[CommandOut] = Field(description="The SendLocalList calls, one per part")
    error: str | None = None


class LocalListsOut(ApiModel):
    items: list[LocalListSync]


class LocalListOut(ApiModel):
    charge_point_id: str
    version: int | None = Field(description="The list version it accepted last (or reported)")
    entries: list[IdTokenOut] = Field(description="What it holds, as accepted")
    pending_changes: int = Field(description="Entries a differential update would send now (0: in step)")


def _sync_out(sync: Sync) -> LocalListSync:
    versions = [c.payload.get("listVersion", c.payload.get("versionNumber")) for c in sync.commands]
    return LocalListSync(
        charge_point_id=sync.charge_point_id,
        mode=sync.update_type.value.lower(),
        from_version=sync.from_version,
        to_version=versions[-1] if versions else None,
        commands=[command_out(commands.view(c)) for c in sync.commands],
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
    now, items = utc_now(), []
    if body.filter is not None:
        targets = provisioning.matching(FleetFilter(**body.filter.model_dump()))
    else:
        targets = list(dict.fromkeys(body.charge_points or ()))
    for charge_point_id in targets:
        try:
            items.append(
                _sync_out(local_lists.sync(charge_point_id, UpdateType(body.mode.capitalize()), now))
            )
        except ApplicationError as error:
            items.append(
                LocalListSync(
                    charge_point_id=charge_point_id,
                    mode=body.mode,
                    from_version=0,
                    to_version=None,
                    commands=[],
                    error=error.message,
                )
            )
    return json_response(HTTPStatus.ACCEPTED, LocalListsOut(items=items))


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
