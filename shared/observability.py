"""Powertools logger, metrics and tracer, configured by the environment (POWERTOOLS_*)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

SERVICE = "csms"
NAMESPACE = "CSMS"

logger = Logger(service=SERVICE)
metrics = Metrics(namespace=NAMESPACE, service=SERVICE)
tracer = Tracer(service=SERVICE)
