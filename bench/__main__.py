"""`make bench`: what each OCPP message costs the router, against the budgets in docs/architecture.md.

Per message and OCPP version: the median CPU time of one `$default` invocation in process
(the handler plus moto answering its AWS calls, so an upper bound on the router's own
share), and the DynamoDB reads and writes it makes, counted at the botocore boundary. Then
every function's import in a fresh interpreter from compiled bytecode, a proxy for its cold
start, beside `import boto3` in the same run (local/tools/imports.py). Exits 1 if any message
exceeds its DynamoDB budget.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from local.tools.imports import import_ratios

ENV = {
    "AWS_ACCESS_KEY_ID": "bench",
    "AWS_SECRET_ACCESS_KEY": "bench",
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "CSMS_API_TOKEN": "bench-token-0123456789",
    "CSMS_CONNECTIONS_ENDPOINT": "https://bench.execute-api.eu-west-1.amazonaws.com/prod",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "ERROR",
}
os.environ.update(ENV)

ROUNDS = 200
TAG = "BENCH-TAG"

Payload = Callable[[int, str], dict[str, Any]]  # (round, now) -> payload


@dataclass(frozen=True)
class Case:
    """One message, sent ROUNDS times: `payload(n, now)` gives the n-th copy. `budget` is
    The budget's (reads, writes) at most; None where there is none."""

    label: str
    action: str
    payload: Payload
    budget: tuple[int, int] | None
    # Before each message, not counted: what the operator did first (an update asked for).
    setup: Callable[[str, int], None] | None = None
    # Sent while a default tariff prices sessions (decision 0023), or while there is none.
    priced: bool = False
    # 2: a CALL; 6: 2.1's SEND, never answered.
    message_type: int = 2


def open_request(kind: str) -> Callable[[str, int], None]:
    """A request the 1.6 status of round n speaks of (1.6 names none: its latest is meant)."""

    def setup(charge_point_id: str, n: int) -> None:
        from shared.data import maintenance
        from shared.domain.maintenance import Kind, Origin
        from shared.domain.timestamps import utc_now

        maintenance.open_request(charge_point_id, Kind(kind), n + 1, Origin.OPERATOR, {}, utc_now())

    return setup


def sampled_16(wh: int, now: str) -> list[dict[str, Any]]:
    return [{"timestamp": now, "sampledValue": [{"value": str(wh), "unit": "Wh"}]}]


def sampled_2x(wh: int, now: str) -> list[dict[str, Any]]:
    return [{"timestamp": now, "sampledValue": [{"value": wh}]}]


def start_16(n: int, now: str) -> dict[str, Any]:
    """The n-th of ROUNDS distinct starts (the same n gives the same start: a resend)."""
    return {
        "connectorId": 1,
        "idTag": TAG,
        "timestamp": f"2026-11-24T10:{n // 60:02d}:{n % 60:02d}Z",
        "meterStart": 0,
    }


def transaction_event(kind: str, seq: int, prefix: str = "bench") -> Payload:
    def payload(n: int, now: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "eventType": kind,
            "timestamp": now,
            "triggerReason": "MeterValuePeriodic",
            "seqNo": seq,
            "transactionInfo": {"transactionId": f"{prefix}-{n}"},
            "meterValue": sampled_2x(1000 * (seq + 1), now),
        }
        if kind == "Started":
            message["evse"] = {"id": 1, "connectorId": 1}
            message["idToken"] = {"idToken": TAG, "type": "ISO14443"}
        return message

    return payload


TARIFF = {
    "currency": "EUR",
    "vatRate": 20,
    "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.3}, {"type": "FLAT", "price": 1}]}],
    "text": [{"language": "en", "text": "0.30 EUR/kWh"}],
    "assignedTo": {"default": True},
}


def priced(on: bool, charge_point_id: str) -> None:
    """A default tariff, or none; a 1.6 station that says it shows costs."""
    from shared.data import configuration
    from shared.domain.configuration import ConfigurationValue
    from shared.domain.timestamps import utc_now
    from shared.services.tariff_and_cost import tariffs

    if on:
        tariffs.put("bench", TARIFF, utc_now())
        shows = ConfigurationValue("CustomDisplayCostAndPrice", "true", True)
        configuration.put_configuration(charge_point_id, [shows], utc_now())
    elif any(t.tariff_id == "bench" for t in tariffs.list_all()):
        tariffs.delete("bench")
    tariffs.all_tariffs()  # a warm function has the list: it reads it once a minute


def security_event(n: int, now: str) -> dict[str, Any]:
    return {"type": "InvalidMessages", "timestamp": f"2026-11-24T10:{n // 60:02d}:{n % 60:02d}Z"}


def data_transfer(n: int, now: str) -> dict[str, Any]:
    return {"vendorId": "com.bench", "messageId": "reading", "data": str(n)}


