"""The EventBridge schedules and reactions of the manifest, run in process: each schedule's
function is invoked at its rate (or every `period_s`, for tests that cannot wait a minute);
each reaction's rule on the bus forwards to a queue in moto, read here and handed to its
function, one event at a time."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from local import events
from local.lambdas import Invoker
from shared.manifest import REACTIONS, SCHEDULES, Reaction, Schedule
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


def reaction_queue(reaction: Reaction) -> tuple[Any, str]:
    """The queue a reaction's rule forwards to (made once), and an SQS client to read it."""
    import boto3

    from shared.settings import get_settings

    settings = get_settings()
    sqs = boto3.client("sqs", region_name=settings.region, endpoint_url=settings.events_endpoint)
    bridge = boto3.client("events", region_name=settings.region, endpoint_url=settings.events_endpoint)
    url = sqs.create_queue(QueueName=f"reaction-{reaction.name}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    pattern = {"source": ["csms"], "detail-type": list(reaction.detail_types)}
    bridge.put_rule(Name=reaction.name, EventBusName=settings.event_bus, EventPattern=json.dumps(pattern))
    bridge.put_targets(
        Rule=reaction.name, EventBusName=settings.event_bus, Targets=[{"Id": "local", "Arn": arn}]
    )
    return sqs, url


async def run_reaction(invoker: Invoker, reaction: Reaction) -> None:
    sqs, url = await asyncio.to_thread(reaction_queue, reaction)
    while True:
        try:
            answer = await asyncio.to_thread(sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=10)
            messages = answer.get("Messages", [])
            # Up to ten at once, as concurrent Lambda invocations would take them.
            await asyncio.gather(*(react(invoker, reaction, sqs, url, message) for message in messages))
        except Exception:  # the queue stays; the next poll takes what is left
            logger.exception("Reading a reaction's queue failed", extra={"reaction": reaction.name})
            messages = []
        if not messages:
            await asyncio.sleep(POLL_S)


async def react(invoker: Invoker, reaction: Reaction, sqs: Any, url: str, message: dict[str, Any]) -> None:
    try:
        await invoker.invoke(reaction.function, json.loads(message["Body"]))
    except Exception:  # the cloud retries twice, then drops it; so does this
        logger.exception("Reaction failed", extra={"reaction": reaction.name})
    await asyncio.to_thread(sqs.delete_message, QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


@contextlib.asynccontextmanager
async def running(invoker: Invoker, period_s: float | None, react: bool = True) -> AsyncIterator[None]:
    """Every schedule and reaction of the manifest, as the cloud's EventBridge rules run them
    (`react`: the reactions too, which need the runtime's moto)."""
    tasks = [asyncio.create_task(run_schedule(invoker, s, period_s)) for s in SCHEDULES]
    if react:
        tasks += [asyncio.create_task(run_reaction(invoker, r)) for r in REACTIONS]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
