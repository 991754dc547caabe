"""Local authorization lists, sent to one charge point or many."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from functions.operator_api.models.authorization import IdTokenOut
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import ApiModel, ChargePointRef

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
    ocpp_version: Literal["1.6", "2.0", "2.0.1", "2.1"] | None = None
    connected: bool | None = Field(None, description="true: only those online now")


class LocalListsIn(LocalListIn):
    charge_points: list[ChargePointRef] | None = Field(
        None, min_length=1, max_length=1000, description="These; or"
    )
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
