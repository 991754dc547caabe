"""Charging sessions, their meter values and their cost."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from functions.operator_api.models.common import ApiModel


class CostOut(ApiModel):
    """A session's cost in its tariff's currency; the parts add up to the totals exactly."""

    currency: str
    tariff_id: str
    energy_wh: float = Field(description="Priced energy")
    charging_seconds: int
    idle_seconds: int
    energy: float
    time: float = Field(description="For time charging")
    idle: float = Field(description="For idle time after the grace period")
    fee: float = Field(description="The session fee")
    adjustment: float = Field(description="What the tariff's minimum or maximum added or took off")
    total_excl_vat: float
    vat_percent: float
    tax: float
    total_incl_vat: float
    flags: list[str] = Field(
        description="energyUnknown, energySpreadEvenly (no reading inside the session), inProgress"
    )


class TransactionOut(ApiModel):
    transaction_id: str = Field(description="As the charge point knows it (an integer in OCPP 1.6)")
    charge_point_id: str
    ocpp_version: str
    evse_id: int | None = Field(description="OCPP 2.x")
    connector_id: int | None
    id_token: str | None
    id_token_type: str | None = Field(description="OCPP 2.x")
    started_at: datetime
    stopped_at: datetime | None
    meter_start_wh: float | None = Field(description="Register at the start (else the earliest sample)")
    meter_stop_wh: float | None = Field(description="Register at the stop (else the latest sample)")
    energy_wh: float | None = Field(description="meterStopWh - meterStartWh; so far, while active")
    stop_reason: str | None
    active: bool
    remote_start_id: int | None = Field(description="OCPP 2.x: the RequestStartTransaction that began it")
    charging_state: str | None = Field(None, description="OCPP 2.x: latest reported (detail only)")
    tariff_id: str | None = Field(None, description="The tariff it started under")
    cost: CostOut | None = Field(
        None, description="Under its tariff; so far while active (in lists only with withCost=true)"
    )


class SampleOut(ApiModel):
    measurand: str
    value: float | None = Field(description="In the base unit: Wh, W, varh, A, V, ...")
    unit: str | None
    phase: str | None = None
    location: str
    context: str
    raw: str | None = Field(None, description="What the meter sent when it was not a plain number")


class MeterValueOut(ApiModel):
    timestamp: datetime
    sampled_values: list[SampleOut]


class SessionEventOut(ApiModel):
    kind: str = Field(description="Started, Updated, Ended (2.x); MeterValues, StopTransaction (1.6)")
    timestamp: datetime
    seq_no: int | None
    trigger_reason: str | None
    charging_state: str | None
    offline: bool


class TransactionDetail(TransactionOut):
    remote_start_command_id: str | None = Field(description="The remote start that began it, if one did")
    meter_values: list[MeterValueOut]
    events: list[SessionEventOut] = Field(description="Reports merged by seqNo (2.x) or time (1.6)")
    station_cost: dict[str, Any] | None = Field(
        None, description="2.1: costDetails as the station reckons the cost (latest report)"
    )
    priority_charging: bool | None = Field(
        None, description="2.1: whether the driver has priority charging on (NotifyPriorityCharging)"
    )


class TransactionPage(ApiModel):
    items: list[TransactionOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")
