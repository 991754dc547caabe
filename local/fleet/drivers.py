"""The fleet's drivers (`--drivers N`): accounts made before the run, each holding a share of
the cards, and read at the end with each driver's own key against the fleet's ledger, as a
driver would read them (docs/accounts.md, "Drivers: their own accounts")."""

from __future__ import annotations

import asyncio
import csv
import io
from collections import Counter
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from http import HTTPStatus
from typing import Any, TypeVar

from local.fleet.api import ApiError, Check, OperatorApi
from local.fleet.dialects import Session
from local.fleet.station import Station

# Receipts read at the end of a run: each costs the CSMS a read and two queries, so a sample.
RECEIPTS = 5
PARALLEL = 8  # requests in flight at set-up and in the check

T = TypeVar("T")
Key = tuple[str, str]  # charge point, transaction id: how the CSMS knows a session


@dataclass(frozen=True)
class Driver:
    driver_id: str
    key: str  # the driver's own credential, shown once when the account was made
    tags: tuple[str, ...]  # its cards


def deal(tags: Sequence[str], count: int) -> list[tuple[str, ...]]:
    """The cards round-robin: the i-th card is driver i mod count's."""
    return [tuple(tags[i::count]) for i in range(count)]


async def _limited(jobs: Sequence[Awaitable[T]]) -> list[T]:
    limit = asyncio.Semaphore(PARALLEL)

    async def one(job: Awaitable[T]) -> T:
        async with limit:
            return await job

    return list(await asyncio.gather(*(one(job) for job in jobs)))


async def make(api: OperatorApi, count: int, tags: Sequence[str], label: str) -> list[Driver]:
    """`count` accounts, each linked at once to its share of the (already issued) cards, before
    any session starts: every session of a card is then its driver's."""

    async def account(number: int) -> dict[str, Any]:
        body = {"name": f"Fleet driver {number}", "email": f"driver-{number}@{label.lower()}.fleet.example"}
        made: dict[str, Any] = await api.request("POST", "/drivers", body)
        return made

    async def link(driver: Driver, tag: str) -> None:
        path = f"/drivers/{driver.driver_id}/id-tokens/{tag}"
        try:
            await api.request("PUT", path)
        except ApiError as error:
            if error.status != HTTPStatus.CONFLICT:
                raise
            # An earlier run's driver holds it (the demo's cards keep their names from run to
            # run): the card is the fleet's, and issued afresh it is nobody's.
            await api.request("DELETE", f"/id-tokens/{tag}")
            await api.issue_card(tag)
            await api.request("PUT", path)

    made = await _limited([account(number) for number in range(1, count + 1)])
    drivers = [
        Driver(m["driverId"], m["key"], cards) for m, cards in zip(made, deal(tags, count), strict=True)
    ]
    await _limited([link(driver, tag) for driver in drivers for tag in driver.tags])
    return drivers


def ran_of(stations: Sequence[Station]) -> dict[Key, Session]:
    """The sessions the fleet ran that the CSMS knows by an id (one whose start was never
    answered is the main check's `missing`)."""
    return {
        (station.id, session.transaction_id): session
        for station in stations
        for session in station.ledger
        if session.transaction_id is not None
    }


