"""Tariffs and cost in OCPP 2.0.1: CostUpdated, and the final cost in the session's last answer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.commands import Intent
from shared.domain.errors import CommandRefused
from shared.domain.station_events import StationEvent
from shared.domain.tariffs import Breakdown, Tariff
from shared.protocol.common import not_in_version
from shared.protocol.tariff_and_cost import TariffAndCostCodec


class V2TariffAndCost:
    cost_display_key: str | None = None

    def running_cost(
        self, transaction_id: str, cost: Breakdown, meter_wh: float | None, at: datetime
    ) -> Intent:
        return "CostUpdated", {"totalCost": float(cost.total_incl_vat), "transactionId": transaction_id}

    def final_cost(self, transaction_id: str, cost: Breakdown, text: str | None) -> Intent | None:
        return None  # totalCost in the TransactionEvent (Ended) answer

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        return {}

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        raise CommandRefused("OCPP 2.0.1 has no tariff messages (they came with 2.1)")

    def settlement(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifySettlement")

    def vat_number(self, payload: dict[str, Any]) -> tuple[str, int | None]:
        raise not_in_version("VatNumberValidation")

    def vat_answer(self, check: StationEvent) -> dict[str, Any]:
        raise not_in_version("VatNumberValidation")


CODEC: TariffAndCostCodec = V2TariffAndCost()
