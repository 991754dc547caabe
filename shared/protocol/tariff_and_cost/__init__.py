"""Tariffs and cost on the wire: the running and final cost of a session, the tariff offered
with an authorization, a station's default tariff, and 2.1's NotifySettlement and VatNumberValidation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from datetime import datetime

    from shared.domain.commands import Intent
    from shared.domain.station_events import StationEvent
    from shared.domain.tariffs import Breakdown, Tariff
    from shared.protocol.versions import Profile


class TariffAndCostCodec(Protocol):
    # A configuration key a charge point sets to "true" to show costs (1.6: OCA's California
    # pricing); None: the version's cost messages are core.
    cost_display_key: str | None

    def running_cost(
        self, transaction_id: str, cost: Breakdown, meter_wh: float | None, at: datetime
    ) -> Intent:
        """The cost so far of a session in progress."""
        ...

    def final_cost(self, transaction_id: str, cost: Breakdown, text: str | None) -> Intent | None:
        """The final cost, as a call after the session ended (None: it went in the answer)."""
        ...

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        """What an Authorize answer says of the tariff besides its text (2.1: the tariff)."""
        ...

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        """The tariff a station applies to sessions it prices itself (2.1)."""
        ...

    def settlement(self, payload: dict[str, Any]) -> StationEvent:
        """2.1 NotifySettlement, as an event to keep."""
        ...

    def vat_number(self, payload: dict[str, Any]) -> tuple[str, int | None]:
        """2.1 VatNumberValidation: the number and the EVSE it is for."""
        ...

    def vat_answer(self, check: StationEvent) -> dict[str, Any]:
        """VatNumberValidation's answer to a check (a `vat-number` event)."""
        ...


def tariff_and_cost_codec(profile: Profile) -> TariffAndCostCodec:
    return cast("TariffAndCostCodec", profile.codec(__name__))
