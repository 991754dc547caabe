"""The bus's rules, delivered by the runtime itself.

In the cloud a rule's targets cost the handlers nothing: EventBridge hands each event to its
reactions' functions (Lambda's asynchronous invocations) and to the exports' Firehose streams.
Here moto still answers PutEvents and keeps the rules with their targets, as the stack makes
them, for other tools to look at; but moto's own delivery (a queue per rule, read by polling,
whose every read walks the whole queue) grew with any backlog. So a rule's match in moto is
handed straight to the runtime: each target has an in-memory queue and a few workers, so that a
backlog costs memory, not time on the path of charge points' frames.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from moto.events.models import Rule

from local.runtime import events
from local.runtime.faults import active as active_faults
from local.runtime.lambdas import Invoker
from shared.manifest import EXPORTS, REACTIONS, Export, Reaction, export_key
from shared.observability import logger

# Lambda retries a failed asynchronous invocation twice, after about one minute and then two.
RETRY_DELAYS_S = (60.0, 120.0)
# Concurrent invocations per reaction; an export writes its lines one at a time, in order.
REACTION_WORKERS = 4

Deliver = Callable[[dict[str, Any]], Awaitable[None]]


def function_arn(reaction: Reaction) -> str:
    return f"arn:aws:lambda:{events.REGION}:{events.ACCOUNT_ID}:function:csms-{reaction.function.name}"


def stream_arn(export: Export) -> str:
    return f"arn:aws:firehose:{events.REGION}:{events.ACCOUNT_ID}:deliverystream/csms-{export.name}"


class Target:
    """One rule's target: the events its rule matched, and the workers that deliver them."""

    def __init__(self, rule: str, deliver: Deliver, workers: int, retry_delays: tuple[float, ...]) -> None:
        self.rule = rule
        self._deliver = deliver
        self._workers = workers
        self._retry_delays = retry_delays
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._loop = asyncio.get_running_loop()
        self.delivered = 0
        self.dropped = 0

    def put(self, event: dict[str, Any]) -> None:
        """From any thread: moto matches rules in the handler's thread that put the event."""
        self._loop.call_soon_threadsafe(self._queue.put_nowait, event)

    @property
    def backlog(self) -> int:
        return self._queue.qsize()

    async def run(self) -> None:
        await asyncio.gather(*(self._work() for _ in range(self._workers)))

    async def _work(self) -> None:
        while True:
            event = await self._queue.get()
            await self._attempt(event)

    async def _attempt(self, event: dict[str, Any]) -> None:
        if await delivered_with_retries(self._deliver, event, self.rule, self._retry_delays):
            self.delivered += 1
        else:
            self.dropped += 1


async def delivered_with_retries(
    deliver: Deliver, event: dict[str, Any], target: str, retry_delays: tuple[float, ...]
) -> bool:
    """Lambda's asynchronous invocation: tried, then again after each delay; what still fails
    goes to the failure destination (here the runtime's dead-letter list, with faults on)."""
    faults = active_faults()
    for retry, delay in enumerate((0.0, *retry_delays)):
        if delay:
            await asyncio.sleep(delay)
            if faults is not None:
                faults.count(target, faults.redeliveries)
        try:
            await deliver(event)
        except Exception as error:
            last = retry == len(retry_delays)
            logger.exception(
                "Handling an event failed"
                + (", sent to its failure destination" if last else ", to be retried"),
                extra={"rule": target, "event": event.get("id"), "attempt": retry + 1},
            )
            if last and faults is not None:
                faults.dead_letter(target, event, repr(error))
            continue
        return True
    return False


