"""The vendors whose DataTransfer messages are accepted."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from functions.operator_api.models.common import ApiModel


class VendorIn(ApiModel):
    message_ids: list[str] | None = Field(None, description="Accepted message ids; none: all of the vendor's")
    description: str | None = Field(None, max_length=500)


class VendorOut(ApiModel):
    vendor_id: str
    message_ids: list[str] | None
    description: str | None
    created_at: datetime


class VendorList(ApiModel):
    items: list[VendorOut]
