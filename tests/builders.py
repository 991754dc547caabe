"""Builders for what tests send: API Gateway events (a connection, an HTTP API request) and OCPP
payloads of each version, so that a test states only what matters to it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from local.runtime import events
from local.runtime.lambdas import LocalContext
from local.runtime.tls import make_csr as make_csr  # a station's CSR, for the certificate tests
from shared.domain.timestamps import format_timestamp, utc_now
from tests.conftest import GATEWAY_DOMAIN, GATEWAY_STAGE, TEST_API_TOKEN

CONTEXT = LocalContext("test", 256, "arn:aws:lambda:eu-west-1:123456789012:function:test")
V2 = ("2.0.1", "2.1")

# --- API Gateway events -------------------------------------------------------------------


def socket(
    connection_id: str, charge_point_id: str | None = None, version: str = "1.6", tenant: str = "default"
) -> events.Socket:
    """A connection as the gateway sees it; with a charge point, one the authorizer admitted (of
    `tenant`; "": admitted before the authorizer told the tenant)."""
    sock = events.Socket(connection_id, GATEWAY_DOMAIN, GATEWAY_STAGE, "abc123", "192.0.2.1", "pytest")
    if charge_point_id:
        sock.authorizer = {"chargePointId": charge_point_id, "ocppVersion": version, "register": "false"}
        sock.authorizer["tenantId"] = tenant
    return sock


def http(
    method: str, path: str, body: Any = None, token: str | None = TEST_API_TOKEN, query: str = ""
) -> dict[str, Any]:
    """An HTTP API (payload 2.0) request, with the test token unless told otherwise."""
    headers = [("Content-Type", "application/json")]
    if token is not None:
        headers.append(("Authorization", f"Bearer {token}"))
    raw = body.encode() if isinstance(body, str) else json.dumps(body).encode() if body is not None else None
    return events.http_request(method, path, query, headers, raw)


def call_api(method: str, path: str, body: Any = None, **kwargs: Any) -> tuple[int, Any]:
    """The operator API handler's status and JSON body (None when it has none)."""
    from functions.operator_api.handler import lambda_handler as api

    answer = api(http(method, path, body, **kwargs), CONTEXT)
    return answer["statusCode"], json.loads(answer["body"]) if answer.get("body") else None


# --- A station's exchanges ------------------------------------------------------------


def call(station: Any, action: str, payload: dict[str, Any], message_id: str = "m1") -> dict[str, Any]:
    """Send a CALL through the `station` fixture; the CALLRESULT's payload (it must be one)."""
    answer = station([2, message_id, action, payload])
    assert answer[:2] == [3, message_id], answer
    result: dict[str, Any] = answer[2]
    return result


def info(version: str, answer: dict[str, Any]) -> dict[str, Any]:
    """The authorization part of an answer, under its version's key."""
    part: dict[str, Any] = answer["idTagInfo" if version == "1.6" else "idTokenInfo"]
    return part


def put_token(value: str, status: str = "Accepted", **fields: Any) -> None:
    """An entry of the authorization list."""
    from shared.data import id_tokens
    from shared.domain.authorization import AuthorizationStatus, TokenEntry

    id_tokens.put_id_token(TokenEntry(value, AuthorizationStatus(status), **fields), utc_now())


# --- OCPP payloads, by version ------------------------------------------------------------


def wire_time(delta_s: float = 0) -> str:
    return format_timestamp(utc_now() + timedelta(seconds=delta_s))


def boot(version: str) -> dict[str, Any]:
    if version == "1.6":
        return {
            "chargePointVendor": "Acme",
            "chargePointModel": "Volt",
            "chargePointSerialNumber": "S-1",
            "firmwareVersion": "1.0",
        }
    return {
        "reason": "PowerUp",
        "chargingStation": {
            "vendorName": "Acme",
            "model": "Volt",
            "serialNumber": "S-1",
            "firmwareVersion": "1.0",
        },
    }


def status(
    version: str, connector: int, state: str, at: str = "2026-11-24T10:00:00Z", error: str = "NoError"
) -> dict[str, Any]:
    if version == "1.6":
        return {"connectorId": connector, "errorCode": error, "status": state, "timestamp": at}
    return {"evseId": 1, "connectorId": connector, "connectorStatus": state, "timestamp": at}


def authorize(version: str, token: str, token_type: str = "ISO14443") -> dict[str, Any]:
    if version == "1.6":
        return {"idTag": token}
    return {"idToken": {"idToken": token, "type": token_type}}


def start(
    connector: int = 1, id_tag: str = "TAG1", at: str = "2026-11-24T10:00:00Z", meter: int = 1000
) -> dict[str, Any]:
    """OCPP 1.6 StartTransaction."""
    return {"connectorId": connector, "idTag": id_tag, "timestamp": at, "meterStart": meter}


def stop(
    transaction_id: int, meter: int = 8500, at: str = "2026-11-24T11:00:00Z", data: Any = None, **extra: Any
) -> dict[str, Any]:
    """OCPP 1.6 StopTransaction."""
    payload = {"transactionId": transaction_id, "meterStop": meter, "timestamp": at, **extra}
    if data is not None:
        payload["transactionData"] = data
    return payload


def sampled(
    at: str, value: Any, unit: str = "Wh", measurand: str = "Energy.Active.Import.Register", **extra: Any
) -> dict[str, Any]:
    """An OCPP 1.6 MeterValue of one sampled value (values are strings in 1.6)."""
    return {
        "timestamp": at,
        "sampledValue": [{"value": str(value), "unit": unit, "measurand": measurand, **extra}],
    }


def event(
    kind: str,
    seq: int,
    at: str,
    transaction: str = "T-1",
    wh: float | None = None,
    context: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """OCPP 2.x TransactionEvent, with an energy register reading when `wh` is given."""
    payload = {
        "eventType": kind,
        "timestamp": at,
        "triggerReason": {"Started": "Authorized", "Ended": "StopAuthorized"}.get(kind, "MeterValuePeriodic"),
        "seqNo": seq,
        "transactionInfo": {"transactionId": transaction, **extra.pop("info", {})},
        **extra,
    }
    if wh is not None:
        value: dict[str, Any] = {"value": wh, "measurand": "Energy.Active.Import.Register"}
        if context:
            value["context"] = context
        payload["meterValue"] = [{"timestamp": at, "sampledValue": [value]}]
    return payload
