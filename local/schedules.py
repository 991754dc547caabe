"""The EventBridge schedules of the manifest, run in process: each schedule's function is
invoked at its rate (or every `period_s`, for tests that cannot wait a minute)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from local import events
from local.lambdas import Invoker
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
async def running(invoker: Invoker, period_s: float | None) -> AsyncIterator[None]:
    """Every schedule of the manifest, as the cloud's EventBridge rules run them."""
    tasks = [asyncio.create_task(run_schedule(invoker, s, period_s)) for s in SCHEDULES]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
