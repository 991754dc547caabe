"""Powertools logger and metrics, configured by the environment (POWERTOOLS_*). A tracer is
built only by a function that traces (the operator API): building one imports the X-Ray SDK,
about 200 ms of a cold start that the OCPP router does not pay."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

SERVICE = "csms"
NAMESPACE = "CSMS"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)

LambdaHandler = Callable[[dict[str, Any], Any], Any]


def publish_metrics(handler: LambdaHandler) -> LambdaHandler:
    """`metrics.log_metrics`, except that with metrics disabled (locally, in tests) the metric
    set is still emptied after each invocation: Powertools 3.37 keeps it otherwise, so it
    grows without bound and prints itself every 100 data points."""
    published = metrics.log_metrics(handler)

    @functools.wraps(handler)
    def invoke(event: dict[str, Any], context: Any) -> Any:
        try:
            return published(event, context)
        finally:
            if is_metrics_disabled():
                metrics.clear_metrics()

    return invoke
