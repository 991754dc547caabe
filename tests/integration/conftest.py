"""Handlers against moto: stored state, and the frames posted to connections."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from moto import mock_aws

from tests.conftest import GATEWAY_DOMAIN, GATEWAY_STAGE, TEST_API_TOKEN


class LambdaContextStub:
    function_name = "test"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:test"
    aws_request_id = "00000000-0000-0000-0000-000000000000"


CONTEXT = LambdaContextStub()


@dataclass
class Posted:
    """What the handlers sent through the connection management API."""

    frames: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    def to(self, connection_id: str) -> list[Any]:
        return [json.loads(data) for cid, data in self.frames if cid == connection_id]


@pytest.fixture
def aws() -> Iterator[None]:
    with mock_aws():
        from shared.data.models import create_tables

        create_tables()
        yield


@pytest.fixture
def posted(aws: None) -> Iterator[Posted]:
    """Record every post and delete at the botocore level (moto concatenates posts)."""
    record = Posted()

    def on_post(params: dict[str, Any], **_: Any) -> None:
        record.frames.append((params["ConnectionId"], params["Data"].decode()))

    def on_delete(params: dict[str, Any], **_: Any) -> None:
        record.closed.append(params["ConnectionId"])

    from shared.connections import connections_at

    connections_at.cache_clear()
    session_events = boto3._get_default_session().events
    session_events.register("provide-client-params.apigatewaymanagementapi.PostToConnection", on_post)
    session_events.register("provide-client-params.apigatewaymanagementapi.DeleteConnection", on_delete)
    yield record
    session_events.unregister("provide-client-params.apigatewaymanagementapi.PostToConnection", on_post)
    session_events.unregister("provide-client-params.apigatewaymanagementapi.DeleteConnection", on_delete)
    connections_at.cache_clear()


def request_context(connection_id: str, route: str, event_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "routeKey": route,
        "eventType": event_type,
        "connectionId": connection_id,
        "domainName": GATEWAY_DOMAIN,
        "stage": GATEWAY_STAGE,
        "apiId": "abc123",
        "requestId": "req-1",
        "connectedAt": 1_700_000_000_000,
        "identity": {"sourceIp": "192.0.2.1"},
        **extra,
    }


def authorizer_context(charge_point_id: str, version: str, register: bool = False) -> dict[str, Any]:
    return {"chargePointId": charge_point_id, "ocppVersion": version, "register": str(register).lower()}


def authorizer_event(
    charge_point_id: str | None,
    subprotocols: str | None,
    authorization: str | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    all_headers = dict(headers or {})
    if subprotocols is not None:
        all_headers["Sec-WebSocket-Protocol"] = subprotocols
    if authorization is not None:
        all_headers["Authorization"] = authorization
    return {
        "type": "REQUEST",
        "methodArn": "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/$connect",
        "headers": all_headers,
        "multiValueHeaders": {k: [v] for k, v in all_headers.items()},
        "queryStringParameters": {"chargePointId": charge_point_id} if charge_point_id else {},
        "requestContext": request_context("conn-x", "$connect", "CONNECT"),
    }


def connect_event(
    connection_id: str, charge_point_id: str, version: str, register: bool = False
) -> dict[str, Any]:
    return {
        "headers": {"Sec-WebSocket-Protocol": f"ocpp{version}"},
        "requestContext": request_context(
            connection_id,
            "$connect",
            "CONNECT",
            authorizer=authorizer_context(charge_point_id, version, register),
        ),
        "isBase64Encoded": False,
    }


def message_event(
    connection_id: str, charge_point_id: str, version: str, body: str | bytes
) -> dict[str, Any]:
    binary = isinstance(body, bytes)
    return {
        "requestContext": request_context(
            connection_id, "$default", "MESSAGE", authorizer=authorizer_context(charge_point_id, version)
        ),
        "body": base64.b64encode(body).decode() if binary else body,
        "isBase64Encoded": binary,
    }


def disconnect_event(connection_id: str, charge_point_id: str, version: str) -> dict[str, Any]:
    return {
        "requestContext": request_context(
            connection_id,
            "$disconnect",
            "DISCONNECT",
            authorizer=authorizer_context(charge_point_id, version),
            disconnectStatusCode=1000,
            disconnectReason="Client closed",
        ),
    }


def http_event(
    method: str, path: str, body: Any = None, token: str | None = TEST_API_TOKEN, query: str = ""
) -> dict:
    """An API Gateway HTTP API (payload format 2.0) event."""
    headers = {"content-type": "application/json"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    params = dict(part.split("=", 1) for part in query.split("&")) if query else None
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "queryStringParameters": params,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "api123",
            "domainName": "api123.execute-api.eu-west-1.amazonaws.com",
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "192.0.2.9",
                "userAgent": "t",
            },
            "requestId": "r1",
            "routeKey": "$default",
            "stage": "$default",
            "time": "24/Nov/2026:10:00:00 +0000",
            "timeEpoch": 1_795_000_000_000,
        },
        "body": json.dumps(body) if body is not None and not isinstance(body, str) else body,
        "isBase64Encoded": False,
    }
