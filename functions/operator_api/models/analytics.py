"""What the console reads: the fleet's figures, breakdowns, connectors and status history."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from functions.operator_api.models.availability import ConnectorOut
from functions.operator_api.models.common import ApiModel
from shared.domain.analytics import Breakdown


class FiguresOut(ApiModel):
    energy_wh: float = Field(description="Energy of the sessions that ended in the range")
    sessions: int = Field(description="Sessions that ended in the range")
    busy_hours: float = Field(description="Hours connectors were held by sessions")
    faults: int = Field(description="Times a connector reported Faulted")


class DayOut(FiguresOut):
    date: date


class DailyOut(ApiModel):
    items: list[DayOut]


class MemberOut(FiguresOut):
    key: str = Field(description="The charge point's id, the site's, the model, or chargePointId#connector")
    utilisation: float | None = Field(
        None, description="Connectors: the share of the range a session held it (0 to 1)"
    )


class BreakdownOut(ApiModel):
    by: Breakdown
    from_: date = Field(alias="from")
    to: date
    count: int = Field(
        description="How many there are: every registered member, and any other with figures in the range"
    )
    items: list[MemberOut]


class FleetConnectorOut(ConnectorOut):
    charge_point_id: str


class FleetConnectorPage(ApiModel):
    items: list[FleetConnectorOut]
    next_token: str | None = None


class StatusEntryOut(ApiModel):
    connector: str = Field(description="1.6: the connector id; 2.x: evse/connector")
    status: str
    error_code: str | None = None
    info: str | None = None
    at: str = Field(description="When the charge point reported it")


class StatusHistoryPage(ApiModel):
    items: list[StatusEntryOut]
    next_token: str | None = None
