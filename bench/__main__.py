"""`make bench`: what each OCPP message costs the router, against DESIGN.md's budgets.

Per message and OCPP version: the median CPU time of one `$default` invocation in process
(the handler plus moto answering its AWS calls, so an upper bound on the router's own
share), and the DynamoDB reads and writes it makes, counted at the botocore boundary. Then
the import time of the router's Lambda entry point in a fresh interpreter, a proxy for its
cold start. Exits 1 if any message exceeds its DynamoDB budget.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

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

# DESIGN.md: (reads, writes) at most, per message.
BUDGETS = {"Heartbeat": (0, 0), "StatusNotification": (0, 1), "BootNotification": (1, 2)}
ROUNDS = 200

PAYLOADS = {
    "1.6": {
        "Heartbeat": {},
        "StatusNotification": {"connectorId": 1, "errorCode": "NoError", "status": "Available"},
        "BootNotification": {"chargePointVendor": "Acme", "chargePointModel": "Volt"},
    },
    "2.0.1": {
        "Heartbeat": {},
        "StatusNotification": {
            "evseId": 1,
            "connectorId": 1,
            "connectorStatus": "Available",
            "timestamp": "",
        },
        "BootNotification": {"reason": "PowerUp", "chargingStation": {"vendorName": "Acme", "model": "Volt"}},
    },
}
PAYLOADS["2.1"] = PAYLOADS["2.0.1"]


def measure() -> list[dict[str, object]]:
    from moto import mock_aws

    from functions.connect.handler import lambda_handler as connect
    from functions.ocpp_router.handler import lambda_handler as route
    from local import events
    from local.aws import create_resources
    from local.lambdas import LocalContext
    from local.metering import count_aws_calls
    from shared.data import store
    from shared.protocol.timestamps import format_timestamp, utc_now

    context = LocalContext("bench", 512, "arn:aws:lambda:eu-west-1:123456789012:function:bench")
    rows = []
    with mock_aws():
        create_resources()
        for version, payloads in PAYLOADS.items():
            socket = events.Socket(
                "bench-conn", "bench.execute-api.eu-west-1.amazonaws.com", "prod", "b", "1", "b"
            )
            socket.authorizer = {
                "chargePointId": f"BENCH-{version}",
                "ocppVersion": version,
                "register": "false",
            }
            store.register_charge_point(f"BENCH-{version}", utc_now())
            connect(events.connect(socket, [], []), context)
            for action, payload in payloads.items():
                cpu: list[float] = []
                with count_aws_calls() as calls:
                    for n in range(ROUNDS):
                        if "timestamp" in payload:
                            payload = {**payload, "timestamp": format_timestamp(utc_now())}
                        event = events.message(socket, json.dumps([2, f"m{n}", action, payload]))
                        started = time.process_time()
                        route(event, context)
                        cpu.append(time.process_time() - started)
                reads, writes = calls.dynamodb_reads / ROUNDS, calls.dynamodb_writes / ROUNDS
                budget = BUDGETS[action]
                rows.append(
                    {
                        "action": action,
                        "version": version,
                        "cpu_ms": statistics.median(cpu) * 1000,
                        "reads": reads,
                        "writes": writes,
                        "posts": calls.of("apigatewaymanagementapi") / ROUNDS,
                        "budget": budget,
                        "ok": reads <= budget[0] and writes <= budget[1],
                    }
                )
    return rows


def import_time(runs: int = 5) -> float:
    """Median seconds to import the router's entry point in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); import functions.ocpp_router.handler; "
        "print(time.perf_counter() - t)"
    )
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def main() -> int:
    rows = measure()
    print(f"Router cost per message ({ROUNDS} messages each, moto in process)\n")
    header = ("message", "OCPP", "CPU ms (median)", "DDB reads", "DDB writes", "budget r/w")
    print(f"{header[0]:<20}{header[1]:<8}{header[2]:>16}{header[3]:>11}{header[4]:>12}{header[5]:>12}")
    for row in rows:
        reads, writes = row["budget"]  # type: ignore[misc]
        flag = "" if row["ok"] else "   OVER BUDGET"
        print(
            f"{row['action']:<20}{row['version']:<8}{row['cpu_ms']:>16.2f}{row['reads']:>11.2f}"
            f"{row['writes']:>12.2f}{f'{reads}/{writes}':>12}{flag}"
        )
    print(f"\nEvery message above posted {rows[0]['posts']:.0f} answer through the management API.")
    seconds = import_time()
    print(f"Import of functions.ocpp_router.handler (cold-start proxy, median of 5): {seconds * 1000:.0f} ms")
    over = [row for row in rows if not row["ok"]]
    if over:
        print(f"\nFAILED: {len(over)} message(s) over their DynamoDB budget", file=sys.stderr)
        return 1
    print("\nAll messages within their DynamoDB budgets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
