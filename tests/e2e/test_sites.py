"""Load balancing end to end: `ocpp` clients of 1.6, 2.0.1 and 2.1 on one 32 A site. Each
session that starts gets a TxProfile with its share, the shares never add up past 32 A, and
when one session ends the others rise; an OpenADR event from a VTN halving the site's limit
halves the shares from its interval's start; a 2.x EV that says when it leaves gets a schedule
to its departure. The allocator runs on the domain events, through the bus, as in the cloud,
and the VEN on the runtime's schedule."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from local.standins.vtn import VtnFixture
from tests.e2e.conftest import CLIENT_CLASSES, VEN_CLIENT, connected

pytestmark = pytest.mark.e2e

CALLS = {"1.6": call16, "2.0.1": call201, "2.1": call21}
RESULTS = {"1.6": result16, "2.0.1": result201, "2.1": result21}
VERSIONS = ("1.6", "2.0.1", "2.1")


def obeying_station(version: str, limits: list[float], schedules: list[dict[str, Any]] | None = None) -> type:
    """A station that accepts profiles and notes each TxProfile's limit (and its schedule)."""
    results = RESULTS[version]

    class Station(CLIENT_CLASSES[version]):  # type: ignore[misc, valid-type]
        @on("SetChargingProfile")
        def on_set(self, **request: Any) -> Any:
            profile = request.get("cs_charging_profiles") or request["charging_profile"]
            schedule = profile["charging_schedule"]
            schedule = schedule[0] if isinstance(schedule, list) else schedule
            if profile["charging_profile_purpose"] == "TxProfile":
                limits.append(float(schedule["charging_schedule_period"][0]["limit"]))  # 1.6 reads a Decimal
                if schedules is not None:
                    schedules.append({**schedule, "kind": profile["charging_profile_kind"]})
            return results.SetChargingProfile(status="Accepted")

    return Station


async def start_session(station: Any, version: str, tag: str) -> str:
    now = datetime.now(UTC).isoformat()
    if version == "1.6":
        answer = await station.call(
            call16.StartTransaction(connector_id=1, id_tag=tag, meter_start=0, timestamp=now)
        )
        return str(answer.transaction_id)
    tid = f"{station.id}-T"
    await station.call(
        CALLS[version].TransactionEvent(
            event_type="Started",
            timestamp=now,
            trigger_reason="Authorized",
            seq_no=0,
            transaction_info={"transaction_id": tid, "charging_state": "Charging"},
            evse={"id": 1, "connector_id": 1},
            id_token={"id_token": tag, "type": "ISO14443"},
        )
    )
    return tid


async def end_session(station: Any, version: str, tid: str) -> None:
    now = datetime.now(UTC).isoformat()
    if version == "1.6":
        await station.call(call16.StopTransaction(transaction_id=int(tid), meter_stop=1000, timestamp=now))
        return
    await station.call(
        CALLS[version].TransactionEvent(
            event_type="Ended",
            timestamp=now,
            trigger_reason="EVCommunicationLost",
            seq_no=1,
            transaction_info={"transaction_id": tid, "stopped_reason": "EVDisconnected"},
        )
    )


async def until(predicate: Any, timeout: float = 20) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        value = predicate()
        if value:
            return value
        await asyncio.sleep(0.1)
    return predicate()


def capacity_event(start: datetime, kw: float) -> dict[str, Any]:
    return {
        "programID": "program-1",
        "intervalPeriod": {"start": start.isoformat(), "duration": "PT1H"},
        "payloadDescriptors": [{"payloadType": "IMPORT_CAPACITY_LIMIT", "units": "KW"}],
        "intervals": [{"id": 0, "payloads": [{"type": "IMPORT_CAPACITY_LIMIT", "values": [kw]}]}],
    }