# Certificates: a CSR (a new one each round) is stored once before the answer; a certificate's
# status is read from what was kept, and asked of its responder only the first time.
_CSRS: dict[int, str] = {}


def new_csr(charge_point_id: str, n: int) -> None:
    from local.runtime.tls import make_csr

    _CSRS[n] = make_csr(charge_point_id)[0]


SIGN_CERTIFICATE = Case(
    "SignCertificate", "SignCertificate", lambda n, now: {"csr": _CSRS[n]}, (0, 1), new_csr
)


_SERVING = contextlib.ExitStack()  # the local responder, until the measuring ends


@functools.cache
def ocsp_request_data() -> dict[str, Any]:
    """The hashes of a certificate a local responder (local.standins.pki) answers for, serving from now on."""
    from local.runtime.tls import make_csr
    from local.standins.pki import Responder, serving
    from shared.domain.certificates import CertificateUse
    from shared.domain.client_certificates import IdentityAttribute
    from shared.domain.timestamps import utc_now
    from shared.domain.x509 import check_csr, hash_data, issue, new_authority

    ca = new_authority("Bench V2G Root", utc_now())
    request = check_csr(make_csr("SECC")[0], CertificateUse.V2G, "-", IdentityAttribute.COMMON_NAME)
    leaf = issue(request, ca, utc_now(), 30)
    url = _SERVING.enter_context(serving(Responder(ca.certificate, ca.key)))
    return {**hash_data(leaf, ca.certificate), "responderURL": f"{url}/ocsp"}


CERTIFICATE_STATUS = Case(
    "GetCertificateStatus",
    "GetCertificateStatus",
    lambda n, now: {"ocspRequestData": ocsp_request_data()},
    (1, 1),
)

# Remote maintenance and events: one write each, like StatusNotification. 1.6's firmware and
# diagnostics statuses name no request, so its latest is read; DataTransfer reads its vendor
# (cached for a minute by a warm router).
MAINTENANCE_16 = [
    Case(
        "FirmwareStatusNotification",
        "FirmwareStatusNotification",
        lambda n, now: {"status": "Downloading"},
        (1, 1),
        open_request("firmware"),
    ),
    Case(
        "DiagnosticsStatusNotification",
        "DiagnosticsStatusNotification",
        lambda n, now: {"status": "Uploading"},
        (1, 1),
        open_request("log"),
    ),
    Case("SecurityEventNotification", "SecurityEventNotification", security_event, (0, 1)),
    Case("DataTransfer", "DataTransfer", data_transfer, (1, 1)),
    SIGN_CERTIFICATE,
]
MAINTENANCE_2X = [
    Case(
        "FirmwareStatusNotification",
        "FirmwareStatusNotification",
        lambda n, now: {"status": "Downloading", "requestId": n + 1},
        (0, 1),
    ),
    Case(
        "LogStatusNotification",
        "LogStatusNotification",
        lambda n, now: {"status": "Uploading", "requestId": n + 1},
        (0, 1),
    ),
    Case("SecurityEventNotification", "SecurityEventNotification", security_event, (0, 1)),
    Case(
        "NotifyEvent",
        "NotifyEvent",
        lambda n, now: {
            "generatedAt": now,
            "seqNo": n,
            "eventData": [
                {
                    "eventId": n,
                    "timestamp": now,
                    "trigger": "Alerting",
                    "actualValue": "91",
                    "eventNotificationType": "CustomMonitor",
                    "component": {"name": "EVSE"},
                    "variable": {"name": "Temperature"},
                }
            ],
        },
        (0, 1),
    ),
    Case("DataTransfer", "DataTransfer", data_transfer, (1, 1)),
    SIGN_CERTIFICATE,
    CERTIFICATE_STATUS,
]

