"""Tariffs and cost in OCPP 1.6: OCA's California pricing, cost in DataTransfer messages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.domain.commands import Intent
from shared.domain.errors import CommandRefused
from shared.domain.station_events import StationEvent
from shared.domain.tariffs import Breakdown, Tariff
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import not_in_version
from shared.protocol.tariff_and_cost import TariffAndCostCodec


class V16TariffAndCost:
    # OCA's "OCPP & California Pricing Requirements": cost goes in DataTransfer messages to a
    # charge point that says it can show them.
    cost_display_key: str | None = "CustomDisplayCostAndPrice"

    def running_cost(
        self, transaction_id: str, cost: Breakdown, meter_wh: float | None, at: datetime
    ) -> Intent:
        data: dict[str, Any] = {
            "transactionId": int(transaction_id),
            "timestamp": format_timestamp(at),
            "cost": float(cost.total_incl_vat),
            "state": "Charging",
        }
        if meter_wh is not None:
            data["meterValue"] = int(meter_wh)
        return _cost_message("RunningCost", data)

    def final_cost(self, transaction_id: str, cost: Breakdown, text: str | None) -> Intent | None:
        data: dict[str, Any] = {"transactionId": int(transaction_id), "cost": float(cost.total_incl_vat)}
        if text:
            data["priceText"] = text
        return _cost_message("FinalCost", data)

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        return {}

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        raise CommandRefused("OCPP 1.6 has no tariff messages (they came with 2.1)")

    def settlement(self, payload: dict[str, Any]) -> StationEvent:
        raise not_in_version("NotifySettlement")

    def vat_number(self, payload: dict[str, Any]) -> tuple[str, int | None]:
        raise not_in_version("VatNumberValidation")

    def vat_answer(self, check: StationEvent) -> dict[str, Any]:
        raise not_in_version("VatNumberValidation")


COST_VENDOR = "org.openchargealliance.costmsg"


def _cost_message(message_id: str, data: dict[str, Any]) -> Intent:
    return "DataTransfer", {
        "vendorId": COST_VENDOR,
        "messageId": message_id,
        "data": json.dumps(data, separators=(",", ":")),
    }


CODEC: TariffAndCostCodec = V16TariffAndCost()
