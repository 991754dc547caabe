"""Passwords and security profiles (security events are the feed's EventPage)."""

from __future__ import annotations

from pydantic import Field

from functions.operator_api.models.common import ApiModel
from shared.domain.passwords import MAX_LENGTH, MIN_LENGTH, PATTERN


class PasswordIn(ApiModel):
    """A new HTTP Basic password for the charge point; absent, the CSMS makes a strong one."""

    password: str | None = Field(
        None, min_length=MIN_LENGTH, max_length=MAX_LENGTH, pattern=PATTERN, description="Printable ASCII"
    )


class SecurityProfileIn(ApiModel):
    """The profile to move a connected charge point to; for 2.x, the connection profile too."""

    security_profile: int = Field(ge=2, le=3)
    configuration_slot: int | None = Field(None, ge=0, description="2.x: the slot the profile goes in")
    csms_url: str | None = Field(
        None,
        pattern=r"^wss://",
        max_length=512,
        description="2.x: this CSMS's wss:// URL, without the identity",
    )
    ocpp_interface: str = Field("Wired0", description="2.x: Wired0..3, Wireless0..3 (2.1: Any too)")
    message_timeout: int = Field(30, ge=1, le=600, description="2.x: seconds")
