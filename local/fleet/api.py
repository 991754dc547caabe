"""The operator API as the fleet uses it: issue its cards (and make its drivers' accounts)
before the run, and afterwards ask the CSMS what it recorded, to hold that against what the
stations did."""

from __future__ import annotations

import asyncio
import copy
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp

from local.fleet.station import Station


class ApiError(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


RETRIES_ON_5XX = 2


def _params(query: dict[str, Any]) -> dict[str, str]:
    return {k: str(v) for k, v in query.items() if v is not None}


class OperatorApi:
    def __init__(self, base_url: str, token: str | None) -> None:
        self.base_url = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        self.retries = 0  # requests tried again after a 5xx

    async def close(self) -> None:
        await self._session.close()

    def speaking_as(self, credential: str) -> OperatorApi:
        """The same connection pool under another caller's credential (a driver's key); the
        original closes it."""
        other = copy.copy(self)
        other._headers = {"Authorization": f"Bearer {credential}"}
        return other

    async def request(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        """One request; one that met a 5xx is tried again (twice at most), as an operator's tool
        retries: a GET, PUT or DELETE as it is, a POST under the Idempotency-Key it first went
        with, so that the CSMS answers a retry with the first answer and makes nothing twice."""
        headers = self._headers
        if method == "POST":
            headers = {**headers, "Idempotency-Key": uuid.uuid4().hex}
        for attempt in range(RETRIES_ON_5XX + 1):
            async with self._session.request(
                method, self.base_url + path, json=body, params=_params(query), headers=headers
            ) as response:
                payload = await response.json(content_type=None) if response.content_length != 0 else None
                if response.status >= 500 and attempt < RETRIES_ON_5XX:
                    self.retries += 1
                    await asyncio.sleep(0.5 * (attempt + 1))
                    continue
                if response.status >= 400:
                    raise ApiError(f"{method} {path}: {response.status} {payload}", response.status)
                return payload
        raise AssertionError("unreachable: the last attempt returns or raises")

    async def text(self, path: str, **query: Any) -> str:
        """A document the API answers as a file (a receipt's CSV)."""
        async with self._session.get(
            self.base_url + path, params=_params(query), headers=self._headers
        ) as response:
            body = await response.text()
            if response.status >= 400:
                raise ApiError(f"GET {path}: {response.status} {body}", response.status)
            return body

    async def pages(self, path: str, **query: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        token = None
        while True:
            page = await self.request("GET", path, limit=100, nextToken=token, **query)
            items.extend(page["items"])
            token = page.get("nextToken")
            if not token:
                return items

    async def issue_card(self, tag: str) -> None:
        await self.request("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})

    async def register(
        self, station_id: str, password: str | None, security_profile: int | None = None
    ) -> None:
        """Needed where the CSMS admits registered charge points only (the cloud's default)."""
        body: dict[str, Any] = {"password": password} if password else {}
        if security_profile is not None:
            body["securityProfile"] = security_profile
        await self.request("PUT", f"/charge-points/{station_id}", body)


@dataclass
class Check:
    """The CSMS's view of the fleet's sessions, against the fleet's own ledger."""

    expected: int = 0
    found: int = 0
    missing: list[str] = field(default_factory=list)
    duplicated: list[str] = field(
        default_factory=list
    )  # sessions the fleet did not run (a start counted twice)
    energy_mismatch: list[str] = field(default_factory=list)
    still_active: list[str] = field(default_factory=list)
    # The console's analytics (kept as sessions end) against each station's metered energy
    analytics_mismatch: list[str] = field(default_factory=list)
    fleet_energy_wh: int = 0
    csms_energy_wh: float = 0.0
    # Each driver's own list (--drivers), read with its key: the sessions of its cards, once
    # each, with their energy, and nobody else's; and a sample of receipts against the list.
    drivers: int = 0
    driver_expected: int = 0
    driver_found: int = 0
    driver_missing: list[str] = field(default_factory=list)
    driver_foreign: list[str] = field(default_factory=list)  # another driver's, or not the fleet's
    driver_duplicated: list[str] = field(default_factory=list)
    driver_energy_mismatch: list[str] = field(default_factory=list)
    receipts_checked: int = 0
    receipt_mismatch: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.missing
            or self.duplicated
            or self.energy_mismatch
            or self.still_active
            or self.analytics_mismatch
            or self.driver_missing
            or self.driver_foreign
            or self.driver_duplicated
            or self.driver_energy_mismatch
            or self.receipt_mismatch
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "expected": self.expected,
            "found": self.found,
            "missing": self.missing,
            "duplicated": self.duplicated,
            "energyMismatch": self.energy_mismatch,
            "stillActive": self.still_active,
            "analyticsMismatch": self.analytics_mismatch,
            "fleetEnergyWh": self.fleet_energy_wh,
            "csmsEnergyWh": self.csms_energy_wh,
            "drivers": self.drivers,
            "driverExpected": self.driver_expected,
            "driverFound": self.driver_found,
            "driverMissing": self.driver_missing,
            "driverForeign": self.driver_foreign,
            "driverDuplicated": self.driver_duplicated,
            "driverEnergyMismatch": self.driver_energy_mismatch,
            "receiptsChecked": self.receipts_checked,
            "receiptMismatch": self.receipt_mismatch,
        }


async def check_sessions(api: OperatorApi, stations: list[Station], since: str) -> Check:
    """Every session a station ran is in the CSMS once, ended, with the energy it metered; and
    the CSMS has no session of these stations that they did not run."""
    ours = {station.id: station for station in stations}
    recorded: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in await api.pages("/transactions", **{"from": since}):
        if item["chargePointId"] in ours:
            recorded.setdefault((item["chargePointId"], item["transactionId"]), []).append(item)

    check = Check()
    for station in stations:
        for session in station.ledger:
            name = f"{station.id}/{session.transaction_id or session.local_id}"
            check.expected += 1
            check.fleet_energy_wh += session.energy_wh
            if session.transaction_id is None:
                check.missing.append(name + " (no transaction id: its start was never answered)")
                continue
            found = recorded.pop((station.id, session.transaction_id), [])
            if not found:
                check.missing.append(name)
                continue
            check.found += 1
            if len(found) > 1:
                check.duplicated.append(f"{name} x{len(found)}")
            item = found[0]
            check.csms_energy_wh += item.get("energyWh") or 0.0
            if item["active"]:
                check.still_active.append(name)
            if item.get("energyWh") != session.energy_wh:
                check.energy_mismatch.append(
                    f"{name}: fleet {session.energy_wh} Wh, CSMS {item.get('energyWh')} Wh"
                )
    for (station_id, transaction_id), items in recorded.items():
        check.duplicated.append(f"{station_id}/{transaction_id} (not run by the fleet) x{len(items)}")
    check.analytics_mismatch = await analytics_mismatch(api, stations, since)
    return check


async def analytics_mismatch(
    api: OperatorApi, stations: list[Station], since: str, wait_s: float = 20.0
) -> list[str]:
    """Each station's energy in GET /analytics/breakdown over the run's days is what it metered
    in its ended sessions: counted once each, whatever the bus delivered twice. The figures are
    kept by a reaction to SessionEnded, so they may trail the sessions for a moment."""
    metered = {
        s.id: sum(session.energy_wh for session in s.ledger if session.transaction_id) for s in stations
    }
    query = {
        "by": "chargePoint",
        "from": since[:10],
        "to": datetime.now(UTC).date().isoformat(),
        "limit": 1000,
    }
    deadline = time.monotonic() + wait_s
    while True:
        kept = {
            item["key"]: item["energyWh"]
            for item in (await api.request("GET", "/analytics/breakdown", **query))["items"]
        }
        wrong = [
            f"{station_id}: fleet {wh} Wh, analytics {kept.get(station_id, 0)} Wh"
            for station_id, wh in metered.items()
            if abs(kept.get(station_id, 0) - wh) > 0.001
        ]
        if not wrong or time.monotonic() > deadline:
            return wrong
        await asyncio.sleep(0.5)