CASES_16 = [
    Case("Heartbeat", "Heartbeat", lambda n, now: {}, (0, 0)),
    Case(
        "StatusNotification",
        "StatusNotification",
        lambda n, now: {"connectorId": 1, "errorCode": "NoError", "status": "Available", "timestamp": now},
        (0, 1),
    ),
    Case(
        "BootNotification",
        "BootNotification",
        lambda n, now: {"chargePointVendor": "Acme", "chargePointModel": "Volt"},
        (1, 2),
    ),
    Case("Authorize", "Authorize", lambda n, now: {"idTag": TAG}, None),
    Case(
        "StartTransaction",
        "StartTransaction",
        start_16,
        (2, 3),
    ),
    # A resend reads the session too, to publish SessionStarted again while it runs (docs/faults.md).
    Case(
        "StartTransaction resent",
        "StartTransaction",
        start_16,
        (3, 0),
    ),
    Case(
        "MeterValues",
        "MeterValues",
        lambda n, now: {"connectorId": 1, "transactionId": n + 1, "meterValue": sampled_16(500, now)},
        (1, 1),
    ),
    Case(
        "StopTransaction",
        "StopTransaction",
        lambda n, now: {"transactionId": n + 1, "meterStop": 2000, "timestamp": now, "idTag": TAG},
        None,
    ),
]
# The same under a tariff: sessions ROUNDS + 1 .. 2 * ROUNDS. The first report of each sends
# its running cost (RunningCost through the command path), and each end its FinalCost.
PRICED_16 = [
    Case(
        "StartTransaction priced",
        "StartTransaction",
        lambda n, now: start_16(n + 2 * ROUNDS, now),
        (2, 3),
        priced=True,
    ),
    Case(
        "MeterValues priced, cost sent",
        "MeterValues",
        lambda n, now: {
            "connectorId": 1,
            "transactionId": n + ROUNDS + 1,
            "meterValue": sampled_16(5000, now),
        },
        (7, 6),
        priced=True,
    ),
    Case(
        "MeterValues priced",
        "MeterValues",
        lambda n, now: {
            "connectorId": 1,
            "transactionId": n + ROUNDS + 1,
            "meterValue": sampled_16(6000, now),
        },
        (1, 1),
        priced=True,
    ),
    Case(
        "StopTransaction priced",
        "StopTransaction",
        lambda n, now: {"transactionId": n + ROUNDS + 1, "meterStop": 9000, "timestamp": now, "idTag": TAG},
        None,
        priced=True,
    ),
]
CASES_2X = [
    Case("Heartbeat", "Heartbeat", lambda n, now: {}, (0, 0)),
    Case(
        "StatusNotification",
        "StatusNotification",
        lambda n, now: {"evseId": 1, "connectorId": 1, "connectorStatus": "Available", "timestamp": now},
        (0, 1),
    ),
    Case(
        "BootNotification",
        "BootNotification",
        lambda n, now: {"reason": "PowerUp", "chargingStation": {"vendorName": "Acme", "model": "Volt"}},
        (1, 2),
    ),
    Case("Authorize", "Authorize", lambda n, now: {"idToken": {"idToken": TAG, "type": "ISO14443"}}, None),
    Case("TransactionEvent Started", "TransactionEvent", transaction_event("Started", 0), (2, 3)),
    Case("TransactionEvent Updated", "TransactionEvent", transaction_event("Updated", 1), (1, 1)),
    Case(
        "MeterValues",
        "MeterValues",
        lambda n, now: {"evseId": 1, "meterValue": sampled_2x(500, now)},
        (1, 1),
    ),
    Case("TransactionEvent Ended", "TransactionEvent", transaction_event("Ended", 2), None),
]
PRICED_2X = [
    Case(
        "TransactionEvent Started priced",
        "TransactionEvent",
        transaction_event("Started", 0, "p"),
        (2, 3),
        priced=True,
    ),
    Case(
        "TransactionEvent Updated priced, cost sent",
        "TransactionEvent",
        transaction_event("Updated", 1, "p"),
        (6, 6),
        priced=True,
    ),
    Case(
        "TransactionEvent Updated priced",
        "TransactionEvent",
        transaction_event("Updated", 2, "p"),
        (1, 1),
        priced=True,
    ),
    Case(
        "TransactionEvent Ended priced",
        "TransactionEvent",
        transaction_event("Ended", 3, "p"),
        None,
        priced=True,
    ),
]

# 2.1's own: a stream's values (a SEND of a minute's 60 values) and its DER, priority and VAT
# messages, one write each; a dynamic profile's pull, one read.
ONLY_21 = [
    Case(
        "NotifyPeriodicEventStream (SEND, 60 values)",
        "NotifyPeriodicEventStream",
        lambda n, now: {
            "id": 1,
            "pending": 0,
            "basetime": now,
            "data": [{"t": t, "v": f"{230 + n % 7}.{t}"} for t in range(60)],
        },
        (0, 1),
        message_type=6,
    ),
    Case(
        "NotifyDERAlarm",
        "NotifyDERAlarm",
        lambda n, now: {"controlType": "VoltVar", "gridEventFault": "OverVoltage", "timestamp": now},
        (0, 1),
    ),
    Case(
        "NotifyPriorityCharging",
        "NotifyPriorityCharging",
        lambda n, now: {"transactionId": f"T-{n}", "activated": True},
        (0, 1),
    ),
    Case(
        "PullDynamicScheduleUpdate",
        "PullDynamicScheduleUpdate",
        lambda n, now: {"chargingProfileId": n + 1},
        (1, 0),
    ),
    Case(
        "VatNumberValidation",
        "VatNumberValidation",
        lambda n, now: {"vatNumber": f"DE{100000000 + n}", "evseId": 1},
        (0, 1),
    ),
]
CASES = {
    "1.6": CASES_16 + MAINTENANCE_16 + PRICED_16,
    "2.0.1": CASES_2X + MAINTENANCE_2X + PRICED_2X,
    "2.1": CASES_2X + MAINTENANCE_2X + PRICED_2X + ONLY_21,
}


