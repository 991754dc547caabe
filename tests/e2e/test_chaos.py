"""`make chaos`, short and seeded: the fleet and an operator against a runtime injecting every
kind of fault, and every check of docs/faults.md passing, with each kind of fault drawn."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from local.runtime.launch import ROOT

pytestmark = pytest.mark.e2e


def test_a_short_chaos_run_injects_every_kind_of_fault_and_passes_its_checks(tmp_path):
    report_path = tmp_path / "chaos.json"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "local.fleet",
            "chaos",
            "--stations",
            "6",
            "--duration",
            "10",
            "--faults",
            "dynamodb=0.05,post=0.03,events=0.1,timeout=0.03",
            "--faults-seed",
            "4",
            "--json",
            str(report_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    report = json.loads(report_path.read_text())
    injected = report["faults"]["injected"]
    assert {kind.split(" ")[0] for kind in injected} == {"dynamodb", "post", "events", "timeout"}
    assert report["faults"]["sdkRetries"]["dynamodb"] > 0
    checks = {check["name"]: check["ok"] for check in report["checks"]}
    assert len(checks) == 9 and all(checks.values()), checks
    assert report["load"]["sessions"]["started"] > 0
    assert "Chaos: passed" in finished.stdout
