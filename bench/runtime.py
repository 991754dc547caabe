"""The local runtime's own cost, beside its budgets: CPU per station message while a small
fleet charges, and CPU per domain event through the local bus. A regression shows here, in the
next bench, rather than as a load run that no longer holds (docs/scale.md)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

# The runtime's CPU per station message in a small fleet's steady phase (every version,
# sessions and meter values; moto, the handlers, the WebSocket front door); a core at 100%
# serves 1,000 / budget messages a second. Today's cost (7 to 8 ms) with room for the machine's
# noise: at 10 ms, the 400 busy stations of the README's capacity table (87 messages a second)
# still take under 90% of a core.
FLEET_CPU_MS_PER_MESSAGE = 10.0
FLEET = ("--stations", "30", "--duration", "60", "--ramp", "10", "--meter-interval", "10")
# One SessionEnded put on the bus and handed to each rule that matches (three targets).
BUS_CPU_MS_PER_EVENT = 3.0
BUS_EVENTS = 300


def measure_fleet() -> dict[str, Any]:
    """A short load run against a runtime of its own; its report's steady phase."""
    with tempfile.TemporaryDirectory(prefix="csms-bench-") as folder:
        report_path = Path(folder) / "report.json"
        run = subprocess.run(
            [sys.executable, "-m", "local.fleet", "load", *FLEET, "--json", str(report_path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if not report_path.exists():
            raise RuntimeError(f"the fleet run wrote no report:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
        report: dict[str, Any] = json.loads(report_path.read_text())
    csms = report["steadyCpu"].get("csms") or {}
    steady = report["phases"]["steady"]
    return {
        "stations": report["stations"],
        "messages_per_s": report["steadyMessagesPerSecond"],
        "cpu_ms": float(csms.get("msPerMessage", 0.0)),
        "core_share": float(csms.get("coreShare", 0.0)),
        "p99_ms": steady.get("p99Ms"),
        "ok": report["ok"],
    }


def measure_bus() -> float:
    """CPU per event from PutEvents to every matching target's delivery, in process."""
    from moto import mock_aws

    from local.runtime import botocore_patches, moto_patches
    from local.runtime.aws import create_resources
    from local.runtime.bus import delivering
    from shared.aws.event_bus import DomainEvent, publish

    class Taking:
        async def invoke(self, function: Any, event: dict[str, Any]) -> None:
            return None

    async def run(folder: Path) -> float:
        async with delivering(Taking(), folder) as bus:  # type: ignore[arg-type]
            started = time.process_time()
            for n in range(BUS_EVENTS):
                publish(
                    DomainEvent.SESSION_ENDED, {"transaction_id": f"bench-{n}", "energy_wh": n}, "default"
                )
            while sum(t.delivered for t in bus.targets.values()) < BUS_EVENTS * 3:
                await asyncio.sleep(0.001)
            return (time.process_time() - started) * 1000 / BUS_EVENTS

    with (
        mock_aws(),
        moto_patches.applied(),
        botocore_patches.applied(),
        tempfile.TemporaryDirectory(prefix="csms-bench-") as folder,
    ):
        create_resources()
        return asyncio.run(run(Path(folder)))