def compare(
    check: Check, shown: Sequence[tuple[Driver, list[dict[str, Any]]]], ran: dict[Key, Session]
) -> list[tuple[Driver, dict[str, Any]]]:
    """Each driver's list against the ledger: every session run with its cards there once with
    the metered energy, and no other. Returns the sessions rightly shown, for the receipts."""
    holder = {tag: driver.driver_id for driver, _ in shown for tag in driver.tags}
    own: list[tuple[Driver, dict[str, Any]]] = []
    for driver, items in shown:
        theirs = {key for key, session in ran.items() if holder.get(session.tag) == driver.driver_id}
        check.driver_expected += len(theirs)
        first: dict[Key, dict[str, Any]] = {}
        times = Counter[Key]()
        for item in items:
            key = (item["chargePointId"], item["transactionId"])
            first.setdefault(key, item)
            times[key] += 1
        for key, item in first.items():
            name = f"{driver.driver_id}: {key[0]}/{key[1]}"
            if times[key] > 1:
                check.driver_duplicated.append(f"{name} x{times[key]}")
            session = ran.get(key)
            if session is None:
                check.driver_foreign.append(f"{name} (not run by the fleet)")
                continue
            if key not in theirs:
                other = holder.get(session.tag)
                whose = f"driver {other}'s" if other else "no driver's"
                check.driver_foreign.append(f"{name} (card {session.tag}, {whose})")
                continue
            check.driver_found += 1
            own.append((driver, item))
            if item.get("energyWh") != session.energy_wh:
                check.driver_energy_mismatch.append(
                    f"{name}: fleet {session.energy_wh} Wh, driver's list {item.get('energyWh')} Wh"
                )
        for key in sorted(theirs - first.keys()):
            check.driver_missing.append(f"{driver.driver_id}: {key[0]}/{key[1]} (card {ran[key].tag})")
    return own


def receipt_sample(own: Sequence[tuple[Driver, dict[str, Any]]]) -> list[tuple[Driver, dict[str, Any]]]:
    """Up to RECEIPTS ended sessions: priced ones first, then spread over the drivers (each
    one's first before anyone's second)."""
    rank: Counter[tuple[bool, str]] = Counter()
    ranked = []
    for driver, item in own:
        if not item["active"]:
            group = (item.get("cost") is None, driver.driver_id)
            ranked.append((group[0], rank[group], driver, item))
            rank[group] += 1
    ranked.sort(key=lambda entry: entry[:2])
    return [(driver, item) for _, _, driver, item in ranked[:RECEIPTS]]


def _amount(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text is not None else None
    except InvalidOperation:
        return None


async def receipt_mismatch(api: OperatorApi, driver: Driver, item: dict[str, Any]) -> str | None:
    """The receipt's total incl. VAT (its CSV, read with the driver's key) against the cost the
    driver's list gives; a session no tariff priced costs nothing on its receipt."""
    name = f"{driver.driver_id}: {item['chargePointId']}/{item['transactionId']}"
    path = f"/driver/sessions/{item['chargePointId']}/{item['transactionId']}/receipt"
    try:
        body = await api.speaking_as(driver.key).text(path, format="csv")
    except ApiError as error:
        return f"{name}: {error}"
    fields = {row[0]: row[1] for row in csv.reader(io.StringIO(body)) if len(row) == 2}
    cost = item.get("cost")
    listed = Decimal(str(cost["inclVat"])) if cost else Decimal(0)
    total = _amount(fields.get("total incl. VAT"))
    if total != listed:
        return f"{name}: receipt {fields.get('total incl. VAT')}, driver's list {listed} incl. VAT"
    return None


async def check_drivers(
    api: OperatorApi, drivers: Sequence[Driver], stations: Sequence[Station], check: Check
) -> None:
    """Reads every page of each driver's sessions with its own key (1 query per card, 1 batch
    read per page, 1 query per session for its cost, in the CSMS) and up to RECEIPTS receipts."""

    async def listed(driver: Driver) -> list[dict[str, Any]] | str:
        try:
            return await api.speaking_as(driver.key).pages("/driver/sessions")
        except ApiError as error:
            return str(error)

    lists = await _limited([listed(driver) for driver in drivers])
    unread = [(d, error) for d, error in zip(drivers, lists, strict=True) if isinstance(error, str)]
    check.driver_missing += [f"{d.driver_id}: its sessions could not be read: {error}" for d, error in unread]
    read = [(d, items) for d, items in zip(drivers, lists, strict=True) if not isinstance(items, str)]
    own = compare(check, read, ran_of(stations))
    check.drivers = len(drivers)
    sample = receipt_sample(own)
    check.receipts_checked = len(sample)
    found = await _limited([receipt_mismatch(api, driver, item) for driver, item in sample])
    check.receipt_mismatch = [mismatch for mismatch in found if mismatch is not None]
