"""Test environment: fixed before any project module reads its settings."""

from __future__ import annotations

import os

TEST_API_TOKEN = "test-token-0123456789abcdef"
GATEWAY_DOMAIN = "abc123.execute-api.eu-west-1.amazonaws.com"
GATEWAY_STAGE = "prod"

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_REGION": "eu-west-1",
        "CSMS_API_TOKEN": TEST_API_TOKEN,
        "CSMS_CONNECTIONS_ENDPOINT": f"https://{GATEWAY_DOMAIN}/{GATEWAY_STAGE}",
        "CSMS_TABLE_PREFIX": "test-",
        # The tests' responders and providers listen on this machine, as the local runtime's do.
        "CSMS_OUTSIDE_PRIVATE": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("CSMS_DYNAMODB_ENDPOINT", None)