def measure() -> list[dict[str, object]]:
    from moto import mock_aws

    from functions.connect.handler import lambda_handler as connect
    from functions.ocpp_router.handler import lambda_handler as route
    from local.runtime import events
    from local.runtime.aws import create_resources
    from local.runtime.lambdas import LocalContext
    from local.tools.aws_calls import count_aws_calls
    from shared.data import charge_points, id_tokens
    from shared.domain.authorization import AuthorizationStatus, TokenEntry
    from shared.domain.timestamps import format_timestamp, utc_now

    context = LocalContext("bench", 512, "arn:aws:lambda:eu-west-1:123456789012:function:bench")
    rows = []
    with mock_aws():
        create_resources()
        for version, cases in CASES.items():
            socket = events.Socket(
                "bench-conn", "bench.execute-api.eu-west-1.amazonaws.com", "prod", "b", "1", "b"
            )
            socket.authorizer = {  # as the authorizer answers a registered station's handshake
                "chargePointId": f"BENCH-{version}",
                "ocppVersion": version,
                "register": "false",
                "tenantId": "default",
            }
            charge_points.register_charge_point(f"BENCH-{version}", utc_now())
            id_tokens.put_id_token(TokenEntry(TAG, AuthorizationStatus.ACCEPTED), utc_now())
            connect(events.connect(socket, [], []), context)
            for case in cases:
                priced(case.priced, f"BENCH-{version}")
                cpu: list[float] = []
                with count_aws_calls() as calls:
                    for n in range(ROUNDS):
                        if case.setup is not None:
                            counted = Counter(calls.by_operation)
                            case.setup(f"BENCH-{version}", n)
                            calls.by_operation = counted
                        payload = case.payload(n, format_timestamp(utc_now()))
                        frame = [case.message_type, f"m{n}", case.action, payload]
                        event = events.message(socket, json.dumps(frame))
                        started = time.process_time()
                        route(event, context)
                        cpu.append(time.process_time() - started)
                rows.append(
                    {
                        **measured(case.label, cpu, calls, case.budget),
                        "version": version,
                        "posts": calls.of("apigatewaymanagementapi") / ROUNDS,
                        "events": calls.of("events") / ROUNDS,
                    }
                )
    return rows


# OCPP 1.5 over SOAP (decision 0043): each message is one HTTP request, admitted as a handshake
# is, so it reads the station's registration (1 read) beside what its 1.6 namesake costs; being
# heard is written at most once a minute per station (so not within a bench run, after its first
# message). The door's own share, reading the envelope and writing the answer, is held apart.
SOAP_ADMISSION_READS = 1
SOAP_ENVELOPE_CPU_MS = 1.0
# A case of the door runs past a minute: being heard is written again, and a per-instance cache
# (the id tokens', a minute) is read again, once in the case's ROUNDS messages.
ONCE_A_MINUTE = 1
SOAP_CASES = ("Heartbeat", "StatusNotification", "BootNotification", "StartTransaction", "MeterValues")


def soap_messages(n: int, now: str) -> dict[str, Any]:
    """Round n's message of each SOAP case, as a 1.5 station words it (local/fleet/soap15.py)."""
    from ocpp.v16 import call

    sampled = [
        {
            "timestamp": now,
            "sampled_value": [{"value": "500", "unit": "Wh", "measurand": "Energy.Active.Import.Register"}],
        }
    ]
    return {
        "Heartbeat": call.Heartbeat(),
        "StatusNotification": call.StatusNotification(
            connector_id=1, error_code="NoError", status="Available", timestamp=now
        ),
        "BootNotification": call.BootNotification(charge_point_vendor="Acme", charge_point_model="Volt"),
        "StartTransaction": call.StartTransaction(
            **{"connector_id": 1, "id_tag": TAG, "meter_start": 0, "timestamp": start_16(n, now)["timestamp"]}
        ),
        "MeterValues": call.MeterValues(connector_id=1, transaction_id=n + 1, meter_value=sampled),
    }


