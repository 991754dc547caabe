"""How long each function's entry point takes to import in a fresh interpreter: what a cold
start pays before its first event. Measured as Lambda runs it, from compiled bytecode (the
package ships it, docs/decisions/0008), here kept under build/pycache."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYCACHE = ROOT / "build" / "pycache"


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(PYCACHE)}


def import_time(modules: str) -> float:
    """Seconds to import `modules` (comma-separated) in a fresh interpreter."""
    code = f"import time; t = time.perf_counter(); import {modules}; print(time.perf_counter() - t)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_environment(), cwd=ROOT
    )
    return float(out.stdout.strip())


def footprint_mb(modules: str, then: str = "") -> float:
    """The peak resident memory of a fresh interpreter once `modules` are imported (and `then`
    has run): what a warm environment of the function holds before its first event's data."""
    code = f"import {modules}; {then or 'pass'}; "
    # The high-water mark of this process image (ru_maxrss would keep the parent's from the fork).
    code += (
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')) / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=_environment(), cwd=ROOT
    )
    return float(out.stdout.strip())


# A warm environment has made its clients (their service models are megabytes), and the
# router's holds every action module it has met: all of them, at worst.
CLIENTS = (
    "from shared.aws.clients import make_client; "
    "[make_client(s, 'eu-west-1') for s in ('dynamodb', 'events', 'apigatewaymanagementapi')]"
)
LOADED_LATER = {"ocpp-router": "from functions.ocpp_router.actions import load_all; load_all()"}


def footprints() -> dict[str, float]:
    return {
        name: footprint_mb(module, "; ".join(filter(None, (CLIENTS, LOADED_LATER.get(name)))))
        for name, module in entry_points().items()
    }


def entry_points() -> dict[str, str]:
    """Each function of the manifest (and the optional FTP ones) by name: its handler's module."""
    from shared.manifest import ALL_FUNCTIONS, FTP_FUNCTIONS

    return {spec.name: spec.handler.rsplit(".", 1)[0] for spec in (*ALL_FUNCTIONS, *FTP_FUNCTIONS)}


# A cold start of the router whose first frame is a TransactionEvent: its action's module, and
# the data layer it brings, load with that frame (docs/decisions/0027).
FIRST_FRAME = {
    "ocpp-router + first TransactionEvent": "functions.ocpp_router.handler, "
    "functions.ocpp_router.actions.transactions.transaction_event",
}


def import_ratios(runs: int = 5) -> tuple[float, dict[str, float]]:
    """`import boto3` alone, and each function's entry point: the median of `runs`, taken in
    turns (boto3, then each module) so that the machine's drift touches all alike, after a
    first round that compiles what is not compiled yet."""
    targets = {"boto3": "boto3", **entry_points(), **FIRST_FRAME}
    samples: dict[str, list[float]] = {name: [] for name in targets}
    for round_ in range(runs + 1):
        for name, modules in targets.items():
            seconds = import_time(modules)
            if round_:
                samples[name].append(seconds)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    return medians.pop("boto3"), medians
