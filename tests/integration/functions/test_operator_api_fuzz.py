"""Fuzzing the operator API: every operation of the OpenAPI document it serves, with requests
drawn from its schemas and mutated off them. No request gets a 5xx, every refusal says why, and
nothing stored afterwards holds a number JSON cannot carry or breaks a later read.

Seeded (derandomized): the same requests on every run. CSMS_API_FUZZ_EXAMPLES sets how many
per operation (a longer run: CSMS_API_FUZZ_EXAMPLES=200)."""

import json
import os
from decimal import Decimal
from typing import Any

import boto3
from hypothesis import HealthCheck, Phase, given, settings

from functions.connect.handler import lambda_handler as connect
from local.runtime import events
from tests.api_fuzzing import Operation, Request, operations, requests
from tests.builders import CONTEXT, call_api, socket
from tests.conftest import TEST_API_TOKEN

EXAMPLES = int(os.environ.get("CSMS_API_FUZZ_EXAMPLES", "8"))
# Charge points the requests name most of the time, so that routes get past "not found":
# a connected one of each version, and one never connected.
CHARGE_POINTS = {"FZ16": "1.6", "FZ201": "2.0.1", "FZ21": "2.1", "FZOFF": None}


def test_no_request_breaks_the_operator_api_or_what_it_stores(aws, posted):
    for number, (charge_point_id, version) in enumerate(CHARGE_POINTS.items()):
        assert call_api("PUT", f"/charge-points/{charge_point_id}", {})[0] in (200, 201)
        if version:
            connect(events.connect(socket(f"c{number}", charge_point_id, version), [], []), CONTEXT)
    spec = call_api("GET", "/openapi.json", token=None)[1]
    faults: list[str] = []
    for operation in operations(spec):
        exercise(operation, spec, faults)
    assert not faults, f"{len(faults)} faults, e.g.\n" + "\n".join(faults[:10])

    non_finite = [found for table in _tables() for found in _non_finite(table)]
    assert not non_finite, non_finite[:10]

    # A stored value cannot break a later read: every list answers, as strict JSON.
    for charge_point_id in CHARGE_POINTS:  # registered again, should a DELETE have removed it
        call_api("PUT", f"/charge-points/{charge_point_id}", {})
    for operation in operations(spec):
        # A driver's own lists are a driver's to read (tests/integration/functions/test_drivers.py)
        if operation.method != "GET" or not _a_list(operation) or operation.path.startswith("/driver/"):
            continue
        for charge_point_id in CHARGE_POINTS if "{charge_point_id}" in operation.path else [""]:
            path = operation.path.replace("{charge_point_id}", charge_point_id)
            status, body, _ = _send(Request("GET", path, "", None))
            assert status == 200, (path, body[:300])
            json.loads(body, parse_constant=_refuse)


def exercise(operation: Operation, spec: dict[str, Any], faults: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(requests(operation, spec, list(CHARGE_POINTS)))
    def run(request: Request) -> None:
        fault = _fault(request, waits="wait=" in request.query and "504" in operation.spec["responses"])
        if fault:
            faults.append(
                f"{operation.name}: {fault} <- {request.method} {request.path}?{request.query} "
                f"{(request.body or '')[:300]}"
            )

    run()


def _fault(request: Request, waits: bool) -> str | None:
    try:
        status, body, content_type = _send(request)
    except Exception as error:  # the Lambda itself failed: API Gateway answers 500
        return f"raised {error!r}"
    if status >= 500 and not (status == 504 and waits):  # no station answers here: a 504 is the command
        return f"{status} {body[:300]}"
    if status < 400 and not content_type.startswith("application/json"):
        return None  # a document the route serves (a day's reconciliation as CSV, a receipt)
    try:
        answer = json.loads(body, parse_constant=_refuse) if body else None
    except (ValueError, AssertionError) as error:
        return f"{status} with a body that is not strict JSON ({error}): {body[:300]}"
    if 400 <= status < 500:
        message = (answer or {}).get("error", {}).get("message") if isinstance(answer, dict) else None
        if not message:
            return f"{status} without a reason: {body[:300]}"
    return None


def _send(request: Request) -> tuple[int, str, str]:
    from functions.operator_api.handler import lambda_handler as api

    headers = [("Content-Type", "application/json"), ("Authorization", f"Bearer {TEST_API_TOKEN}")]
    raw = request.body.encode("utf-8", "surrogatepass") if request.body else None
    answer = api(events.http_request(request.method, request.path, request.query, headers, raw), CONTEXT)
    headers_out = {k.lower(): v for k, v in (answer.get("headers") or {}).items()}
    return answer["statusCode"], answer.get("body") or "", headers_out.get("content-type", "application/json")


def _a_list(operation: Operation) -> bool:
    """A GET that names at most a charge point and needs no query: a list, or one's state (not a
    call to the station, which answers only while it is connected)."""
    parameters = operation.spec.get("parameters", [])
    return all(p["name"] != "wait" for p in parameters) and all(
        (p["in"] == "path" and p["name"] == "charge_point_id")
        or (p["in"] == "query" and not p.get("required"))
        for p in parameters
    )


def _tables() -> list[str]:
    client = boto3.client("dynamodb")
    return [name for page in client.get_paginator("list_tables").paginate() for name in page["TableNames"]]


def _non_finite(table: str) -> list[str]:
    client = boto3.client("dynamodb")
    found = []
    for page in client.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            for name, value in item.items():
                if not _finite(value):
                    found.append(f"{table}: {name} = {str(value)[:200]}")
    return found


def _finite(value: dict[str, Any]) -> bool:
    """A DynamoDB value, and any JSON text it holds, without infinity or NaN, and with numbers
    DynamoDB can keep (moto keeps any): 38 digits at most, magnitudes from 1e-130 to below 1e126."""
    ((kind, held),) = value.items()
    if kind == "N":
        return _keepable(Decimal(held))
    if kind == "NS":
        return all(_keepable(Decimal(number)) for number in held)
    if kind == "M":
        return all(_finite(item) for item in held.values())
    if kind == "L":
        return all(_finite(item) for item in held)
    if kind == "S" and held[:1] in ("{", "["):
        try:
            json.loads(held, parse_constant=_refuse)
        except AssertionError:
            return False
        except ValueError:
            return True  # text that only looks like JSON
    return True


def _keepable(number: Decimal) -> bool:
    if not number.is_finite():
        return False
    digits = number.normalize().as_tuple().digits
    return number == 0 or (len(digits) <= 38 and Decimal("1e-130") <= abs(number) < Decimal("1e126"))


def _refuse(token: str) -> Any:
    raise AssertionError(f"{token} is not JSON")
