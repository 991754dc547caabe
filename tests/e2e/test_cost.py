"""What the cost model reads: a runtime started with --count-usage tallies each frame of real
`ocpp` clients of every version under its kind, with the messages and units it cost."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request

import pytest

from tests.e2e.conftest import start_runtime
from tests.e2e.test_charge_points import CLIENTS, run_station

pytestmark = pytest.mark.e2e


def usage_of(runtime):
    url = runtime.ws_url.replace("ws://", "http://", 1) + "/@usage"
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def test_a_counting_runtime_tallies_every_versions_frames_and_handshakes(tmp_path):
    launched, runtime = start_runtime(tmp_path, "--count-usage")
    try:
        for version in CLIENTS:
            cp_id = f"COST-{version.replace('.', '')}"
            asyncio.run(run_station(runtime.ocpp_url(cp_id), cp_id, version, [f"ocpp{version}"]))
        kinds = usage_of(runtime)["kinds"]
    finally:
        launched.stop()
    for version in CLIENTS:
        boot, beat = kinds[f"{version} BootNotification"], kinds[f"{version} Heartbeat"]
        assert boot["invocations"] == beat["invocations"] == 1
        # A frame in and its answer out, each one WebSocket message.
        assert (boot["messages_in"], boot["messages_out"]) == (1, 1) and boot["bytes_out"] > 50
        assert boot["write_units"] >= 1 and boot["events"] == 1  # kept, and ChargePointBooted
        assert (beat["write_units"], beat["read_units"], beat["events"]) == (0, 0, 0)  # no write
        assert beat["calls"] == {"apigatewaymanagementapi": 1}
        statuses = kinds[f"{version} StatusNotification"]
        assert statuses["invocations"] == 2 and statuses["write_units"] >= 2
    for function in ("authorizer", "connect"):
        assert kinds[function]["invocations"] == 3 and kinds[function]["log_bytes"]["INFO"] > 0
    assert kinds["authorizer"]["write_units"] == 0 and kinds["authorizer"]["read_units"] >= 1.5


def test_a_runtime_counts_nothing_unless_asked(runtime):
    with pytest.raises(urllib.error.HTTPError) as refused:
        usage_of(runtime)
    assert refused.value.code == 404
