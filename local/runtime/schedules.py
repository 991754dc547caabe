"""The EventBridge schedules, reactions and exports of the manifest, run in process: each
schedule's function is invoked at its rate (or every `period_s`, for tests that cannot wait a
minute); each reaction's or export's rule on the bus forwards to a queue in moto, read here and
handed to its function, or written to the data folder as Firehose would write to S3."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from local.runtime import events
from local.runtime.lambdas import Invoker
from shared.manifest import EXPORTS, REACTIONS, SCHEDULES, Export, Reaction, Schedule, export_key
from shared.observability import logger


async def run_schedule(invoker: Invoker, schedule: Schedule, period_s: float | None) -> None:
    period = period_s or schedule.rate_minutes * 60
    while True:
        await asyncio.sleep(period)
        try:
            await invoker.invoke(schedule.function, events.scheduled(schedule.name))
        except Exception:  # a failed run is logged; the next one comes all the same
            logger.exception("Scheduled task failed", extra={"schedule": schedule.name})


POLL_S = 0.2


def rule_queue(name: str, detail_types: tuple[str, ...]) -> tuple[Any, str]:
    """The queue a rule on the bus forwards to (made once), and an SQS client to read it."""
    import boto3

    from shared.settings import get_settings

    settings = get_settings()
    sqs = boto3.client("sqs", region_name=settings.region, endpoint_url=settings.events_endpoint)
    bridge = boto3.client("events", region_name=settings.region, endpoint_url=settings.events_endpoint)
    url = sqs.create_queue(QueueName=f"rule-{name}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["csms"], "detail-type": list(detail_types)}
    bridge.put_rule(Name=name, EventBusName=settings.event_bus, EventPattern=json.dumps(pattern))
    bridge.put_targets(Rule=name, EventBusName=settings.event_bus, Targets=[{"Id": "local", "Arn": arn}])
    return sqs, url


Handle = Callable[[dict[str, Any]], Awaitable[None]]


async def drain(name: str, detail_types: tuple[str, ...], handle: Handle) -> None:
    """Every event of these types, handed to `handle` as it comes, up to ten at once (as
    concurrent Lambda invocations would take them); one that fails is logged and dropped, as
    the cloud drops it after its retries."""
    sqs, url = await asyncio.to_thread(rule_queue, name, detail_types)

    async def one(message: dict[str, Any]) -> None:
        try:
            await handle(json.loads(message["Body"]))
        except Exception:
            logger.exception("Handling an event failed", extra={"rule": name})
        await asyncio.to_thread(sqs.delete_message, QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    while True:
        try:
            answer = await asyncio.to_thread(sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=10)
            messages = answer.get("Messages", [])
            await asyncio.gather(*(one(message) for message in messages))
        except Exception:  # the queue stays; the next poll takes what is left
            logger.exception("Reading a rule's queue failed", extra={"rule": name})
            messages = []
        if not messages:
            await asyncio.sleep(POLL_S)


async def run_reaction(invoker: Invoker, reaction: Reaction) -> None:
    async def handle(event: dict[str, Any]) -> None:
        await invoker.invoke(reaction.function, event)

    await drain(reaction.name, reaction.detail_types, handle)


async def run_export(export: Export, folder: Path) -> None:
    """What Firehose would deliver to the exports bucket: each event's detail as a JSON line,
    under the export's prefix and the UTC hour it was put on the bus."""

    async def handle(event: dict[str, Any]) -> None:
        await asyncio.to_thread(append_line, folder, export, event)

    await drain(f"export-{export.name}", export.detail_types, handle)


def append_line(folder: Path, export: Export, event: dict[str, Any]) -> Path:
    moment = datetime.fromisoformat(str(event.get("time") or datetime.now(UTC).isoformat()))
    target = folder / export_key(export, moment)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as file:
        file.write(json.dumps(event.get("detail") or {}, separators=(",", ":")) + "\n")
    return target


@contextlib.asynccontextmanager
async def running(
    invoker: Invoker, period_s: float | None, react: bool = True, exports: Path | None = None
) -> AsyncIterator[None]:
    """Every schedule and reaction of the manifest, as the cloud's EventBridge rules run them
    (`react`: the reactions too, which need the runtime's moto), and the exports into
    `exports`."""
    tasks = [asyncio.create_task(run_schedule(invoker, s, period_s)) for s in SCHEDULES]
    if react:
        tasks += [asyncio.create_task(run_reaction(invoker, r)) for r in REACTIONS]
    if exports is not None:
        tasks += [asyncio.create_task(run_export(e, exports)) for e in EXPORTS]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
