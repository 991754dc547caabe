"""The id-token list."""

from __future__ import annotations

from pydantic import Field

from functions.operator_api.models.common import ApiModel, UtcTime
from shared.domain.authorization import AuthorizationStatus, TokenEntry


class IdTokenIn(ApiModel):
    """An entry of the authorization list; a PUT replaces the whole entry."""

    status: AuthorizationStatus = Field(description="What Authorize and the transaction messages answer")
    type: str | None = Field(
        None,
        max_length=20,
        description="OCPP 2.x token type (ISO14443, eMAID, KeyCode, ...); absent matches any type",
        examples=["ISO14443"],
    )
    expiry_date: UtcTime | None = Field(None, description="After this the token answers Expired")
    parent_id_token: str | None = Field(
        None, max_length=255, description="Group token (parentIdTag in 1.6, groupIdToken in 2.x)"
    )


class IdTokenOut(IdTokenIn):
    id_token: str

    @classmethod
    def of(cls, entry: TokenEntry) -> IdTokenOut:
        return cls(
            id_token=entry.id_token,
            status=entry.status,
            type=entry.token_type,
            expiry_date=entry.expiry_date,
            parent_id_token=entry.parent_id_token,
        )


class IdTokenPage(ApiModel):
    items: list[IdTokenOut]
    next_token: str | None = Field(description="Pass as nextToken for the next page; absent on the last")
