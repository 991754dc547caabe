"""The exports fed from a table's stream: the runtime reads the audit table's stream as Lambda's
event source mapping would, invokes the export's function with the new entries (again at the
next poll when it failed), and writes what it puts into Firehose as JSON lines under the data
folder, each entry once."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from local.runtime.lambdas import Invoker
from local.runtime.streams import feeding
from shared.domain.accounts import AuditEntry
from shared.domain.timestamps import utc_now
from shared.manifest import AUDIT_EXPORT, EXPORTS, export_key
from shared.services.accounts import audit

pytestmark = pytest.mark.usefixtures("aws")
AUDIT = next(export for export in EXPORTS if export.function is AUDIT_EXPORT)


def entry(request_id: str, tenant: str | None = "acme") -> AuditEntry:
    return AuditEntry(
        at=utc_now(),
        principal="k1",
        kind="key",
        role="admin",
        tenant_id=tenant,
        source_ip="192.0.2.7",
        method="PUT",
        path="/id-tokens/A1",
        resource="A1",
        status=201,
        request_id=request_id,
    )


class Failing(Invoker):
    """The real functions, the first `failures` invocations failing as a throttled one would."""

    def __init__(self, failures: int = 0) -> None:
        super().__init__(workers=1)
        self.failures = failures
        self.invoked = 0

    async def invoke(self, function, event):
        self.invoked += 1
        if self.failures:
            self.failures -= 1
            raise RuntimeError("throttled")
        return await super().invoke(function, event)


def exported(folder: Path) -> list[dict]:
    return [
        json.loads(line) for path in sorted(folder.rglob("*.jsonl")) for line in path.read_text().splitlines()
    ]


async def written(folder: Path, count: int) -> None:
    """Until `count` lines are in the folder (10 s at most), then a few polls more."""
    for _ in range(200):
        if len(exported(folder)) >= count:
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.2)


def run(invoker: Invoker, folder: Path, during) -> None:
    async def scenario():
        async with feeding(invoker, folder, period_s=0.05):
            await during()

    asyncio.run(scenario())


def test_each_new_audit_entry_is_written_once_under_its_partition(tmp_path: Path):
    async def during():
        assert await asyncio.to_thread(audit.record, entry("r1"))
        await written(tmp_path, 1)
        assert await asyncio.to_thread(audit.record, entry("r2", tenant=None))  # the platform's
        await written(tmp_path, 2)

    invoker = Failing()
    run(invoker, tmp_path, during)
    lines = exported(tmp_path)
    assert [(line["requestId"], line["tenantId"]) for line in lines] == [("r1", "acme"), ("r2", None)]
    assert lines[0]["sourceIp"] == "192.0.2.7" and lines[0]["status"] == 201
    [path] = tmp_path.rglob("*.jsonl")
    assert str(path.relative_to(tmp_path)) == export_key(AUDIT, datetime.now(UTC))
    assert invoker.invoked == 2  # an invocation per poll that found new entries, none otherwise


def test_a_failed_invocation_is_handed_the_same_entries_at_the_next_poll(tmp_path: Path):
    async def during():
        assert await asyncio.to_thread(audit.record, entry("r1"))
        await written(tmp_path, 1)

    invoker = Failing(failures=2)
    run(invoker, tmp_path, during)
    assert [line["requestId"] for line in exported(tmp_path)] == ["r1"]
    assert invoker.invoked == 3
