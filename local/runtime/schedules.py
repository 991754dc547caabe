"""The EventBridge schedules, reactions and exports of the manifest, run in process: each
schedule's function is invoked at its rate (or every `period_s`, for tests that cannot wait a
minute); each reaction's or export's rule on the bus hands what it matches to its function, or
to the data folder as Firehose would write to S3 (`local/runtime/bus.py`); an export fed from a
table's stream has its function invoked with the new items (`local/runtime/streams.py`)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from local.runtime import events
from local.runtime.bus import cancelled, delivering
from local.runtime.lambdas import Invoker
from local.runtime.streams import feeding
from shared.manifest import SCHEDULES, Schedule
from shared.observability import logger


async def run_schedule(invoker: Invoker, schedule: Schedule, period_s: float | None) -> None:
    period = period_s or schedule.rate_minutes * 60
    while True:
        await asyncio.sleep(period)
        try:
            await invoker.invoke(schedule.function, events.scheduled(schedule.name))
        except Exception:  # a failed run is logged; the next one comes all the same
            logger.exception("Scheduled task failed", extra={"schedule": schedule.name})


@contextlib.asynccontextmanager
async def running(
    invoker: Invoker, period_s: float | None, react: bool = True, exports: Path | None = None
) -> AsyncIterator[None]:
    """Every schedule and reaction of the manifest, as the cloud's EventBridge rules run them
    (`react`: the reactions too, which need the runtime's moto), and the exports into
    `exports`."""
    tasks = [asyncio.create_task(run_schedule(invoker, s, period_s)) for s in SCHEDULES]
    try:
        async with contextlib.AsyncExitStack() as running_too:
            if react or exports is not None:
                await running_too.enter_async_context(delivering(invoker, exports, react))
            if exports is not None:
                await running_too.enter_async_context(feeding(invoker, exports))
            yield
    finally:
        await cancelled(tasks)
