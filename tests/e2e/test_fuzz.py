"""The running runtime under seeded fuzz frames: schema-drawn frames mutated off their schemas,
and frames at the sizes and counts a station may choose (seqNo, requestId, ids, list lengths
at their maxima). Every CALL is answered, the runtime's memory stays within a stated budget, and
what the operator API shows of those stations stays readable and bounded."""

import asyncio
import json
import urllib.request
from pathlib import Path

import pytest
import websockets

from tests.e2e.conftest import TOKEN
from tests.fuzzing import MAX_MESSAGE_BYTES, Fuzzer

pytestmark = pytest.mark.e2e

MEMORY_BUDGET_MB = 300  # what the runtime may grow by over the whole run, imports included
BODY_BUDGET_BYTES = 2 * 1024 * 1024  # one GET of a charge point's state or of a page
SIZED_FRAMES, MUTATED_FRAMES = 100, 200  # per version
VERSIONS = {"1.6": "E2E-FUZZ-16", "2.0.1": "E2E-FUZZ-201", "2.1": "E2E-FUZZ-21"}
SEEDS = {"1.6": 1016, "2.0.1": 1201, "2.1": 1021}


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


async def drive(url, version, frames):
    """Sends each frame, and waits for the answer of each the runtime must answer."""
    internal = []
    async with websockets.connect(url, subprotocols=[f"ocpp{version}"], max_size=None) as ws:
        for frame in frames:
            await ws.send(frame.text)
            while frame.answered:
                answer = json.loads(await asyncio.wait_for(ws.recv(), 30))
                if answer[0] in (3, 4) and frame.message_id in (None, answer[1]):
                    break  # a call of the CSMS's own is left unanswered
            else:
                continue
            if answer[0] == 4 and answer[2] == "InternalError":
                internal.append((frame.text[:200], answer))
        await ws.send(json.dumps([2, "last", "Heartbeat", {}]))
        while (answer := json.loads(await asyncio.wait_for(ws.recv(), 30)))[:2] != [3, "last"]:
            pass
    return internal


def refuse(token):
    raise AssertionError(f"the API answered {token}, which is not JSON")


def get_text(runtime, path):
    request = urllib.request.Request(runtime.api_url + path, headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def test_station_numbers_and_fuzz_frames_leave_the_runtime_answering_within_its_memory(runtime):
    before = rss_mb(runtime.pid)
    for version, charge_point_id in VERSIONS.items():
        fuzzer = Fuzzer(seed=SEEDS[version])
        frames = [*fuzzer.sized_frames(version, SIZED_FRAMES), *fuzzer.frames(version, MUTATED_FRAMES)]
        # Over the gateway's limit a frame closes the connection (tests/e2e/test_bad_input.py).
        frames = [frame for frame in frames if len(frame.text.encode()) <= MAX_MESSAGE_BYTES]
        internal = asyncio.run(drive(runtime.ocpp_url(charge_point_id), version, frames))
        assert not internal, f"{version}: {len(internal)} InternalErrors, e.g. {internal[:3]}"
    grown = rss_mb(runtime.pid) - before
    assert grown <= MEMORY_BUDGET_MB, f"the runtime grew by {grown:.0f} MB"

    status, spec = get_text(runtime, "/openapi.json")
    reads = [
        path
        for path, item in json.loads(spec)["paths"].items()
        if "get" in item
        and path.count("{") == 1
        and "{charge_point_id}" in path
        and all(
            p["in"] == "path" or (not p.get("required") and p["name"] not in ("wait", "refresh"))
            for p in item["get"].get("parameters", [])
        )
    ]
    assert reads
    for charge_point_id in VERSIONS.values():
        for path in reads:
            status, body = get_text(runtime, path.replace("{charge_point_id}", charge_point_id))
            assert status == 200 and len(body) <= BODY_BUDGET_BYTES, (path, status, len(body))
            json.loads(body, parse_constant=refuse)
