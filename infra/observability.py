"""Alarms to one SNS topic (function errors and throttles, API 5xx, DynamoDB throttles, a
spike of refused handshakes, dead letters, an export stalled, a backup failed) and one
dashboard of the fleet's traffic and health."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_backup as backup
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.config import StackConfig
from infra.functions import Functions
from infra.operator_api import OperatorApi
from infra.websocket_api import WebSocketApi
from shared.domain.admission import Verdict
from shared.manifest import OCPP_ROUTER
from shared.observability import NAMESPACE, SERVICE

PERIOD = Duration.minutes(5)


def counted(name: str) -> cloudwatch.Metric:
    """What the functions count, through Powertools' embedded metrics."""
    return cloudwatch.Metric(
        namespace=NAMESPACE,
        metric_name=name,
        dimensions_map={"service": SERVICE},
        statistic="Sum",
        period=PERIOD,
    )


def handshakes(verdict: Verdict) -> cloudwatch.Metric:
    return counted(f"Handshake{verdict.name.title()}")


class Observability(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StackConfig,
        functions: Functions,
        tables: dict[str, dynamodb.TableV2],
        gateway: WebSocketApi,
        operator_api: OperatorApi,
        dead_letters: sqs.IQueue,
        streams: dict[str, firehose.DeliveryStream],
        vault: backup.IBackupVault,
    ) -> None:
        super().__init__(scope, construct_id)
        self.topic = sns.Topic(self, "Alarms", display_name="CSMS alarms", enforce_ssl=True)
        if config.alarm_email:
            self.topic.add_subscription(
                subscriptions.EmailSubscription(config.alarm_email, dead_letter_queue=dead_letters)
            )
        self.alarms: list[cloudwatch.Alarm] = []

        for name, function in functions.by_name.items():
            self._alarm(f"{name}-errors", function.metric_errors(period=PERIOD), f"{name} failed")
            self._alarm(
                f"{name}-throttles", function.metric_throttles(period=PERIOD), f"{name} was throttled"
            )
        self._alarm(
            "operator-api-5xx",
            operator_api.api.metric_server_error(period=PERIOD),
            "The operator API answered 5xx",
        )
        ocpp_errors = cloudwatch.MathExpression(
            expression="integration + execution",
            using_metrics={
                "integration": self._ocpp_metric(gateway, "IntegrationError"),
                "execution": self._ocpp_metric(gateway, "ExecutionError"),
            },
            period=PERIOD,
            label="OCPP gateway errors",
        )
        self._alarm("ocpp-gateway-errors", ocpp_errors, "The WebSocket API failed to deliver frames")
        for name, table in tables.items():
            throttles = cloudwatch.MathExpression(
                expression="reads + writes",
                using_metrics={
                    "reads": table.metric("ReadThrottleEvents", statistic="Sum", period=PERIOD),
                    "writes": table.metric("WriteThrottleEvents", statistic="Sum", period=PERIOD),
                },
                period=PERIOD,
                label=f"{name} throttles",
            )
            self._alarm(f"{name}-throttles", throttles, f"DynamoDB throttled {name}")
        refused = cloudwatch.MathExpression(
            expression="deny + unauthorized",
            using_metrics={
                "deny": handshakes(Verdict.DENY),
                "unauthorized": handshakes(Verdict.UNAUTHORIZED),
            },
            period=PERIOD,
            label="Refused handshakes",
        )
        self._alarm(
            "refused-handshakes",
            refused,
            "Many handshakes refused: a misconfigured fleet, or someone guessing credentials",
            threshold=config.denied_handshakes_alarm,
        )
        self._alarm(
            "internal-errors",
            counted("InternalErrors"),
            "A charge point's message failed in a handler and was answered InternalError",
        )
        self._alarm(
            "domain-events-failed",
            counted("DomainEventsFailed"),
            "Domain events could not be published: integrations missed them",
        )
        self._alarm(
            "critical-security-events",
            counted("CriticalSecurityEvents"),
            "A charge point reported a critical security event (tampering, a cleared log, a reboot, ...)",
        )
        self._alarm(
            "openadr-polls-failed",
            counted("OpenAdrPollFailures"),
            "A site's OpenADR VTN was not heard: its last limits hold until they end, then its own",
            threshold=3,
        )
        self._alarm(
            "dead-letters",
            dead_letters.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
            "Work the CSMS did not do is waiting in the dead-letter queue: an event a rule or schedule "
            "could not deliver, an asynchronous invocation that failed its retries, an unsent alarm e-mail",
        )
        for name, stream in streams.items():
            self._alarm(
                f"{name}-export-stale",
                stream.metric("DeliveryToS3.DataFreshness", statistic="Maximum", period=PERIOD),
                f"The {name} export has held records an hour without delivering them to the exports "
                "bucket (Firehose retries for 24 hours, then drops them)",
                threshold=3600,
            )
        self._alarm(
            "backups-failed",
            cloudwatch.Metric(
                namespace="AWS/Backup",
                metric_name="NumberOfBackupJobsFailed",
                dimensions_map={"BackupVaultName": vault.backup_vault_name},
                statistic="Sum",
                period=Duration.days(1),
            ),
            "A daily backup of a durable table failed (docs/restore.md)",
        )
        self.dashboard = self._dashboard(functions, gateway, operator_api, refused)

    def _ocpp_metric(self, gateway: WebSocketApi, name: str) -> cloudwatch.Metric:
        return gateway.api.metric(
            name,
            statistic="Sum",
            period=PERIOD,
            dimensions_map={"ApiId": gateway.api.api_id, "Stage": gateway.stage.stage_name},
        )

    def _alarm(
        self, name: str, metric: cloudwatch.IMetric, description: str, threshold: float = 1
    ) -> cloudwatch.Alarm:
        alarm = metric.create_alarm(
            self,
            name,
            alarm_description=description,
            threshold=threshold,
            evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm

    def _dashboard(
        self,
        functions: Functions,
        gateway: WebSocketApi,
        operator_api: OperatorApi,
        refused: cloudwatch.IMetric,
    ) -> cloudwatch.Dashboard:
        dashboard = cloudwatch.Dashboard(self, "Dashboard", default_interval=Duration.hours(3))
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Charge points: connections and messages",
                left=[self._ocpp_metric(gateway, "ConnectCount"), self._ocpp_metric(gateway, "MessageCount")],
                right=[handshakes(Verdict.ALLOW), refused],
                width=12,
            ),
            cloudwatch.GraphWidget(
                title="Operator API",
                left=[
                    operator_api.api.metric_count(period=PERIOD),
                    operator_api.api.metric_client_error(period=PERIOD),
                    operator_api.api.metric_server_error(period=PERIOD),
                ],
                right=[operator_api.api.metric_latency(period=PERIOD, statistic="p99")],
                width=12,
            ),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Function errors",
                left=[f.metric_errors(period=PERIOD, label=name) for name, f in functions.by_name.items()],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="Function p99 duration",
                left=[
                    f.metric_duration(period=PERIOD, statistic="p99", label=name)
                    for name, f in functions.by_name.items()
                ],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="OCPP frames and operator commands",
                # Frames are the router's invocations: a metric of its own on every frame would
                # be a metric document in the logs each time (decision 0027).
                left=[
                    functions.by_name[OCPP_ROUTER.name].metric_invocations(period=PERIOD, label="frames"),
                    *(counted(name) for name in ("CallErrors", "InternalErrors")),
                ],
                right=[counted(name) for name in ("CommandsSent", "CommandTimeouts")],
                width=8,
            ),
        )
        return dashboard
