"""The local runtime's Powertools under many handler threads: each operator request is answered
for itself, a route's first requests at once leave it whole, each log line carries its own
request's keys, and each invocation publishes its own metrics."""

from __future__ import annotations

import functools
import io
import json
import logging
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from local.runtime import moto_patches, powertools_patches
from tests.builders import CONTEXT, call_api, http

THREADS, REQUESTS = 8, 60


@pytest.fixture
def patched(aws):
    with moto_patches.applied(), powertools_patches.applied():
        yield


@pytest.fixture
def taking_turns(patched):
    """Threads take turns every microsecond, as under load, so that a race shows."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(interval)


def ask(n: int) -> tuple[str, int, str]:
    """A request of its own: a charge point that does not exist, or a path that is no route;
    the 404 names what was asked."""
    path = f"/charge-points/CP-{n}" if n % 2 else f"/no-such-page-{n}"
    status, body = call_api("GET", path)
    return path, status, body["error"]["message"]


def test_concurrent_operator_requests_are_each_answered_for_themselves(taking_turns):
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(pool.map(ask, range(THREADS * REQUESTS)))
    wrong = [
        (path, status, message)
        for path, status, message in answers
        if status != 404 or path.rpartition("/")[2] not in message
    ]
    assert wrong == []


def fresh_resolver() -> Any:
    """A resolver whose route has never been called."""
    from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

    resolver = APIGatewayHttpResolver(enable_validation=True)

    @resolver.get("/charge-points/<charge_point_id>")
    def one(charge_point_id: str) -> dict[str, str]:
        return {"id": charge_point_id}

    return resolver


def asked(resolver: Any, n: int, start: threading.Barrier | None = None) -> tuple[int, str]:
    if start is not None:
        start.wait()  # all at once
    answer = resolver.resolve(http("GET", f"/charge-points/CP-{n}"), CONTEXT)
    return answer["statusCode"], json.loads(answer["body"])["id"]


def test_a_routes_first_requests_at_once_build_it_once(taking_turns):
    """A route's middleware is put together on its first request: many first requests at once,
    on a fresh resolver each round, and every one of them, and every later one, is answered."""
    for _ in range(20):
        resolver, start = fresh_resolver(), threading.Barrier(THREADS)
        with ThreadPoolExecutor(THREADS) as pool:
            answers = list(pool.map(functools.partial(asked, resolver, start=start), range(THREADS)))
        assert answers == [(200, f"CP-{n}") for n in range(THREADS)]
        assert asked(resolver, 99) == (200, "CP-99")


def test_the_resolver_is_as_before_once_the_runtime_stops(aws):
    with powertools_patches.applied():
        call_api("GET", "/charge-points/CP-1")
    status, body = call_api("GET", "/no-such-page")
    assert (status, body["error"]["message"]) == (404, "No route GET /no-such-page")


def test_each_handler_threads_log_lines_carry_its_own_keys(patched):
    from shared.observability import logger

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    logger.addHandler(handler)
    start = threading.Barrier(THREADS)

    def request(n: int) -> None:
        logger.append_keys(request=n)
        start.wait()  # every thread has set its key before any logs
        logger.warning("handled", number=n)  # at any level the tests run at

    try:
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(request, range(THREADS)))
    finally:
        logger.removeHandler(handler)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert sorted((line["request"], line["number"]) for line in lines) == [(n, n) for n in range(THREADS)]
    assert "request" not in logger.get_current_keys()  # the main thread's keys are untouched


def test_each_handler_threads_metrics_are_published_by_it_alone(patched):
    from shared.observability import metrics

    start = threading.Barrier(THREADS)

    def request(n: int) -> list[str]:
        metrics.add_metric(name=f"Handled{n}", unit="Count", value=1)
        start.wait()  # every thread has added its metric before any publishes
        document = metrics.serialize_metric_set()
        metrics.clear_metrics()
        return [m["Name"] for d in document["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]]

    with ThreadPoolExecutor(THREADS) as pool:
        published = list(pool.map(request, range(THREADS)))
    assert published == [[f"Handled{n}"] for n in range(THREADS)]
