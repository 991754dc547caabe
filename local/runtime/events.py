"""API Gateway events as the real service shapes them (WebSocket API and HTTP API payload 2.0).

The local runtime builds every event it hands a handler here, and the tests build theirs
here too, so that what the handlers are tested with is what they get locally.
"""

from __future__ import annotations

import base64
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote_plus

ACCOUNT_ID = "123456789012"
REGION = "eu-west-1"


@dataclass
class Socket:
    """What API Gateway knows of one WebSocket connection."""

    connection_id: str
    domain_name: str
    stage: str
    api_id: str
    source_ip: str
    user_agent: str
    connected_at_ms: int = field(default_factory=lambda: int(time.time() * 1000))
    # The authorizer's context, handed to every later route of the connection.
    authorizer: dict[str, Any] = field(default_factory=dict)


def _request_time(now_ms: int) -> str:
    return datetime.fromtimestamp(now_ms / 1000, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000")


def _ws_request_context(socket: Socket, route: str, event_type: str, **extra: Any) -> dict[str, Any]:
    now_ms = int(time.time() * 1000)
    context = {
        "routeKey": route,
        "eventType": event_type,
        "extendedRequestId": uuid.uuid4().hex[:16],
        "requestTime": _request_time(now_ms),
        "messageDirection": "IN",
        "stage": socket.stage,
        "connectedAt": socket.connected_at_ms,
        "requestTimeEpoch": now_ms,
        "identity": {"sourceIp": socket.source_ip, "userAgent": socket.user_agent},
        "requestId": uuid.uuid4().hex[:16],
        "domainName": socket.domain_name,
        "connectionId": socket.connection_id,
        "apiId": socket.api_id,
        **extra,
    }
    if socket.authorizer:  # empty until the authorizer has allowed the connection
        context["authorizer"] = dict(socket.authorizer)
    return context


def _value_maps(pairs: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, list[str]]]:
    """API Gateway's single-value map (the last value wins) and multi-value map."""
    single: dict[str, str] = {}
    multi: dict[str, list[str]] = {}
    for name, value in pairs:
        single[name] = value
        multi.setdefault(name, []).append(value)
    return single, multi


def _query_maps(query: list[tuple[str, str]]) -> tuple[dict[str, str] | None, dict[str, list[str]] | None]:
    """As headers, except that API Gateway sends null rather than empty maps."""
    return _value_maps(query) if query else (None, None)


def authorizer_request(
    socket: Socket, headers: list[tuple[str, str]], query: list[tuple[str, str]]
) -> dict[str, Any]:
    """The REQUEST authorizer event of a $connect."""
    single, multi = _value_maps(headers)
    query_single, query_multi = _query_maps(query)
    return {
        "type": "REQUEST",
        "methodArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{socket.api_id}/{socket.stage}/$connect",
        "headers": single,
        "multiValueHeaders": multi,
        "queryStringParameters": query_single,
        "multiValueQueryStringParameters": query_multi,
        "stageVariables": {},
        "requestContext": _ws_request_context(socket, "$connect", "CONNECT"),
    }


def connect(socket: Socket, headers: list[tuple[str, str]], query: list[tuple[str, str]]) -> dict[str, Any]:
    single, multi = _value_maps(headers)
    query_single, query_multi = _query_maps(query)
    return {
        "headers": single,
        "multiValueHeaders": multi,
        "queryStringParameters": query_single,
        "multiValueQueryStringParameters": query_multi,
        "requestContext": _ws_request_context(socket, "$connect", "CONNECT"),
        "isBase64Encoded": False,
    }


def message(socket: Socket, body: str | bytes) -> dict[str, Any]:
    binary = isinstance(body, bytes)
    return {
        "requestContext": _ws_request_context(socket, "$default", "MESSAGE", messageId=uuid.uuid4().hex[:16]),
        "body": base64.b64encode(body).decode() if binary else body,
        "isBase64Encoded": binary,
    }


def disconnect(socket: Socket, status_code: int, reason: str) -> dict[str, Any]:
    return {
        "headers": {},
        "multiValueHeaders": {},
        "requestContext": _ws_request_context(
            socket, "$disconnect", "DISCONNECT", disconnectStatusCode=status_code, disconnectReason=reason
        ),
        "isBase64Encoded": False,
    }


def http_request(
    method: str,
    path: str,
    raw_query: str,
    headers: list[tuple[str, str]],
    body: bytes | None,
    source_ip: str = "127.0.0.1",
    domain_name: str = "127.0.0.1",
) -> dict[str, Any]:
    """An HTTP API event, payload format 2.0: lower-case headers, repeated ones comma-joined."""
    joined: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in headers:
        key = name.lower()
        if key == "cookie":
            cookies.extend(part.strip() for part in value.split(";"))
            continue
        joined[key] = f"{joined[key]},{value}" if key in joined else value
    query: dict[str, str] = {}
    for part in filter(None, raw_query.split("&")):
        name, _, value = part.partition("=")
        name, value = unquote_plus(name), unquote_plus(value)
        query[name] = f"{query[name]},{value}" if name in query else value
    now_ms = int(time.time() * 1000)
    text_body: str | None = None
    binary = False
    if body:
        try:
            text_body = body.decode("utf-8")
        except UnicodeDecodeError:
            text_body, binary = base64.b64encode(body).decode(), True
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": joined,
        "requestContext": {
            "accountId": ACCOUNT_ID,
            "apiId": "local",
            "domainName": domain_name,
            "domainPrefix": domain_name.split(".")[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": source_ip,
                "userAgent": joined.get("user-agent", ""),
            },
            "requestId": uuid.uuid4().hex[:16],
            "routeKey": "$default",
            "stage": "$default",
            "time": _request_time(now_ms),
            "timeEpoch": now_ms,
        },
        "isBase64Encoded": binary,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if text_body is not None:
        event["body"] = text_body
    return event


def scheduled(rule_name: str) -> dict[str, Any]:
    """What an EventBridge schedule hands its target."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule_name}"],
        "detail": {},
    }


def http_authorizer_request(request: dict[str, Any]) -> dict[str, Any]:
    """What an HTTP API's Lambda authorizer (REQUEST, payload 2.0) gets for this request."""
    headers = request.get("headers") or {}
    method = request["requestContext"]["http"]["method"]
    return {
        "version": "2.0",
        "type": "REQUEST",
        "routeArn": f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:local/$default/{method}{request['rawPath']}",
        "identitySource": [headers.get("authorization", "")],
        "routeKey": request["routeKey"],
        "rawPath": request["rawPath"],
        "rawQueryString": request["rawQueryString"],
        "headers": headers,
        "queryStringParameters": request.get("queryStringParameters"),
        "requestContext": request["requestContext"],
    }
