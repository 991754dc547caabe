"""Where what could not be delivered waits: the events EventBridge's rules and schedules could
not hand to their targets, the asynchronous invocations Lambda gave up on after its retries,
where in a table's stream the records are that kept failing, and the alarm e-mails SNS could not
send, each after its retries (tests/infra/test_dead_letters.py walks them). One queue, alarmed
(infra/observability.py): a message in it is work the CSMS did not do, kept 14 days for an
operator to look at and send again (README, Redrive)."""

from __future__ import annotations

import jsii
from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.nag import acknowledge

# How long EventBridge tries a target that keeps failing (its longest): then the queue.
RETRIED_FOR = Duration.hours(24)


class DeadLetters(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.queue = sqs.Queue(
            self,
            "Queue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        acknowledge(
            self.queue,
            "It is the dead-letter queue itself, of EventBridge targets, Lambda's asynchronous "
            "invocations and a table stream's mapping (their on-failure destination, which cdk-nag "
            "does not count as a DLQ) and the alarm topic's subscriptions; nothing reads it but an "
            "operator",
            "Serverless-SQSRedrivePolicy",
            "AwsSolutions-SQS3",
        )

    def target(self, target: events.IRuleTarget) -> events.IRuleTarget:
        """A target whose construct offers no dead-letter queue nor retry policy (Firehose), with
        this queue and EventBridge's longest retries, said rather than left to its defaults."""
        return _WithDeadLetters(target, self.queue)


@jsii.implements(events.IRuleTarget)
class _WithDeadLetters:
    def __init__(self, target: events.IRuleTarget, queue: sqs.IQueue) -> None:
        self.target = target
        self.queue = queue

    def bind(self, rule: events.IRule, id: str | None = None) -> events.RuleTargetConfig:
        config = self.target.bind(rule, id)
        self.queue.add_to_resource_policy(
            iam.PolicyStatement(
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["sqs:SendMessage"],
                resources=[self.queue.queue_arn],
                conditions={"ArnEquals": {"aws:SourceArn": rule.rule_arn}},
            )
        )
        return events.RuleTargetConfig(
            arn=config.arn,
            role=config.role,
            input=config.input,
            target_resource=config.target_resource,
            dead_letter_config=events.CfnRule.DeadLetterConfigProperty(arn=self.queue.queue_arn),
            retry_policy=events.CfnRule.RetryPolicyProperty(
                maximum_event_age_in_seconds=int(RETRIED_FOR.to_seconds()), maximum_retry_attempts=185
            ),
        )
