"""Payments on the wire: an EVSE's WebPaymentsCtrlr provisioned (2.x SetVariables per EVSE; 1.6
`WebPaymentsCtrlr.{connectorId}.*` keys, as the open "Secure Dynamic QR-Codes for OCPP" paper
backports 2.1's C25), the stations' answers read per variable, and NotifyWebPaymentStarted where
the version has it (2.1)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, cast

from shared.domain.passwords import REDACTED
from shared.protocol.common import not_in_version

if TYPE_CHECKING:
    from shared.domain.commands import Command, Intent
    from shared.domain.payments import Settlement
    from shared.protocol.versions import Profile

CONTROLLER = "WebPaymentsCtrlr"
# What the CSMS sets on each EVSE's controller, in this order.
VARIABLES = ("Enabled", "URLTemplate", "SharedSecret", "ValidityTime", "Length")


@dataclass(frozen=True)
class EvseSettings:
    evse_id: int
    url_template: str
    shared_secret: str
    validity_s: int
    length: int

    def values(self) -> tuple[tuple[str, str], ...]:
        return tuple(
            zip(
                VARIABLES,
                ("true", self.url_template, self.shared_secret, str(self.validity_s), str(self.length)),
                strict=True,
            )
        )


@dataclass(frozen=True)
class VariableStatus:
    evse_id: int
    variable: str
    status: str  # Accepted, Rejected, RebootRequired, NotSupported, ...


class PaymentsCodec(Protocol):
    def provision(self, settings: list[EvseSettings]) -> list[Intent]:
        """The calls that set each EVSE's controller."""
        ...

    def statuses(self, command: Command) -> list[VariableStatus]:
        """What an answered call of `provision` says of each variable it set."""
        ...

    def web_payment_started(self, evse_id: int, timeout_s: int) -> Intent | None:
        """NotifyWebPaymentStarted, where the version has it."""
        ...

    def settlement(self, payload: dict[str, Any]) -> Settlement:
        """2.1 NotifySettlement: what the station's terminal settled."""
        ...

    def settlement_answer(self, receipt_url: str, receipt_id: str) -> dict[str, Any]:
        """The answer to NotifySettlement: the CSMS's receipt."""
        ...


class BeforeTerminals:
    """What a version before 2.1 says of web payments started and terminals' settlements:
    nothing to send, and NotifySettlement not in the version."""

    def web_payment_started(self, evse_id: int, timeout_s: int) -> Intent | None:
        return None

    def settlement(self, payload: dict[str, Any]) -> Settlement:
        raise not_in_version("NotifySettlement")

    def settlement_answer(self, receipt_url: str, receipt_id: str) -> dict[str, Any]:
        raise not_in_version("NotifySettlement")


def payments_codec(profile: Profile) -> PaymentsCodec:
    return cast("PaymentsCodec", profile.codec(__name__))


def is_secret_key(key: str) -> bool:
    """Whether a configuration key is a controller's SharedSecret (never shown, never kept)."""
    folded = key.lower()
    return folded.startswith(CONTROLLER.lower()) and folded.endswith("sharedsecret")


def redact_secret(action: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A call's payload with any SharedSecret it sets masked, as an operator's view shows it."""
    if action == "ChangeConfiguration" and is_secret_key(str(payload.get("key", ""))):
        return {**payload, "value": REDACTED}
    if action == "SetVariables":
        data = [
            {**d, "attributeValue": REDACTED}
            if d["component"]["name"] == CONTROLLER and d["variable"]["name"] == "SharedSecret"
            else d
            for d in payload.get("setVariableData", [])
        ]
        return {**payload, "setVariableData": data}
    return payload
