"""Reservations of a connector or EVSE for a driver."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from functions.operator_api.models.commands import CommandOut
from functions.operator_api.models.common import ApiModel, UtcTime


class ReservationIn(ApiModel):
    id_token: str = Field(min_length=1, max_length=36, examples=["04A2B3C4D5"])
    id_token_type: str = Field("ISO14443", description="OCPP 2.x token type")
    connector_id: int | None = Field(None, ge=0, description="1.6: the connector (0 or none: any)")
    evse_id: int | None = Field(None, ge=1, description="2.x: the EVSE (none: any)")
    expires_at: UtcTime
    parent_id_token: str | None = Field(None, max_length=36)


class ReservationOut(ApiModel):
    reservation_id: int = Field(description="The OCPP reservation id, given by the CSMS")
    charge_point_id: str
    state: str = Field(description="pending, active, used, expired, cancelled or refused")
    id_token: str
    id_token_type: str
    connector_id: int | None
    evse_id: int | None
    parent_id_token: str | None
    expires_at: datetime
    answer: str | None = Field(description="The charge point's answer to ReserveNow")
    transaction_id: str | None = Field(description="The session that used it")
    reason: str | None = Field(description="Why it ended")
    cancel_command_id: str | None = Field(
        None, description="The CancelReservation sent for it: while it waits, a DELETE sends no other"
    )
    created_at: datetime
    updated_at: datetime
    command: CommandOut | None = Field(
        None,
        description="On creation and cancellation: the call sent (or, cancelling again, the one sent before)",
    )


class ReservationPage(ApiModel):
    items: list[ReservationOut]
    next_token: str | None
