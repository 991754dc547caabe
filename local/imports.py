"""How long each function's entry point takes to import in a fresh interpreter: what a cold
start pays before its first event. Measured as Lambda runs it, from compiled bytecode (the
package ships it, docs/decisions/0008), here kept under build/pycache."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYCACHE = ROOT / "build" / "pycache"


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(PYCACHE)}


def import_time(module: str, runs: int = 5) -> float:
    """Median seconds, after one import that compiles what is not compiled yet."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    samples = []
    for _ in range(runs + 1):
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=_environment(),
            cwd=ROOT,
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples[1:])


def entry_points() -> dict[str, str]:
    """Each function of the manifest (and the optional FTP ones) by name: its handler's module."""
    from shared.manifest import ALL_FUNCTIONS, FTP_FUNCTIONS

    return {spec.name: spec.handler.rsplit(".", 1)[0] for spec in (*ALL_FUNCTIONS, *FTP_FUNCTIONS)}


def import_ratios(runs: int = 5) -> tuple[float, dict[str, float]]:
    """`import boto3` alone, and each function's entry point, measured in the same run."""
    base = import_time("boto3", runs)
    return base, {name: import_time(module, runs) for name, module in entry_points().items()}
