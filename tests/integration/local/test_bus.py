"""The local bus: what a handler publishes reaches the manifest's reactions and exports as
EventBridge delivers it, retried as Lambda retries an asynchronous invocation, and at a cost
that does not grow with a backlog."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from local.runtime.bus import delivering
from local.runtime.faults import Rates, injecting
from shared.aws import event_bus
from shared.aws.event_bus import DomainEvent
from shared.manifest import ANALYTICS, CERTIFICATES, EXPORTS, PAYMENTS, SITE_ALLOCATOR, export_key
from shared.settings import get_settings

pytestmark = pytest.mark.usefixtures("aws")


def publish(event: DomainEvent, detail: dict[str, Any]) -> bool:
    """What a use case publishes, for tenant acme (shared.services.domain_events finds it)."""
    return event_bus.publish(event, detail, "acme")


class Recorder:
    """Stands in for the invoker: records each invocation, failing the first `failures`."""

    def __init__(self, failures: int = 0) -> None:
        self.invoked: list[tuple[str, dict]] = []
        self.failures = failures

    async def invoke(self, function, event):
        self.invoked.append((function.name, event))
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the handler failed")


async def settled(bus) -> None:
    """Until every target has taken what was put on the bus (the hand-over crosses threads)."""
    for _ in range(200):
        await asyncio.sleep(0.01)
        if all(target.backlog == 0 for target in bus.targets.values()):
            await asyncio.sleep(0.05)
            return


def test_an_event_reaches_every_reaction_whose_rule_matches_as_eventbridge_shapes_it(tmp_path: Path):
    recorder = Recorder()

    async def scenario():
        async with delivering(recorder, tmp_path) as bus:
            await asyncio.to_thread(
                publish, DomainEvent.SESSION_ENDED, {"transaction_id": "t-1", "energy_wh": 5}
            )
            await asyncio.to_thread(publish, DomainEvent.CERTIFICATE_REQUESTED, {"charge_point_id": "cp-1"})
            await asyncio.to_thread(publish, DomainEvent.DEVICE_EVENT, {"charge_point_id": "cp-1"})
            await settled(bus)

    asyncio.run(scenario())
    names = sorted(name for name, _ in recorder.invoked)
    # SessionEnded: the site allocator, analytics and payments; CertificateRequested: certificates;
    # DeviceEvent: no rule.
    assert names == sorted([SITE_ALLOCATOR.name, ANALYTICS.name, PAYMENTS.name, CERTIFICATES.name])
    ended = next(event for name, event in recorder.invoked if name == ANALYTICS.name)
    assert ended["source"] == "csms" and ended["detail-type"] == "SessionEnded"
    assert ended["detail"] == {"transactionId": "t-1", "energyWh": 5, "tenantId": "acme"}
    assert ended["time"].endswith("Z") and "T" in ended["time"]
    assert ended["id"] and ended["account"] and ended["region"] == get_settings().region


def test_an_export_writes_the_detail_as_a_json_line_under_its_partition(tmp_path: Path):
    async def scenario():
        async with delivering(Recorder(), tmp_path) as bus:
            for number in range(3):
                await asyncio.to_thread(publish, DomainEvent.SESSION_ENDED, {"transaction_id": f"t-{number}"})
            await settled(bus)

    asyncio.run(scenario())
    [export] = [export for export in EXPORTS if export.detail_types]
    files = list(tmp_path.rglob("*.jsonl"))
    assert len(files) == 1
    assert str(files[0].relative_to(tmp_path)).startswith(export.prefix + "year=")
    lines = [json.loads(line) for line in files[0].read_text().splitlines()]
    assert lines == [{"transactionId": f"t-{number}", "tenantId": "acme"} for number in range(3)]
    assert export_key(export, datetime.now(UTC)).endswith(files[0].name)


@pytest.mark.parametrize(
    ("failures", "attempts", "delivered", "dropped"),
    [(5, 3, 0, 1), (1, 2, 1, 0)],  # failing for good: tried thrice, then dropped; once: delivered once
)
def test_a_failed_invocation_is_tried_again_twice_at_most(failures, attempts, delivered, dropped):
    recorder = Recorder(failures=failures)

    async def scenario():
        async with delivering(recorder, None, retry_delays=(0.01, 0.02)) as bus:
            await asyncio.to_thread(publish, DomainEvent.CERTIFICATE_REQUESTED, {"charge_point_id": "cp-1"})
            await asyncio.sleep(0.3)
            return bus.targets

    targets = asyncio.run(scenario())
    assert [name for name, _ in recorder.invoked] == [CERTIFICATES.name] * attempts
    assert sum(target.delivered for target in targets.values()) == delivered
    assert sum(target.dropped for target in targets.values()) == dropped


def test_with_faults_on_an_event_failing_its_retries_goes_to_the_dead_letter_list():
    recorder = Recorder(failures=5)

    async def scenario():
        async with delivering(recorder, None, retry_delays=(0.01, 0.02)):
            await asyncio.to_thread(publish, DomainEvent.CERTIFICATE_REQUESTED, {"charge_point_id": "cp-1"})
            await asyncio.sleep(0.3)

    with injecting(Rates(timeout=0.01), seed=1) as faults:
        asyncio.run(scenario())
    assert faults is not None
    report = faults.report()
    (dead,) = report["deadLetters"]
    assert dead["target"] == "certificate-signing" and "the handler failed" in dead["error"]
    assert report["redeliveries"] == {"certificate-signing": 2}


def test_the_rules_are_in_moto_as_the_stack_makes_them_and_other_targets_keep_moto_s_delivery(tmp_path: Path):
    settings = get_settings()
    bridge = boto3.client("events", region_name=settings.region)
    sqs = boto3.client("sqs", region_name=settings.region)

    async def scenario():
        async with delivering(Recorder(), tmp_path) as bus:
            url = sqs.create_queue(QueueName="watcher")["QueueUrl"]
            arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            pattern = {"source": ["csms"], "detail-type": ["DeviceEvent"]}
            bridge.put_rule(Name="watcher", EventBusName=settings.event_bus, EventPattern=json.dumps(pattern))
            bridge.put_targets(
                Rule="watcher", EventBusName=settings.event_bus, Targets=[{"Id": "q", "Arn": arn}]
            )
            rules = bridge.list_rules(EventBusName=settings.event_bus)["Rules"]
            targets = {
                rule["Name"]: bridge.list_targets_by_rule(Rule=rule["Name"], EventBusName=settings.event_bus)[
                    "Targets"
                ][0]["Arn"]
                for rule in rules
            }
            await asyncio.to_thread(publish, DomainEvent.DEVICE_EVENT, {"charge_point_id": "cp-1"})
            await settled(bus)
            return targets, sqs.receive_message(QueueUrl=url).get("Messages", [])

    targets, messages = asyncio.run(scenario())
    assert targets["analytics"].endswith(":function:csms-analytics")
    assert targets["export-sessions"].endswith(":deliverystream/csms-sessions")
    assert [json.loads(message["Body"])["detail-type"] for message in messages] == ["DeviceEvent"]