def measure_soap() -> list[dict[str, object]]:
    """The SOAP door per message: the whole request (envelope, admission, the 1.6 handler, the
    answer's envelope) against the 1.6 budget plus the admission's read, and the envelope's
    reading and writing alone against SOAP_ENVELOPE_CPU_MS."""
    from moto import mock_aws

    from functions.ocpp_router import soap as door
    from local.fleet.soap15 import request_element
    from local.runtime import events
    from local.runtime.aws import create_resources
    from local.runtime.lambdas import LocalContext
    from local.tools.aws_calls import count_aws_calls
    from shared.data import charge_points, id_tokens
    from shared.domain.authorization import AuthorizationStatus, TokenEntry
    from shared.domain.timestamps import format_timestamp, utc_now
    from shared.protocol import soap, v15

    budgets = {case.label: case.budget for case in CASES_16}
    context = LocalContext("bench", 512, "arn:aws:lambda:eu-west-1:123456789012:function:bench")
    station, rows = "BENCH-1.5", []
    endpoint = f"http://127.0.0.1:9999/ocpp/{station}"
    with mock_aws():
        create_resources()
        charge_points.register_charge_point(station, utc_now())
        id_tokens.put_id_token(TokenEntry(TAG, AuthorizationStatus.ACCEPTED), utc_now())

        def post(message: Any) -> tuple[bytes, dict[str, Any]]:
            action, element = request_element(message)
            document = soap.envelope(
                element, f"/{action}", soap.CS_NS, charge_box_identity=station, from_address=endpoint
            )
            event = events.http_request(
                "POST", door.PATH, "", [("content-type", soap.CONTENT_TYPE)], document
            )
            return document, event

        # Heard first: that write comes once a minute at most, not with each message.
        door.lambda_handler(post(soap_messages(0, "")["Heartbeat"])[1], context)
        for label in SOAP_CASES:
            cpu: list[float] = []
            envelope_cpu: list[float] = []
            with count_aws_calls() as calls:
                for n in range(ROUNDS):
                    message = soap_messages(n, format_timestamp(utc_now()))[label]
                    document, event = post(message)
                    started = time.process_time()
                    answer = door.lambda_handler(event, context)
                    cpu.append(time.process_time() - started)
                    assert answer["statusCode"] == 200, answer["body"]
                    started = time.process_time()  # the door's own share, apart
                    read = soap.parse(document, 1024 * 1024)
                    v15.read_request(label, read.body)
                    soap.parse(answer["body"].encode(), 1024 * 1024)
                    envelope_cpu.append(time.process_time() - started)
            reads, writes = budgets[label] or (0, 0)
            row = measured(label, cpu, calls, (reads + SOAP_ADMISSION_READS, writes))
            row["version"] = "1.5"
            row["envelope_ms"] = envelope_ms = statistics.median(envelope_cpu) * 1000
            within = (
                calls.dynamodb_reads <= (reads + SOAP_ADMISSION_READS) * ROUNDS + ONCE_A_MINUTE
                and calls.dynamodb_writes <= writes * ROUNDS + ONCE_A_MINUTE
            )
            row["ok"] = within and envelope_ms <= SOAP_ENVELOPE_CPU_MS
            rows.append(row)
    return rows


def report_soap() -> list[dict[str, object]]:
    rows = measure_soap()
    print(f"\nThe OCPP 1.5 SOAP door per message ({ROUNDS} each; the 1.6 budget and the admission's read)\n")
    print(
        f"{'message':<44}{'CPU ms (median)':>16}{'envelope ms':>13}{'DDB reads':>11}{'DDB writes':>12}"
        f"{'budget r/w':>12}"
    )
    for row in rows:
        budget = row["budget"]
        flag = "" if row["ok"] else "   OVER BUDGET"
        print(
            f"{row['action']:<44}{row['cpu_ms']:>16.2f}{row['envelope_ms']:>13.2f}{row['reads']:>11.2f}"
            f"{row['writes']:>12.2f}{f'{budget[0]}/{budget[1]}':>12}{flag}"  # type: ignore[index]
        )
    print(f"Envelope: reading the request and the answer, at most {SOAP_ENVELOPE_CPU_MS:g} ms a message.")
    return rows


def measured(
    label: str, cpu: list[float], calls: Any, budget: tuple[int, int] | None, rounds: int = ROUNDS
) -> dict[str, object]:
    """A measured case: its median CPU time, its DynamoDB reads and writes each, its budget."""
    reads, writes = calls.dynamodb_reads / rounds, calls.dynamodb_writes / rounds
    return {
        "action": label,
        "cpu_ms": statistics.median(cpu) * 1000,
        "reads": reads,
        "writes": writes,
        "budget": budget,
        "ok": budget is None or (reads <= budget[0] and writes <= budget[1]),
    }


@dataclass(frozen=True)
class ReactionCase:
    """One domain event handed to a reaction's function ROUNDS times (`detail(n)`: the n-th)."""

    label: str
    detail_type: str
    detail: Callable[[int], dict[str, Any]]
    budget: tuple[int, int]


