"""A run's shape, against a stand-in CSMS: the steady phase reported window by window, each
window with its own messages, CPU and memory, adding up to the steady phase."""

from __future__ import annotations

import asyncio
import os

from local.fleet import plan
from local.fleet.report import build, text
from local.fleet.runner import Options, run
from tests.unit.local.fleet.fake_csms import QUICK, fake_csms


def test_a_soak_reports_its_steady_phase_window_by_window():
    async def scenario():
        async with fake_csms() as csms:
            specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), "soak-")
            # The fake CSMS's own process stands in for a local CSMS's: its memory and CPU are read.
            options = Options(
                csms.url, None, None, specs, life=QUICK, duration_s=3.0, window_s=1.0, csms_pid=os.getpid()
            )
            return options, await run(options)

    options, outcome = asyncio.run(scenario())
    windows = outcome.stats.windows
    assert [round(w.from_s) for w in windows] == [0, 1, 2]
    assert all(w.messages.sent > 0 for w in windows)
    assert sum(w.messages.sent for w in windows) == outcome.stats.phases["steady"].sent
    assert abs(sum(w.seconds for w in windows) - outcome.steady_s) < 0.1
    assert all(w.rss_mb["fleet"] > 10 and w.rss_mb["csms"] > 10 for w in windows)
    assert all(w.cpu_s.keys() == {"fleet", "csms"} for w in windows)

    report = build(options, outcome, "ws://fake")
    assert [w["messagesPerSecond"] > 0 for w in report["windows"]] == [True] * 3
    assert "Steady phase window by window:" in text(report)
