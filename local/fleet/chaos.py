"""`make chaos`: the fleet against a local runtime that injects faults (local/runtime/faults.py),
with an operator at work beside it (commands, reservations, firmware updates, log uploads),
then the promise checked: nothing acknowledged is lost, nothing is counted twice, nothing
stalls for good (docs/faults.md).

The checks: every session once with its energy to the Wh, and the analytics equal to them;
every command delivered at most once and ended (none left pending after the timeouts' sweep),
every reservation, firmware update and log upload ended; no site sample over its limit; no
connection left unserved (every station's queue answered, none still online in the CSMS's view
once all have gone).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from local.fleet.api import ApiError, OperatorApi
from local.fleet.runner import Outcome
from local.fleet.station import Station

DEFAULT_FAULTS = "dynamodb=0.05,post=0.05,events=0.05,timeout=0.01"
# The runtime's settings for a run that fits in a minute or two: asynchronous retries after one
# and two seconds rather than Lambda's minutes, schedules (the commands' timeouts, the
# reservations' expiry) every few seconds, a command given up after ten.
RUNTIME_ARGS = ("--retry-delays", "1,2", "--schedule-period", "3")
RUNTIME_ENV = {"CSMS_COMMAND_TIMEOUT": "10"}
OPERATOR_EVERY_S = 1.5
RESERVED_FOR_S = 10
ENDED_WITHIN_S = 60  # after the wind-down, for the sweeps to end what the stations left


@dataclass
class Issued:
    """What the operator asked for, by kind, with what the API answered."""

    kind: str  # command, reservation, firmware, logs
    station_id: str
    path: str  # where its state is read
    state: str = ""


@dataclass
class Operator:
    """Asks the CSMS for something every so often, of a random online station, in turn:
    a command, a reservation, a firmware update, a log upload."""

    api: OperatorApi
    tags: list[str]
    seed: int
    issued: list[Issued] = field(default_factory=list)
    refused: Counter[str] = field(default_factory=Counter)  # kind and status of what the API refused

    async def run(self, stations: list[Station]) -> None:
        rng = random.Random(f"{self.seed}/operator")
        kinds = ("command", "reservation", "firmware", "logs")
        turn = 0
        while True:
            await asyncio.sleep(OPERATOR_EVERY_S)
            online = [s for s in stations if s.online.is_set() and not s.finishing]
            if not online:
                continue
            station = rng.choice(online)
            kind = kinds[turn % len(kinds)]
            turn += 1
            try:
                self.issued.append(await self._ask(kind, station, rng))
            except ApiError as error:  # a 5xx under faults, a 409 when busy: the operator moves on
                self.refused[f"{kind} {error.status}"] += 1

    async def _ask(self, kind: str, station: Station, rng: random.Random) -> Issued:
        base = f"/charge-points/{station.id}"
        two = station.dialect.schemas != "1.6"
        if kind == "command":
            body = {"action": "TriggerMessage", "payload": {"requestedMessage": "Heartbeat"}}
            answer = await self.api.request("POST", f"{base}/commands", body)
            return Issued(kind, station.id, f"/commands/{answer['commandId']}")
        if kind == "reservation":
            expires = datetime.now(UTC) + timedelta(seconds=RESERVED_FOR_S)
            where = {"evseId": 1} if two else {"connectorId": 1}
            body = {"idToken": rng.choice(self.tags), "expiresAt": expires.isoformat(), **where}
            answer = await self.api.request("POST", f"{base}/reservations", body)
            return Issued(kind, station.id, f"/reservations/{answer['reservationId']}")
        if kind == "firmware":
            # An image nobody serves: the station reports the download failed, an end all the same.
            body = {"location": f"{self.api.base_url}/chaos/firmware-{rng.randrange(10**6)}.bin"}
            answer = await self.api.request("POST", f"{base}/firmware-updates", body)
            return Issued(kind, station.id, f"{base}/firmware-updates/{answer['requestId']}")
        answer = await self.api.request("POST", f"{base}/logs", {"type": "Diagnostics"})
        return Issued(kind, station.id, f"{base}/logs/{answer['requestId']}")


def _ended(kind: str, state: dict[str, Any]) -> tuple[bool, str]:
    if kind == "command":
        return state["status"] != "pending", state["status"]
    if kind == "reservation":
        return state["state"] not in ("pending", "active"), state["state"]
    outcome = state.get("outcome")
    return outcome is not None, str(outcome or state.get("status") or "pending")


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


async def checks(api: OperatorApi, operator: Operator, outcome: Outcome) -> list[Check]:
    found: list[Check] = []
    sessions = outcome.check
    if sessions is not None:
        wrong = sessions.missing + sessions.duplicated + sessions.energy_mismatch + sessions.still_active
        found.append(
            Check(
                "sessions once, energy to the Wh",
                not wrong,
                f"{sessions.found} of {sessions.expected}, {sessions.csms_energy_wh:g} Wh"
                + (f"; {len(wrong)} wrong, first: {wrong[0]}" if wrong else ""),
            )
        )
        found.append(
            Check(
                "analytics equal to the sessions",
                not sessions.analytics_mismatch,
                "; ".join(sessions.analytics_mismatch[:3]) or f"{len(outcome.stations)} stations",
            )
        )
    found.append(_delivered_once(outcome.stations))
    found += await _ended_all(api, operator)
    sites = [site.summary() for site in outcome.sites.sites]
    over = [s for s in sites if s["samplesOver"]]
    found.append(
        Check(
            "no site sample over its limit",
            not over,
            f"{len(sites)} sites" + (f", first over: {over[0]}" if over else ""),
        )
    )
    found.append(await _served(api, outcome))
    return found


def _delivered_once(stations: list[Station]) -> Check:
    calls = Counter[str]()
    for station in stations:
        calls.update(station.answers.received)
    twice = [call for call, n in calls.items() if n > 1]
    return Check(
        "every CSMS call delivered at most once",
        not twice,
        f"{len(calls)} calls" + (f", {len(twice)} twice, first: {twice[0]}" if twice else ""),
    )


async def _ended_all(api: OperatorApi, operator: Operator) -> list[Check]:
    """Each thing the operator asked for reached an end state, waiting for the sweeps."""
    deadline = time.monotonic() + ENDED_WITHIN_S
    waiting = list(operator.issued)
    while waiting:
        still = []
        for issued in waiting:
            done, issued.state = _ended(issued.kind, await api.request("GET", issued.path))
            if not done:
                still.append(issued)
        waiting = still
        if not waiting or time.monotonic() > deadline:
            break
        await asyncio.sleep(2)
    found = []
    for kind in ("command", "reservation", "firmware", "logs"):
        mine = [i for i in operator.issued if i.kind == kind]
        left = [i for i in waiting if i.kind == kind]
        states = Counter(i.state for i in mine)
        refused = sum(n for key, n in operator.refused.items() if key.startswith(kind + " "))
        found.append(
            Check(
                f"every {kind} ended",
                not left,
                f"{len(mine)} asked ({', '.join(f'{s} {n}' for s, n in sorted(states.items()))})"
                + (f", {refused} refused by the API" if refused else "")
                + (f"; {len(left)} not ended, first: {left[0].path}" if left else ""),
            )
        )
    return found


async def _served(api: OperatorApi, outcome: Outcome) -> Check:
    """Every station's queue answered, and none still online in the CSMS's view once all have
    disconnected (every `$disconnect` delivered and kept)."""
    ours = {station.id for station in outcome.stations}
    online: list[str] = []
    for _ in range(10):
        online = [
            item["id"]
            for item in await api.pages("/charge-points")
            if item["id"] in ours and item.get("online")
        ]
        if not online:
            break
        await asyncio.sleep(2)
    left = outcome.stats.undelivered
    return Check(
        "no connection left unserved",
        not online and not left and not outcome.undelivered,
        f"{outcome.stats.connects} connections"
        + (f"; {left} messages unanswered at the end" if left else "")
        + (f"; {len(online)} still online in the CSMS, first: {online[0]}" if online else ""),
    )


def faults_report(ws_url: str) -> dict[str, Any]:
    """What the runtime injected, the SDK's retries, the re-deliveries and dead letters."""
    try:
        with urllib.request.urlopen(ws_url.replace("ws://", "http://", 1) + "/@faults", timeout=10) as answer:
            report: dict[str, Any] = json.load(answer)
            return report
    except urllib.error.HTTPError as error:  # every rate 0: a runtime without faults
        if error.code == 404:
            return {"rates": "none", "seed": None}
        raise


def text(faults: dict[str, Any], outcome: Outcome, api: OperatorApi, found: list[Check]) -> str:
    injected = faults.get("injected", {})
    by_kind = Counter[str]()
    for kind, n in injected.items():
        by_kind[kind.split(" ")[0]] += n
    lines = [
        f"Chaos: faults {faults.get('rates')}, seed {faults.get('seed')}",
        "  Faults injected  "
        + ", ".join(f"{kind} {n}" for kind, n in sorted(by_kind.items()))
        + f"  ({', '.join(f'{k} {n}' for k, n in sorted(injected.items()) if ' ' in k)})",
        "  Retries seen     SDK "
        + (", ".join(f"{k} {n}" for k, n in faults.get("sdkRetries", {}).items()) or "none")
        + f"; async re-deliveries {sum(faults.get('redeliveries', {}).values())}"
        + f", dead letters {len(faults.get('deadLetters', []))}"
        + f"; station resends {outcome.stats.resends}; operator retries {api.retries}",
    ]
    for check in found:
        lines.append(f"  {'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
    lines.append("Chaos: " + ("passed" if all(c.ok for c in found) else "FAILED"))
    return "\n".join(lines)