def _ended(n: int) -> dict[str, Any]:
    return {
        "transactionId": f"bench-{n}",
        "chargePointId": "BENCH-SITE",
        "evseId": 1,
        "connectorId": 1,
        "startedAt": "2026-11-24T10:00:00.000Z",
        "stoppedAt": "2026-11-24T11:00:00.000Z",
        "energyWh": 7500,
        "active": False,
    }


def _status(status: str) -> Callable[[int], dict[str, Any]]:
    def detail(n: int) -> dict[str, Any]:
        at = f"2026-11-24T10:{n // 60:02d}:{n % 60:02d}.000Z"
        return {
            "chargePointId": "BENCH-SITE",
            "evseId": 1,
            "connectorId": 1,
            "status": status,
            "timestamp": at,
        }

    return detail


# The analytics reaction (decision 0029): the owner's read, then one transaction of the mark and
# each member's day and month (fleet, charge point, site, model, connector: 5 x 2 + 1 items).
REACTION_CASES = [
    ReactionCase("SessionEnded (same day)", "SessionEnded", _ended, (1, 11)),
    ReactionCase("SessionEnded (delivered again)", "SessionEnded", lambda n: _ended(0), (1, 11)),
    ReactionCase("ConnectorStatusChanged", "ConnectorStatusChanged", _status("Available"), (0, 1)),
    ReactionCase("ConnectorStatusChanged (Faulted)", "ConnectorStatusChanged", _status("Faulted"), (1, 12)),
]


def measure_reactions() -> list[dict[str, object]]:
    from moto import mock_aws

    from functions.analytics.handler import lambda_handler as analytics
    from local.runtime.aws import create_resources
    from local.runtime.lambdas import LocalContext
    from local.tools.aws_calls import count_aws_calls
    from shared.data import charge_points
    from shared.domain.provisioning import BootInfo
    from shared.domain.timestamps import utc_now

    context = LocalContext("bench", 256, "arn:aws:lambda:eu-west-1:123456789012:function:bench")
    rows = []
    with mock_aws():
        create_resources()
        charge_points.register_charge_point("BENCH-SITE", utc_now(), site_id="bench-site")
        charge_points.record_boot("BENCH-SITE", BootInfo("Acme", "Bench"), utc_now())
        for case in REACTION_CASES:
            cpu: list[float] = []
            with count_aws_calls() as calls:
                for n in range(ROUNDS):
                    event = {"detail-type": case.detail_type, "source": "csms", "detail": case.detail(n)}
                    started = time.process_time()
                    analytics(event, context)
                    cpu.append(time.process_time() - started)
            rows.append(measured(case.label, cpu, calls, case.budget))
    return rows


def measure_authorization() -> list[dict[str, object]]:
    """What resolving the operator API's caller costs a request (docs/accounts.md): the 60-second
    cache's hit (the local stand-in's, as API Gateway's in the cloud), and a miss with the
    bootstrap token and with an API key (its GetItem counted)."""
    from moto import mock_aws

    from local.runtime.aws import create_resources
    from local.runtime.operator_api import AuthorizerCache
    from local.tools.aws_calls import count_aws_calls
    from shared.domain.accounts import BOOTSTRAP, Principal, Role
    from shared.domain.timestamps import utc_now
    from shared.services.accounts import api_keys, principals

    rows = []
    with mock_aws():
        create_resources()
        _, key = api_keys.create(
            Principal(BOOTSTRAP, "token", Role.ADMIN, None), "bench", Role.VIEWER, None, None, utc_now()
        )
        cache = AuthorizerCache()
        cache.put(f"Bearer {key}", principals.as_context(principals.resolve(f"Bearer {key}", utc_now())))
        cases: list[tuple[str, Callable[[], object]]] = [
            ("warm cache (any credential)", lambda: cache.get(f"Bearer {key}")),
            (
                "miss: the bootstrap token",
                lambda: principals.resolve(f"Bearer {ENV['CSMS_API_TOKEN']}", utc_now()),
            ),
            ("miss: an API key", lambda: principals.resolve(f"Bearer {key}", utc_now())),
        ]
        for label, resolve in cases:
            cpu: list[float] = []
            with count_aws_calls() as calls:
                for _ in range(ROUNDS):
                    started = time.process_time()
                    resolve()
                    cpu.append(time.process_time() - started)
            rows.append(measured(label, cpu, calls, (1, 0)))
    return rows


DRIVER_SESSIONS = 30  # a month's sessions for a driver who charges daily
DRIVER_ROUNDS = 20