class LocalBus:
    """The manifest's reactions and exports as the bus's rules, with the runtime as their targets."""

    def __init__(
        self,
        invoker: Invoker,
        exports: Path | None,
        react: bool = True,
        retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
    ) -> None:
        self.targets: dict[str, Target] = {}
        self._rules: list[tuple[str, tuple[str, ...], str]] = []
        if react:
            for reaction in REACTIONS:
                arn = function_arn(reaction)
                self.targets[arn] = Target(
                    reaction.name, _invoking(invoker, reaction), REACTION_WORKERS, retry_delays
                )
                self._rules.append((reaction.name, reaction.detail_types, arn))
        if exports is not None:
            for export in (export for export in EXPORTS if export.detail_types):
                arn = stream_arn(export)
                self.targets[arn] = Target(f"export-{export.name}", _writing(exports, export), 1, ())
                self._rules.append((f"export-{export.name}", export.detail_types, arn))

    def create_rules(self) -> None:
        """The rules and targets the stack makes, in moto's EventBridge."""
        import boto3

        from shared.settings import get_settings

        settings = get_settings()
        bridge = boto3.client("events", region_name=settings.region, endpoint_url=settings.events_endpoint)
        for name, detail_types, arn in self._rules:
            pattern = {"source": ["csms"], "detail-type": list(detail_types)}
            bridge.put_rule(Name=name, EventBusName=settings.event_bus, EventPattern=json.dumps(pattern))
            bridge.put_targets(
                Rule=name, EventBusName=settings.event_bus, Targets=[{"Id": "local", "Arn": arn}]
            )

    @contextlib.contextmanager
    def receiving(self) -> Iterator[None]:
        """moto's rules hand what they match to these targets (others' targets, moto's own way)."""
        original = Rule.send_to_targets
        targets = self.targets

        def send_to_targets(rule: Rule, event: dict[str, Any], transform_input: bool = True) -> None:
            ours = [targets[t["Arn"]] for t in rule.targets if t["Arn"] in targets]
            if not ours:
                original(rule, event, transform_input)
            elif rule.event_pattern.matches_event(event):
                delivered = as_delivered(event)
                for target in ours:
                    target.put(delivered)

        with mock.patch.object(Rule, "send_to_targets", send_to_targets):
            yield


def as_delivered(event: dict[str, Any]) -> dict[str, Any]:
    """The event as EventBridge hands it to a target: its time in ISO 8601 (moto keeps seconds)."""
    delivered = {key: value for key, value in event.items() if key != "ingestion-time"}
    moment = event.get("time")
    if isinstance(moment, int | float):
        delivered["time"] = datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    elif isinstance(moment, datetime):
        delivered["time"] = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return delivered


def _invoking(invoker: Invoker, reaction: Reaction) -> Deliver:
    async def deliver(event: dict[str, Any]) -> None:
        await invoker.invoke(reaction.function, event)

    return deliver


def _writing(folder: Path, export: Export) -> Deliver:
    async def deliver(event: dict[str, Any]) -> None:
        await asyncio.to_thread(append_line, folder, export, event)

    return deliver


def append_line(folder: Path, export: Export, event: dict[str, Any]) -> Path:
    """What Firehose would deliver to the exports bucket: the event's detail as a JSON line,
    under the export's prefix and the UTC hour it was put on the bus."""
    moment = datetime.fromisoformat(str(event.get("time") or datetime.now(UTC).isoformat()))
    target = folder / export_key(export, moment)
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as file:
        file.write(json.dumps(event.get("detail") or {}, separators=(",", ":")) + "\n")
    return target


@contextlib.asynccontextmanager
async def delivering(
    invoker: Invoker,
    exports: Path | None,
    react: bool = True,
    retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
) -> AsyncIterator[LocalBus]:
    """The bus's rules made and their targets served, for as long as the block runs."""
    bus = LocalBus(invoker, exports, react, retry_delays)
    await asyncio.to_thread(bus.create_rules)
    tasks = [asyncio.create_task(target.run()) for target in bus.targets.values()]
    try:
        with bus.receiving():
            yield bus
    finally:
        await cancelled(tasks)


async def cancelled(tasks: list[asyncio.Task[None]]) -> None:
    """Every task cancelled, and each waited for until it has stopped."""
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError):
            await task
