"""OCPP 2.1: 2.0.1's adapter, and the tariff messages 2.1 added (a tariff in the Authorize
answer, SetDefaultTariff), in TariffType's words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from shared.domain.certificates import CertificateUse, RootKind, Standing, StatusQuestion
from shared.domain.commands import Intent
from shared.domain.tariffs import Dimension, Tariff, TariffElement
from shared.domain.timestamps import format_timestamp
from shared.protocol.adapters.v2 import V2Adapter

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


class V21Adapter(V2Adapter):
    network_version = "OCPP21"
    signing_uses = frozenset(CertificateUse)  # 2.1 adds ISO 15118-20's V2G certificate
    root_kinds = frozenset(RootKind)  # ...and the OEM root

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        fields = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
        return [
            StatusQuestion(
                {name: asked["certificateHashData"][name] for name in fields},
                asked["source"],
                tuple(asked["urls"]),
            )
            for asked in payload["certificateStatusRequests"]
        ]

    def chain_status_answer(self, questions: list[StatusQuestion], found: list[Standing]) -> dict[str, Any]:
        return {
            "certificateStatus": [
                {
                    "certificateHashData": question.hash_data,
                    "source": question.source,
                    "status": standing.status,
                    "nextUpdate": format_timestamp(standing.next_update or datetime.now(UTC)),
                }
                for question, standing in zip(questions, found, strict=True)
            ]
        }

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        return {"tariff": tariff_type(tariff)}

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        return "SetDefaultTariff", {"evseId": evse_id, "tariff": tariff_type(tariff)}


ADAPTER = V21Adapter()