def measure_drivers() -> list[dict[str, object]]:
    """What a driver's pages cost (docs/accounts.md, "Drivers"), with one card and a month of
    DRIVER_SESSIONS priced sessions: the account, a page of sessions, a receipt as CSV and as PDF,
    the month's statement as PDF. Budgets: 1 read per item the docs' table names."""
    from moto import mock_aws

    from functions.operator_api.handler import lambda_handler as api
    from local.runtime.aws import create_resources
    from local.runtime.events import http_request
    from local.runtime.lambdas import LocalContext
    from local.tools.aws_calls import count_aws_calls
    from shared.data import charge_points, transactions
    from shared.domain.authorization import IdToken
    from shared.domain.timestamps import utc_now
    from shared.domain.transactions import SessionStart, SessionStop
    from shared.services.tariff_and_cost import pricing

    def call(method: str, path: str, body: Any = None, key: str | None = None, query: str = "") -> Any:
        headers = [
            ("Authorization", f"Bearer {key or ENV['CSMS_API_TOKEN']}"),
            ("Content-Type", "application/json"),
        ]
        raw = None if body is None else json.dumps(body).encode()
        answer = api(http_request(method, path, query, headers, raw), context)
        assert answer["statusCode"] < 300, (path, answer)
        return (
            json.loads(answer["body"])
            if answer.get("body") and "json" in answer["headers"]["Content-Type"]
            else None
        )

    context = LocalContext("bench", 768, "arn:aws:lambda:eu-west-1:123456789012:function:bench")
    rows = []
    with mock_aws():
        create_resources()
        now = utc_now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        tariff = {
            "currency": "EUR",
            "vatRate": 20,
            "elements": [{"priceComponents": [{"type": "ENERGY", "price": "0.40"}]}],
        }
        call("PUT", "/tariffs/bench", {**tariff, "assignedTo": {"default": True}})
        call("PUT", "/id-tokens/BENCH-CARD", {"status": "Accepted"})
        charge_points.register_charge_point("CP-BENCH", now)
        driver = call("POST", "/drivers", {"name": "Bench", "email": "bench@example.com"})
        call("PUT", f"/drivers/{driver['driverId']}/id-tokens/BENCH-CARD")
        linked = utc_now()
        card = IdToken("BENCH-CARD", "ISO14443")
        for n in range(DRIVER_SESSIONS):
            began = linked + timedelta(seconds=10 * n + 1)
            start = SessionStart(began, 1, 1, card, 0, f"bench-{n}")
            stop = SessionStop(f"bench-{n}", began + timedelta(seconds=5), 7000 + n)
            priced_by = pricing.tariff_json("CP-BENCH", "BENCH-CARD")
            transactions.record_stop("CP-BENCH", "2.0.1", stop, began, start=start, tariff=priced_by)
        month = linked.strftime("%Y-%m")
        key = driver["key"]
        # The key's look-up (a cache miss), the account, its cards; then the card's index and a
        # batch read of the page (an item each), and each session's meter values.
        account, sessions = 3, 3 + 1 + 2 * DRIVER_SESSIONS
        # A receipt: the account, its cards, the gate on the path's charge point and session (3),
        # the session and its meter values.
        receipt = 3 + 3 + 2
        path = "/driver/sessions/CP-BENCH/bench-0/receipt"
        cases: list[tuple[str, Callable[[], object], tuple[int, int]]] = [
            ("GET /driver/account", lambda: call("GET", "/driver/account", key=key), (account, 0)),
            (
                f"GET /driver/sessions ({DRIVER_SESSIONS} a page)",
                lambda: call("GET", "/driver/sessions", key=key, query=f"limit={DRIVER_SESSIONS}"),
                (sessions, 0),
            ),
            ("a receipt, CSV", lambda: call("GET", path, key=key, query="format=csv"), (receipt, 0)),
            ("a receipt, PDF", lambda: call("GET", path, key=key), (receipt, 0)),
            (
                f"a month's statement of {DRIVER_SESSIONS} sessions, PDF",
                lambda: call("GET", f"/driver/statements/{month}", key=key),
                (sessions, 0),
            ),
        ]
        for label, request, budget in cases:
            request()  # the first, which imports what it needs, is not measured
            cpu: list[float] = []
            with count_aws_calls() as calls:
                for _ in range(DRIVER_ROUNDS):
                    started = time.process_time()
                    request()
                    cpu.append(time.process_time() - started)
            rows.append(measured(label, cpu, calls, budget, DRIVER_ROUNDS))
    return rows


