"""Invoking the manifest's handlers in process, off the event loop, as Lambda would."""

from __future__ import annotations

import asyncio
import functools
import importlib
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from local.runtime.faults import Faults
from local.runtime.usage import UsageCounter
from shared.manifest import Function

Handler = Callable[[dict[str, Any], Any], Any]


@dataclass
class LocalContext:
    """The parts of Lambda's context object that Powertools reads."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = ""
    log_stream_name: str = ""

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 10_000


class Invoker:
    """Handlers run in worker threads: they make blocking calls (DynamoDB, and the management
    API, which this same process serves on its event loop). Each function has workers of its
    own, as each Lambda function has its own concurrency in the cloud: operator requests that
    wait for an answer never hold up a charge point's frames. A few workers each (moto answers
    one call at a time, and every thread contends for one interpreter lock), more for a function
    whose invocations wait on charge points (`waiting`)."""

    def __init__(
        self,
        workers: int = 8,
        counter: UsageCounter | None = None,
        waiting: tuple[Function, ...] = (),
        waiting_workers: int = 32,
        faults: Faults | None = None,
    ) -> None:
        self._workers = {function.name: waiting_workers for function in waiting}
        self._default_workers = workers
        self.counter = counter
        self.faults = faults
        self._pools: dict[str, ThreadPoolExecutor] = {}
        self._handlers: dict[str, Handler] = {}

    def _pool(self, function: Function) -> ThreadPoolExecutor:
        pool = self._pools.get(function.name)
        if pool is None:
            workers = self._workers.get(function.name, self._default_workers)
            pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=function.name)
            self._pools[function.name] = pool
        return pool

    def _resolve(self, function: Function) -> Handler:
        handler = self._handlers.get(function.name)
        if handler is None:
            module, _, name = function.handler.rpartition(".")
            handler = getattr(importlib.import_module(module), name)
            self._handlers[function.name] = handler
        return handler

    def preload(self, functions: tuple[Function, ...]) -> None:
        for function in functions:
            self._resolve(function)

    async def invoke(self, function: Function, event: dict[str, Any]) -> Any:
        handler = self._resolve(function)
        context = LocalContext(
            function_name=f"csms-{function.name}",
            memory_limit_in_mb=function.memory_mb,
            invoked_function_arn=f"arn:aws:lambda:eu-west-1:123456789012:function:csms-{function.name}",
        )
        if self.counter is not None:
            handler = functools.partial(_counted, self.counter, function.name, handler)
        if self.faults is not None:
            handler = functools.partial(_faulted, self.faults, function.name, handler)
        return await asyncio.get_running_loop().run_in_executor(self._pool(function), handler, event, context)

    def shutdown(self) -> None:
        for pool in self._pools.values():
            pool.shutdown(wait=False, cancel_futures=True)


def _counted(counter: UsageCounter, name: str, handler: Handler, event: dict[str, Any], context: Any) -> Any:
    with counter.invocation(name, event):
        return handler(event, context)


def _faulted(faults: Faults, name: str, handler: Handler, event: dict[str, Any], context: Any) -> Any:
    with faults.invocation(name):
        return handler(event, context)