def test_three_stations_share_a_32_amp_site(runtime):
    vtn = VtnFixture(*VEN_CLIENT)
    vtn.add_program("e2e-capacity")
    vtn_url = vtn.start()
    ids = {v: f"E2E-SITE-{v.replace('.', '')}" for v in VERSIONS}
    for cp in ids.values():
        assert runtime.api("PUT", f"/charge-points/{cp}", {})[0] in (200, 201)
    assert runtime.api("PUT", "/id-tokens/E2E-SITE", {"status": "Accepted"})[0] in (200, 201)
    body = {
        "limit": {"amps": 32},
        "minAmpsPerSession": 6,
        "chargePoints": list(ids.values()),
        "openadr": {"vtnUrl": vtn_url, "programName": "e2e-capacity", "credentials": "e2e"},
    }
    assert runtime.api("PUT", "/sites/e2e-site", body)[0] in (200, 201)
    limits: dict[str, list[float]] = {v: [] for v in VERSIONS}
    schedules: list[dict[str, Any]] = []

    def allocation() -> dict[str, Any]:
        return runtime.api("GET", "/sites/e2e-site/allocation")[1]

    async def allocation_when(settled: Any) -> dict[str, Any]:
        """The allocation is kept once its profiles are out: the stations may hear of it first."""
        kept = await asyncio.to_thread(allocation)
        for _ in range(50):
            if settled(kept):
                break
            await asyncio.sleep(0.1)
            kept = await asyncio.to_thread(allocation)
        return kept

    async def scenario() -> dict[str, Any]:
        async with (
            connected(runtime, ids["1.6"], "1.6", obeying_station("1.6", limits["1.6"])) as s16,
            connected(
                runtime, ids["2.0.1"], "2.0.1", obeying_station("2.0.1", limits["2.0.1"], schedules)
            ) as s201,
            connected(runtime, ids["2.1"], "2.1", obeying_station("2.1", limits["2.1"])) as s21,
        ):
            stations = {"1.6": s16, "2.0.1": s201, "2.1": s21}
            tids = {}
            for version, station in stations.items():
                tids[version] = await start_session(station, version, "E2E-SITE")
            three = await until(lambda: all(limits[v][-1:] == [10.6] for v in VERSIONS))
            shared = await asyncio.to_thread(allocation)
            await end_session(s16, "1.6", tids["1.6"])
            risen = await until(lambda: limits["2.0.1"][-1:] == [16.0] and limits["2.1"][-1:] == [16.0])
            after = await allocation_when(lambda kept: len(kept["sessions"]) == 2)

            # The grid halves the site's limit (11.04 kW on three phases: 16 A) from 3 s on.
            begins = datetime.now(UTC) + timedelta(seconds=3)
            vtn.add_event(capacity_event(begins, 11.04))
            halved = await until(lambda: limits["2.0.1"][-1:] == [8.0] and limits["2.1"][-1:] == [8.0])
            halved_at = datetime.now(UTC)
            under_grid = await allocation_when(lambda kept: kept["limitAmps"] == 16.0)

            # The 2.0.1 EV leaves in two hours and wants 5.52 kWh (4 A): it is held at the
            # site's minimum of 6 A until then, and the 2.1 session gets the other 10.
            leaves = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
            needs = await s201.call(
                call201.NotifyEVChargingNeeds(
                    evse_id=1,
                    charging_needs={
                        "requested_energy_transfer": "AC_three_phase",
                        "departure_time": leaves.isoformat(),
                        "ac_charging_parameters": {
                            "energy_amount": 5520,
                            "ev_min_current": 6,
                            "ev_max_current": 32,
                            "ev_max_voltage": 400,
                        },
                    },
                )
            )
            scheduled = await until(lambda: limits["2.0.1"][-1:] == [6.0] and limits["2.1"][-1:] == [10.0])
            return {
                "three": three,
                "shared": shared,
                "risen": risen,
                "after": after,
                "halved": halved,
                "late_s": (halved_at - begins).total_seconds(),
                "under_grid": under_grid,
                "needs": needs.status,
                "scheduled": scheduled,
                "leaves": leaves,
            }

    try:
        r = asyncio.run(scenario())
    finally:
        vtn.stop()
    assert r["three"], limits
    assert max(r["shared"]["perPhaseAmps"]) <= 32 and len(r["shared"]["sessions"]) == 3
    assert r["risen"], limits
    assert [s["amps"] for s in r["after"]["sessions"]] == [16.0, 16.0]
    assert r["halved"], limits
    assert 0 <= r["late_s"] < 10  # from the interval's start, at the schedule's pace (1 s here)
    assert (r["under_grid"]["limitAmps"], r["under_grid"]["siteLimitAmps"]) == (16.0, 32.0)
    assert r["under_grid"]["gridLimit"]["watts"] == 11040
    assert r["needs"] == "Accepted" and r["scheduled"], limits
    schedule = schedules[-1]
    assert schedule["kind"] == "Absolute" and abs(schedule["duration"] - 7200) < 30
    for version in VERSIONS:  # never, at any moment it was told, above what the site allows
        assert all(limit <= 32 for limit in limits[version])
