"""Charging profiles end to end: `ocpp` package clients of every version are given a profile
through the API, keep it, answer GetCompositeSchedule from it, and have it cleared; the API
shows what each holds and the schedule in amperes and watts."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from ocpp.routing import on
from ocpp.v16 import call_result as result16
from ocpp.v21 import call_result as result21
from ocpp.v201 import call_result as result201

from tests.e2e.conftest import CLIENT_CLASSES, connected

pytestmark = pytest.mark.e2e

RESULTS = {"1.6": result16, "2.0.1": result201, "2.1": result21}


def holding_station(version: str, held: dict[int, Any]) -> type:
    """A station that keeps the profiles it is given and answers its composite schedule with
    the limit of the one on the highest stack level."""
    results = RESULTS[version]

    class Station(CLIENT_CLASSES[version]):  # type: ignore[misc, valid-type]
        @on("SetChargingProfile")
        def on_set(self, **request: Any) -> Any:
            given = request.get("cs_charging_profiles") or request["charging_profile"]
            held[given.get("charging_profile_id", given.get("id"))] = given
            return results.SetChargingProfile(status="Accepted")

        @on("ClearChargingProfile")
        def on_clear(self, **request: Any) -> Any:
            found = held.pop(request.get("id", request.get("charging_profile_id")), None)
            return results.ClearChargingProfile(status="Accepted" if found else "Unknown")

        @on("GetCompositeSchedule")
        def on_composite(self, duration: int, **request: Any) -> Any:
            top = max(held.values(), key=lambda p: p["stack_level"])
            schedule = top["charging_schedule"]
            schedule = schedule[0] if isinstance(schedule, list) else schedule
            periods = [{"start_period": 0, "limit": schedule["charging_schedule_period"][0]["limit"]}]
            start = "2026-12-02T10:00:00Z"
            if version == "1.6":
                return results.GetCompositeSchedule(
                    status="Accepted",
                    connector_id=request["connector_id"],
                    schedule_start=start,
                    charging_schedule={
                        "duration": duration,
                        "charging_rate_unit": "A",
                        "charging_schedule_period": periods,
                    },
                )
            return results.GetCompositeSchedule(
                status="Accepted",
                schedule={
                    "evse_id": request["evse_id"],
                    "duration": duration,
                    "schedule_start": start,
                    "charging_rate_unit": "A",
                    "charging_schedule_period": periods,
                },
            )

    return Station


def profile(version: str, profile_id: int, stack: int, limit: float) -> dict[str, Any]:
    period = [{"startPeriod": 0, "limit": limit}]
    common = {
        "stackLevel": stack,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
    }
    if version == "1.6":
        return {
            "chargingProfileId": profile_id,
            **common,
            "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": period},
        }
    return {
        "id": profile_id,
        **common,
        "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": period}],
    }


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_a_station_is_given_profiles_and_answers_its_schedule(runtime, version):
    cp_id = f"E2E-PROFILES-{version.replace('.', '')}"
    place = {"connectorId": 1} if version == "1.6" else {"evseId": 1}
    held: dict[int, Any] = {}

    def api(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        return runtime.api(method, f"/charge-points/{cp_id}{path}", body)

    async def scenario() -> dict[str, Any]:
        async with connected(runtime, cp_id, version, holding_station(version, held)):
            low = await asyncio.to_thread(
                api, "PUT", "/charging-profiles/1?wait=10", {**place, "profile": profile(version, 1, 0, 32)}
            )
            high = await asyncio.to_thread(
                api, "PUT", "/charging-profiles/2?wait=10", {**place, "profile": profile(version, 2, 1, 10)}
            )
            kept = await asyncio.to_thread(api, "GET", "/charging-profiles")
            schedule = await asyncio.to_thread(api, "GET", "/composite-schedule?evseId=1&duration=900")
            cleared = await asyncio.to_thread(api, "DELETE", "/charging-profiles/2?wait=10")
            after = await asyncio.to_thread(api, "GET", "/charging-profiles")
            return {
                "low": low,
                "high": high,
                "kept": kept,
                "schedule": schedule,
                "cleared": cleared,
                "after": after,
            }

    r = asyncio.run(scenario())
    assert r["low"][0] == 200 and r["high"][0] == 200, (r["low"], r["high"])
    assert [(p["profileId"], p["status"]) for p in r["kept"][1]["items"]] == [
        (2, "Accepted"),
        (1, "Accepted"),
    ]
    status, schedule = r["schedule"]
    assert status == 200 and schedule["status"] == "Accepted"
    assert [(p["limitA"], p["limitW"]) for p in schedule["periods"]] == [(10.0, 6900.0)]
    assert r["cleared"][0] == 200 and r["cleared"][1]["response"]["status"] == "Accepted"
    assert [p["profileId"] for p in r["after"][1]["items"]] == [1] and list(held) == [1]
