"""Ended sessions as OCPI 2.2.1 charge detail records, and tariffs in OCPI's words, so billing
systems and roaming partners read them as they read any CPO's."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from shared.domain.tariffs import Breakdown, Tariff
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import SessionSummary

HOUR_S = 3600


def _money(value: Decimal) -> float:
    return float(value)


def _price(excl: Decimal, vat_percent: Decimal) -> dict[str, float]:
    """OCPI Price: before and after tax."""
    return {"excl_vat": _money(excl), "incl_vat": _money(excl + excl * vat_percent / 100)}


def ocpi_tariff(tariff: Tariff, country_code: str, party_id: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "country_code": country_code,
        "party_id": party_id,
        "id": tariff.tariff_id,
        "currency": tariff.currency,
        "elements": [
            {
                "price_components": [
                    {
                        "type": c.type.value,
                        "price": _money(c.price),
                        "vat": _money(tariff.vat_percent),
                        "step_size": 1,
                    }
                    for c in e.price_components
                ],
                **(
                    {"restrictions": e.restrictions.described("start_time", "end_time", "day_of_week")}
                    if e.restrictions is not None
                    else {}
                ),
            }
            for e in tariff.elements
        ],
        "tariff_alt_text": [{"language": t.language, "text": t.text} for t in tariff.texts],
        "last_updated": format_timestamp(tariff.updated_at) if tariff.updated_at else None,
    }
    if tariff.min_price is not None:
        found["min_price"] = _price(tariff.min_price, tariff.vat_percent)
    if tariff.max_price is not None:
        found["max_price"] = _price(tariff.max_price, tariff.vat_percent)
    return found


def cdr_of(
    session: SessionSummary,
    cost: Breakdown | None,
    tariff: Tariff | None,
    country_code: str,
    party_id: str,
    now: datetime,
) -> dict[str, Any]:
    """One ended session. A session priced by no tariff still has its record, at no cost, and
    says so in `remark`; what the cost could not know is in `remark` too."""
    assert session.stopped_at is not None
    place = session.evse_id if session.evse_id is not None else session.connector_id
    energy_kwh = (session.energy_wh or 0) / 1000
    total_hours = (session.stopped_at - session.started_at).total_seconds() / HOUR_S
    vat = cost.vat_percent if cost else Decimal(0)
    zero = Decimal(0)
    record: dict[str, Any] = {
        "country_code": country_code,
        "party_id": party_id,
        "id": f"{session.charge_point_id}-{session.transaction_id}"[:39],
        "start_date_time": format_timestamp(session.started_at),
        "end_date_time": format_timestamp(session.stopped_at),
        "session_id": session.transaction_id,
        "cdr_token": {
            "country_code": country_code,
            "party_id": party_id,
            "uid": session.id_token or "",
            "type": "RFID" if session.id_token else "OTHER",
            "contract_id": session.id_token or "",
        },
        "auth_method": "COMMAND" if session.remote_start_id is not None else "WHITELIST",
        "cdr_location": {
            "id": session.charge_point_id,
            "evse_uid": f"{session.charge_point_id}-{place}",
            "evse_id": f"{session.charge_point_id}*{place}",
            "connector_id": str(session.connector_id or 1),
        },
        "currency": cost.currency if cost else None,
        "tariffs": [ocpi_tariff(tariff, country_code, party_id)] if tariff else [],
        "charging_periods": [
            {
                "start_date_time": format_timestamp(session.started_at),
                "dimensions": [
                    {"type": "ENERGY", "volume": energy_kwh},
                    {"type": "TIME", "volume": (cost.charging_seconds if cost else 0) / HOUR_S},
                    {"type": "PARKING_TIME", "volume": (cost.idle_seconds if cost else 0) / HOUR_S},
                ],
                **({"tariff_id": tariff.tariff_id} if tariff else {}),
            }
        ],
        "total_cost": _price(cost.total_excl_vat if cost else zero, vat),
        "total_fixed_cost": _price(cost.fee if cost else zero, vat),
        "total_energy": energy_kwh,
        "total_energy_cost": _price(cost.energy if cost else zero, vat),
        "total_time": total_hours,
        "total_time_cost": _price(cost.time if cost else zero, vat),
        "total_parking_time": (cost.idle_seconds if cost else 0) / HOUR_S,
        "total_parking_cost": _price(cost.idle if cost else zero, vat),
        "last_updated": format_timestamp(now),
    }
    if cost is not None:
        record["total_cost"]["incl_vat"] = _money(cost.total_incl_vat)
        if cost.flags:
            record["remark"] = "Cost from incomplete meter data: " + ", ".join(cost.flags)
    else:
        record["remark"] = "No tariff applied"
    return record