def main(argv: list[str]) -> int:
    if argv == ["--soap"]:  # the SOAP door alone
        return 0 if all(row["ok"] for row in report_soap()) else 1
    with _SERVING:  # the responder stops while its thread still runs (at exit it would hang)
        rows = measure()
    reactions = measure_reactions()
    print(f"Router cost per message ({ROUNDS} messages each, moto in process)\n")
    header = ("message", "OCPP", "CPU ms (median)", "DDB reads", "DDB writes", "budget r/w")
    print(f"{header[0]:<44}{header[1]:<8}{header[2]:>16}{header[3]:>11}{header[4]:>12}{header[5]:>12}")
    for row in rows:
        budget = row["budget"]
        limit = "-" if budget is None else f"{budget[0]}/{budget[1]}"  # type: ignore[index]
        flag = "" if row["ok"] else "   OVER BUDGET"
        print(
            f"{row['action']:<44}{row['version']:<8}{row['cpu_ms']:>16.2f}{row['reads']:>11.2f}"
            f"{row['writes']:>12.2f}{limit:>12}{flag}"
        )
    posts = sorted({float(row["posts"]) for row in rows})  # type: ignore[arg-type]
    print(f"\nAnswers posted through the management API per message: {', '.join(f'{p:g}' for p in posts)}.")
    print("Writes count per item: a transaction of two items is two writes. '-': no budget is set.")
    soap_rows = report_soap()
    print(f"\nThe analytics reaction per event ({ROUNDS} events each)\n")
    print(f"{'event':<52}{'CPU ms (median)':>16}{'DDB reads':>11}{'DDB writes':>12}{'budget r/w':>12}")
    for row in reactions:
        budget = row["budget"]
        flag = "" if row["ok"] else "   OVER BUDGET"
        print(
            f"{row['action']:<52}{row['cpu_ms']:>16.2f}{row['reads']:>11.2f}{row['writes']:>12.2f}"
            f"{f'{budget[0]}/{budget[1]}':>12}{flag}"  # type: ignore[index]
        )
    print(
        f"\nAuthorization per operator API request ({ROUNDS} each; a Cognito token's miss: an RS256 check)\n"
    )
    print(
        f"{'caller resolved':<52}{'CPU ms (median)':>16}{'DDB reads':>11}{'DDB writes':>12}{'budget r/w':>12}"
    )
    authorization = measure_authorization()
    for row in authorization:
        flag = "" if row["ok"] else "   OVER BUDGET"
        print(
            f"{row['action']:<52}{row['cpu_ms']:>16.3f}{row['reads']:>11.2f}{row['writes']:>12.2f}{'1/0':>12}{flag}"
        )
    print(f"\nA driver's pages ({DRIVER_ROUNDS} each; the key's look-up included, as a cache miss)\n")
    print(f"{'request':<52}{'CPU ms (median)':>16}{'DDB reads':>11}{'DDB writes':>12}{'budget r/w':>12}")
    drivers = measure_drivers()
    for row in drivers:
        budget = row["budget"]
        flag = "" if row["ok"] else "   OVER BUDGET"
        print(
            f"{row['action']:<52}{row['cpu_ms']:>16.2f}{row['reads']:>11.2f}{row['writes']:>12.2f}"
            f"{f'{budget[0]}/{budget[1]}':>12}{flag}"  # type: ignore[index]
        )
    over_runtime = report_runtime()
    base, imports = import_ratios()
    print(
        "\nImports in a fresh interpreter from compiled bytecode (cold-start proxy, median of 5): "
        f"import boto3 {base * 1000:.0f} ms"
    )
    for name, seconds in sorted(imports.items()):
        print(f"  {name:<44}{seconds * 1000:>8.0f} ms{seconds / base:>8.2f} x boto3")
    over = [row for row in rows + soap_rows + reactions + authorization + drivers if not row["ok"]]
    if over:
        print(f"\nFAILED: {len(over)} message(s) over their DynamoDB budget", file=sys.stderr)
    if over_runtime:
        print(f"\nFAILED: the local runtime over its CPU budget: {', '.join(over_runtime)}", file=sys.stderr)
    if over or over_runtime:
        return 1
    print("\nAll messages within their DynamoDB budgets; the local runtime within its CPU budgets.")
    return 0


def report_runtime() -> list[str]:
    """The local runtime's CPU per station message and per bus event, beside their budgets;
    the names of those over."""
    from bench import runtime

    fleet = runtime.measure_fleet()
    bus_ms = runtime.measure_bus()
    print(
        f"\nThe local runtime under a small fleet ({fleet['stations']} stations, "
        f"{fleet['messages_per_s']:g} messages/s steady, p99 {fleet['p99_ms']} ms, "
        f"{fleet['core_share'] * 100:.0f}% of a core)\n"
    )
    print(f"{'measure':<52}{'CPU ms':>16}{'budget ms':>12}")
    rows = [
        ("per station message", fleet["cpu_ms"], runtime.FLEET_CPU_MS_PER_MESSAGE),
        ("per domain event through the local bus", bus_ms, runtime.BUS_CPU_MS_PER_EVENT),
    ]
    over = []
    for label, value, budget in rows:
        flag = "" if value <= budget else "   OVER BUDGET"
        print(f"{label:<52}{value:>16.2f}{budget:>12.2f}{flag}")
        if value > budget:
            over.append(label)
    if not fleet["ok"]:
        over.append("the fleet run's own checks")
    return over


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
