"""Tariffs and cost in OCPP 2.1: a tariff in the Authorize answer, SetDefaultTariff, in
TariffType's words; NotifySettlement from a station's payment terminal, and the VAT numbers it
asks the CSMS to check (VatNumberValidation)."""

from __future__ import annotations

from typing import Any

from shared.domain.commands import Intent
from shared.domain.station_events import EventKind, StationEvent
from shared.domain.tariffs import Dimension, Tariff, TariffElement
from shared.domain.timestamps import format_timestamp
from shared.protocol.common import parse_timestamp
from shared.protocol.tariff_and_cost import TariffAndCostCodec
from shared.protocol.tariff_and_cost.v2 import V2TariffAndCost

# TariffType.tariffId: 60 characters at most.
TARIFF_ID_MAX = 60


def tariff_type(tariff: Tariff) -> dict[str, Any]:
    """Our tariff as 2.1's TariffType: prices per kWh, per minute charging and idle, a fixed
    fee; each with its element's time window; VAT as the tax rate; the idle grace as the
    idle prices' minimum idle time."""
    taxes = [{"type": "VAT", "tax": float(tariff.vat_percent)}] if tariff.vat_percent else []

    def conditions(element: TariffElement, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        found: dict[str, Any] = dict(extra or {})
        if element.restrictions is not None:
            found |= element.restrictions.described(
                "startTimeOfDay", "endTimeOfDay", "dayOfWeek", str.capitalize
            )
        return {"conditions": found} if found else {}

    def prices(dimension: Dimension, field: str, per_hour: bool, extra: dict[str, Any] | None = None) -> Any:
        listed = []
        for element in tariff.elements:
            price = element.price_of(dimension)
            if price is not None:
                value = float(price / 60) if per_hour else float(price)
                listed.append({field: value, **conditions(element, extra)})
        return {"prices": listed, **({"taxRates": taxes} if taxes else {})} if listed else None

    grace = {"minIdleTime": tariff.idle_grace_minutes * 60} if tariff.idle_grace_minutes else None
    parts = {
        "energy": prices(Dimension.ENERGY, "priceKwh", False),
        "chargingTime": prices(Dimension.TIME, "priceMinute", True),
        "idleTime": prices(Dimension.PARKING_TIME, "priceMinute", True, grace),
        "fixedFee": prices(Dimension.FLAT, "priceFixed", False),
    }
    found: dict[str, Any] = {
        "tariffId": tariff.tariff_id[:TARIFF_ID_MAX],
        "currency": tariff.currency,
        **{name: part for name, part in parts.items() if part is not None},
    }
    if tariff.texts:
        found["description"] = [
            {"format": "UTF8", "language": t.language[:8], "content": t.text[:1024]}
            for t in tariff.texts[:10]
        ]
    if tariff.min_price is not None:
        found["minCost"] = {"exclTax": float(tariff.min_price)}
    if tariff.max_price is not None:
        found["maxCost"] = {"exclTax": float(tariff.max_price)}
    return found


class V21TariffAndCost(V2TariffAndCost):
    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        return {"tariff": tariff_type(tariff)}

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        return "SetDefaultTariff", {"evseId": evse_id, "tariff": tariff_type(tariff)}

    def settlement(self, payload: dict[str, Any]) -> StationEvent:
        """The payment reference and time make a resend the same."""
        as_sent = {k: v for k, v in payload.items() if k != "customData"}
        settled = parse_timestamp(payload["settlementTime"], "settlementTime")
        sort = f"{format_timestamp(settled)}#{payload['pspRef']}"
        return StationEvent(EventKind.SETTLEMENT, sort, settled, as_sent)

    def vat_number(self, payload: dict[str, Any]) -> tuple[str, int | None]:
        return payload["vatNumber"], payload.get("evseId")

    def vat_answer(self, check: StationEvent) -> dict[str, Any]:
        body = check.body
        answer: dict[str, Any] = {"vatNumber": body["vatNumber"], "status": body["status"]}
        if body["evseId"] is not None:
            answer["evseId"] = body["evseId"]
        if body["reason"]:
            answer["statusInfo"] = {"reasonCode": "InvalidValue", "additionalInfo": body["reason"][:1024]}
        return answer


CODEC: TariffAndCostCodec = V21TariffAndCost()
