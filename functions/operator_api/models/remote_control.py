"""Remote start and stop, unlocking a connector, triggering a message."""

from __future__ import annotations

from pydantic import Field

from functions.operator_api.models.common import ApiModel, Where


class RemoteStartIn(Where):
    id_token: str = Field(max_length=36, examples=["04A2B3C4D5"])
    id_token_type: str = Field("Central", description="OCPP 2.x token type")


class RemoteStopIn(ApiModel):
    transaction_id: str = Field(max_length=36)


class UnlockIn(ApiModel):
    evse_id: int | None = Field(None, ge=0, description="OCPP 2.x (default 1)")
    connector_id: int = Field(ge=0)


class TriggerIn(Where):
    message: str = Field(description="The message to send: BootNotification, StatusNotification, ...")
