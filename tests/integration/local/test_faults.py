"""Faults injected as the cloud fails: DynamoDB per attempt (the SDK retries), PutEvents per
entry (the bus never sees a failed one), an invocation stopped at a random point (what it
wrote stays, its answer is lost); only inside a function's invocation, seeded, counted."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local.runtime.faults import Faults, InvocationTimedOut, Rates, parse_rates
from shared.settings import get_settings

pytestmark = pytest.mark.usefixtures("aws")


def clients(faults: Faults) -> Iterator[tuple[Any, Any]]:
    with faults.installed():
        session = botocore.session.get_session()  # made after the install, as the runtime's are
        retries = Config(retries={"max_attempts": 3, "mode": "standard"})
        dynamodb = session.create_client("dynamodb", region_name="eu-west-1", config=retries)
        bus = session.create_client("events", region_name="eu-west-1", config=retries)
        yield dynamodb, bus


@pytest.fixture
def table() -> str:
    boto3.client("dynamodb", region_name="eu-west-1").create_table(
        TableName="faulted",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return "faulted"


def put(dynamodb: Any, table: str, key: str) -> None:
    dynamodb.put_item(TableName=table, Item={"pk": {"S": key}})


def stored(table: str) -> set[str]:
    items = boto3.client("dynamodb", region_name="eu-west-1").scan(TableName=table)["Items"]
    return {item["pk"]["S"] for item in items}


def test_every_dynamodb_attempt_fails_and_the_sdk_retries_inside_an_invocation_only(table):
    faults = Faults(Rates(dynamodb=1.0), seed=1)
    for dynamodb, _ in clients(faults):
        put(dynamodb, table, "outside")  # the runtime's own call: never failed
        with (
            pytest.raises(ClientError, match=r"ProvisionedThroughput|Throttling|InternalServer"),
            faults.invocation("ocpp-router"),
        ):
            put(dynamodb, table, "inside")
    assert stored(table) == {"outside"}
    report = faults.report()
    assert sum(n for kind, n in report["injected"].items() if kind.startswith("dynamodb ")) == 4
    assert report["sdkRetries"] == {"dynamodb": 3}  # max_attempts: retries after the first


def test_a_throttled_attempt_retried_by_the_sdk_succeeds():
    faults = Faults(Rates(dynamodb=0.5), seed=3)
    boto3.client("dynamodb", region_name="eu-west-1").create_table(
        TableName="t",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    failed = 0
    for dynamodb, _ in clients(faults):
        for n in range(20):
            with faults.invocation("ocpp-router"):
                try:
                    put(dynamodb, "t", str(n))
                except ClientError:
                    failed += 1
    report = faults.report()
    injected = sum(n for kind, n in report["injected"].items() if kind.startswith("dynamodb "))
    # Each fault but a call's last is followed by a retry; most calls got through on one.
    assert injected - failed == report["sdkRetries"]["dynamodb"] > 0
    assert len(stored("t")) == 20 - failed > 10


def test_failed_putevents_entries_are_reported_and_never_reach_the_bus():
    faults = Faults(Rates(events=0.5), seed=7)
    bus_name = get_settings().event_bus
    entries = [
        {"Source": "csms", "DetailType": "T", "Detail": f'{{"n": {n}}}', "EventBusName": bus_name}
        for n in range(10)
    ]
    for _, bus in clients(faults):
        with faults.invocation("ocpp-router"):
            answer = bus.put_events(Entries=entries)
    failed = [i for i, entry in enumerate(answer["Entries"]) if "ErrorCode" in entry]
    assert len(answer["Entries"]) == 10
    assert answer["FailedEntryCount"] == len(failed) == sum(faults.report()["injected"].values()) > 0
    assert all("EventId" in entry for i, entry in enumerate(answer["Entries"]) if i not in failed)


def test_every_entry_failing_makes_no_request():
    faults = Faults(Rates(events=1.0), seed=7)
    for _, bus in clients(faults):
        with faults.invocation("ocpp-router"):
            answer = bus.put_events(
                Entries=[{"Source": "csms", "DetailType": "T", "Detail": "{}", "EventBusName": "x"}]
            )
    assert answer["FailedEntryCount"] == 1 and answer["Entries"][0]["ErrorCode"]


def test_a_timed_out_invocation_keeps_what_it_wrote_and_loses_its_answer(table):
    faults = Faults(Rates(timeout=1.0), seed=2)
    outcomes = []
    for dynamodb, _ in clients(faults):
        for run in range(6):
            written = []

            def handler(run: int = run, written: list[int] = written, dynamodb: Any = dynamodb) -> str:
                for n in range(3):
                    try:
                        put(dynamodb, table, f"{run}-{n}")
                    except Exception:  # a handler's own catch-all does not stop the timeout
                        return "answered despite it"
                    written.append(n)
                return "answered"

            with pytest.raises(InvocationTimedOut), faults.invocation("reaction"):
                handler()
            outcomes.append(len(written))
    assert stored(table) == {f"{run}-{n}" for run, count in enumerate(outcomes) for n in range(count)}
    assert faults.report()["injected"] == {"timeout": 6}
    assert len(set(outcomes)) > 1  # stopped at different points, seeded


def test_the_same_seed_draws_the_same_faults():
    def draws(seed: int) -> list[bool]:
        faults = Faults(Rates(post=0.3), seed=seed)
        return [faults._draw("post") for _ in range(50)]

    assert draws(4) == draws(4) != draws(5)


def test_the_rates_are_parsed_and_checked():
    assert parse_rates("dynamodb=0.05,post=0.05,events=0.05,timeout=0.01") == Rates(0.05, 0.05, 0.05, 0.01)
    assert not parse_rates("").any
    for wrong in ("disk=0.1", "post=2", "post=x"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_rates(wrong)
