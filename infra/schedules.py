"""The domain-event bus, one EventBridge schedule per schedule of the manifest, and a rule on
the bus per reaction."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.functions import Functions
from shared.manifest import REACTIONS, SCHEDULES


class EventBus(Construct):
    """Where SessionStarted, SessionEnded, ConnectorStatusChanged, ... go: integrations add
    their own rules to it."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.bus = events.EventBus(self, "Bus", description="The CSMS's domain events")

    def grant_publishers(self, functions: Functions) -> None:
        for spec in functions.specs:
            if functions.granted(spec).bus:
                self.bus.grant_put_events_to(functions[spec])


class Schedules(Construct):
    """A run EventBridge could not deliver goes to the dead-letter queue, as does one the function
    failed after Lambda's retries (infra/functions.py)."""

    def __init__(
        self, scope: Construct, construct_id: str, *, functions: Functions, dead_letters: sqs.IQueue
    ) -> None:
        super().__init__(scope, construct_id)
        self.rules: dict[str, events.Rule] = {}
        for schedule in SCHEDULES:
            self.rules[schedule.name] = events.Rule(
                self,
                schedule.name,
                description=schedule.function.description,
                schedule=events.Schedule.rate(Duration.minutes(schedule.rate_minutes)),
                targets=[
                    targets.LambdaFunction(
                        functions[schedule.function], retry_attempts=0, dead_letter_queue=dead_letters
                    )
                ],
            )


class Reactions(Construct):
    """A rule on the bus per reaction of the manifest: its function runs on those events."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        functions: Functions,
        bus: events.IEventBus,
        dead_letters: sqs.IQueue,
    ) -> None:
        super().__init__(scope, construct_id)
        self.rules: dict[str, events.Rule] = {}
        for reaction in REACTIONS:
            self.rules[reaction.name] = events.Rule(
                self,
                reaction.name,
                description=reaction.function.description,
                event_bus=bus,
                event_pattern=events.EventPattern(source=["csms"], detail_type=list(reaction.detail_types)),
                targets=[
                    targets.LambdaFunction(
                        functions[reaction.function], retry_attempts=2, dead_letter_queue=dead_letters
                    )
                ],
            )
