"""Where Powertools keeps on shared objects what Lambda gives each request alone. A Lambda
environment runs one request at a time; the local runtime runs many in threads of one process
(`local.runtime.lambdas.Invoker`), so while it runs, this state lives per thread:

- the HTTP resolver's current event, Lambda context, routing context and middleware frames,
  which `resolve` sets on the class and the instance (two operator requests at once would
  otherwise answer each other's paths, or fail with `KeyError: '_route'`);
- a route's middleware stack, built on its first request: built once, under a lock (two first
  requests at once would wrap it twice, and the route would fail from then on);
- the logger's keys (`inject_lambda_context` and `append_keys`), so that a line carries its
  own request's id and correlation id;
- the metrics not yet published, so that each invocation publishes its own (which is what
  `--count-usage` counts, invocation by invocation).

Applied by the local runtime only; in Lambda, and in tests of the handlers, Powertools runs as
it is. Powertools' own `HttpResolver` keeps its request state per task the same way."""

from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

from aws_lambda_powertools.event_handler.api_gateway import ApiGatewayResolver, BaseRouter, Route
from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter
from aws_lambda_powertools.metrics.provider.cloudwatch_emf.cloudwatch import AmazonCloudWatchEMFProvider

_local = threading.local()

# The resolver's attributes that `resolve` sets up for each request.
_REQUEST_STATE = ("current_event", "lambda_context", "context", "processed_stack_frames")
# What the metrics provider gathers until an invocation publishes it.
_METRICS_STATE = ("metric_set", "dimension_set", "dimension_sets", "metadata_set")


@contextlib.contextmanager
def applied() -> Iterator[None]:
    attributes = {name: _per_request(name) for name in _REQUEST_STATE}
    with (
        mock.patch.multiple(ApiGatewayResolver, create=True, resolve=_resolve_alone(), **attributes),
        mock.patch.object(Route, "_build_middleware_stack", _built_once()),
        mock.patch.object(LambdaPowertoolsFormatter, "log_format", _per_thread("log_format"), create=True),
        mock.patch.multiple(
            AmazonCloudWatchEMFProvider, create=True, **{name: _per_thread(name) for name in _METRICS_STATE}
        ),
    ):
        yield


def _this_threads(kind: str) -> dict[int, Any]:
    """This thread's own state of a kind, by the object it stands in for."""
    kept: dict[int, Any] | None = getattr(_local, kind, None)
    if kept is None:
        kept = {}
        setattr(_local, kind, kept)
    return kept


def _requests() -> dict[int, dict[str, Any]]:
    """This thread's requests in flight, by resolver."""
    return _this_threads("requests")


def _resolve_alone() -> Callable[..., Any]:
    original = ApiGatewayResolver.resolve

    def resolve(self: ApiGatewayResolver, event: dict[str, Any], context: Any) -> Any:
        requests = _requests()
        requests[id(self)] = {
            "current_event": self._to_proxy_event(event),
            "lambda_context": context,
            "context": dict(vars(self).get("context", {})),  # what routers added at import time
            "processed_stack_frames": [],
        }
        try:
            return original(self, event, context)
        finally:
            del requests[id(self)]

    return resolve


def _built_once() -> Callable[..., None]:
    original = Route._build_middleware_stack
    lock = threading.Lock()

    def build(self: Route, router_middlewares: list[Callable[..., Any]], app: ApiGatewayResolver) -> None:
        with lock:
            if not self._middleware_stack_built:  # another request may have built it meanwhile
                original(self, router_middlewares, app)

    return build


def _per_request(name: str) -> property:
    """The attribute from this thread's request when one is in flight, else the instance's
    own (routes and routers are set up at import time, outside any request)."""

    def get(self: ApiGatewayResolver) -> Any:
        state = _requests().get(id(self))
        if state is not None:
            return state[name]
        own = vars(self)
        return own[name] if name in own else getattr(BaseRouter, name)

    def set_(self: ApiGatewayResolver, value: Any) -> None:
        state = _requests().get(id(self))
        if state is not None:
            state[name] = value
        else:
            vars(self)[name] = value

    return property(get, set_)


def _per_thread(name: str) -> property:
    """An attribute that the main thread sets up at import time and that each handler thread
    then keeps a copy of its own, as each Lambda environment does."""

    def get(self: Any) -> Any:
        own = vars(self)[name]
        if threading.current_thread() is threading.main_thread():
            return own
        return _this_threads(name).setdefault(id(self), copy.copy(own))

    def set_(self: Any, value: Any) -> None:
        if threading.current_thread() is threading.main_thread() or name not in vars(self):
            vars(self)[name] = value
        else:
            _this_threads(name)[id(self)] = value

    return property(get, set_)
