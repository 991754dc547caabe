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
from typing import Any

from local.runtime import events
from local.runtime.bus import RETRY_DELAYS_S, cancelled, delivered_with_retries, delivering
from local.runtime.lambdas import Invoker
from local.runtime.streams import feeding
from shared.manifest import SCHEDULES, Schedule


async def run_schedule(
    invoker: Invoker,
    schedule: Schedule,
    period_s: float | None,
    retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
) -> None:
    """A schedule's target is invoked asynchronously: a failed run is retried (as a reaction
    is), and the next one comes all the same."""
    period = period_s or schedule.rate_minutes * 60

    async def deliver(event: dict[str, Any]) -> None:
        await invoker.invoke(schedule.function, event)

    while True:
        await asyncio.sleep(period)
        await delivered_with_retries(deliver, events.scheduled(schedule.name), schedule.name, retry_delays)


@contextlib.asynccontextmanager
async def running(
    invoker: Invoker,
    period_s: float | None,
    react: bool = True,
    exports: Path | None = None,
    retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
) -> AsyncIterator[None]:
    """Every schedule and reaction of the manifest, as the cloud's EventBridge rules run them
    (`react`: the reactions too, which need the runtime's moto), and the exports into
    `exports`."""
    tasks = [asyncio.create_task(run_schedule(invoker, s, period_s, retry_delays)) for s in SCHEDULES]
    try:
        async with contextlib.AsyncExitStack() as running_too:
            if react or exports is not None:
                await running_too.enter_async_context(delivering(invoker, exports, react, retry_delays))
            if exports is not None:
                await running_too.enter_async_context(feeding(invoker, exports))
            yield
    finally:
        await cancelled(tasks)
