"""What is kept for analysis outside the CSMS (the manifest's EXPORTS): a Firehose stream per
export, which writes each record as a JSON line, gzipped, into the exports bucket under the
export's prefix and the day; a Glue table over each prefix, its partitions projected, so Athena
reads them with no crawler. Domain events reach their stream by an EventBridge rule (the line is
the event's detail); the audit trail by its function on the audit table's stream (decision 0039)."""

from __future__ import annotations

import dataclasses
import typing
from datetime import datetime

from aws_cdk import Aws, Duration, RemovalPolicy, Size, Stack
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_glue as glue
from aws_cdk import aws_kinesisfirehose as firehose
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.config import StackConfig
from infra.dead_letters import DeadLetters
from infra.files import private_bucket
from infra.functions import Functions
from infra.nag import S3_GRANT_ACTIONS, acknowledge, arn_of, wildcards
from shared.aws.event_bus import TENANT_FIELD, to_camel
from shared.data.tables import all_records, suffix_of
from shared.domain.accounts import AuditEntry
from shared.domain.transactions import SessionSummary
from shared.manifest import EXPORT_PARTITIONS, EXPORTS, Export

# What each export's lines hold: the domain event's detail, as the bus carries it (with the
# `tenantId` every event carries); an audit entry as `GET /audit` shows it.
SHAPES: dict[str, type] = {"sessions": SessionSummary, "audit": AuditEntry}
EVENT_TENANT = {"name": to_camel(TENANT_FIELD).lower(), "type": "string"}
# The manifest's partitions in Firehose's expressions (by arrival time) and in Athena's projection.
PARTITIONS = EXPORT_PARTITIONS.format(
    year="!{timestamp:yyyy}", month="!{timestamp:MM}", day="!{timestamp:dd}"
)
PROJECTED = EXPORT_PARTITIONS.format(year="${year}", month="${month}", day="${day}")
HIVE_TYPES = {str: "string", int: "int", float: "double", bool: "boolean", datetime: "string"}


def columns_of(shape: type) -> list[dict[str, str]]:
    """Glue columns for a dataclass's fields, named as the events carry them (camelCase; the
    JSON SerDe matches names without regard to case). A nested object (a session's cost) is a
    string column, which the OpenX SerDe reads as the object's JSON text."""
    hints = typing.get_type_hints(shape)
    found = []
    for item in dataclasses.fields(shape):
        hint = hints[item.name]
        kinds = [kind for kind in typing.get_args(hint) or (hint,) if kind is not type(None)]
        found.append({"name": to_camel(item.name).lower(), "type": HIVE_TYPES.get(kinds[0], "string")})
    return found


def columns_of_export(export: Export) -> list[dict[str, str]]:
    """The Glue columns of an export's lines: a domain event's says whose it is, too."""
    return columns_of(SHAPES[export.name]) + ([EVENT_TENANT] if export.detail_types else [])


class Exports(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: StackConfig,
        bus: events.IEventBus,
        tables: dict[str, dynamodb.TableV2],
        functions: Functions,
        dead_letters: DeadLetters,
    ) -> None:
        super().__init__(scope, construct_id)
        self.config = config
        self.dead_letters = dead_letters
        self.bucket = private_bucket(self, RemovalPolicy.RETAIN, config)
        self.database = glue.CfnDatabase(
            self,
            "Database",
            catalog_id=Aws.ACCOUNT_ID,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                description="The CSMS's exported domain events and audit trail (Athena)"
            ),
        )
        self.streams: dict[str, firehose.DeliveryStream] = {}
        self.tables: dict[str, glue.CfnTable] = {}
        for export in EXPORTS:
            self.streams[export.name] = self._stream(export)
            self.tables[export.name] = self._table(export)
            if export.detail_types:
                self._rule(export, bus)
            if export.function:
                [record] = [r for r in all_records() if suffix_of(r) == export.stream_of]
                self._fed_by(export, functions[export.function], tables[record.__name__])
        # A stream offers itself to VPC destinations through a mapping of Firehose's address
        # ranges by region, which an S3 destination never reads: removed, so that the template
        # holds nothing unused.
        Stack.of(self).node.try_remove_child("@aws-cdk--aws-kinesisfirehose.CidrBlocks")

    def _stream(self, export: Export) -> firehose.DeliveryStream:
        stream = firehose.DeliveryStream(
            self,
            f"{export.name}-stream",
            encryption=firehose.StreamEncryption.aws_owned_key(),
            destination=firehose.S3Bucket(
                self.bucket,
                data_output_prefix=export.prefix + PARTITIONS,
                error_output_prefix=f"errors/{export.name}/!{{firehose:error-output-type}}/",
                buffering_interval=Duration.minutes(5),
                buffering_size=Size.mebibytes(64),
                compression=firehose.Compression.GZIP,
                processors=[firehose.AppendDelimiterToRecordProcessor()],
                logging_config=firehose.EnableLogging(
                    logs.LogGroup(
                        self,
                        f"{export.name}-errors",
                        retention=self.config.log_retention(),
                        removal_policy=RemovalPolicy.DESTROY,
                    )
                ),
            ),
        )
        acknowledge(
            stream,
            "Firehose's role writes the exports bucket only, with the object actions CDK's S3 "
            "destination grants (it puts, and cleans up failed multipart uploads)",
            *wildcards(
                *(f"Action::{action}" for action in S3_GRANT_ACTIONS), f"Resource::{arn_of(self.bucket)}/*"
            ),
        )
        return stream

    def _rule(self, export: Export, bus: events.IEventBus) -> None:
        events.Rule(
            self,
            f"{export.name}-rule",
            description=f"{', '.join(export.detail_types)} into the exports bucket",
            event_bus=bus,
            event_pattern=events.EventPattern(source=["csms"], detail_type=list(export.detail_types)),
            targets=[
                self.dead_letters.target(
                    targets.FirehoseDeliveryStream(
                        self.streams[export.name], message=events.RuleTargetInput.from_event_path("$.detail")
                    )
                )
            ],
        )

    def _fed_by(self, export: Export, function: lambda_.Function, table: dynamodb.TableV2) -> None:
        """The function on the table's stream: new items only (filtered before it is invoked), a
        batch a minute at most while items come, tried again until the stream lets them go
        (24 hours) and split to find one that fails; what still fails is told to the dead-letter
        queue (the stream's position of the records, to read them again)."""
        stream = self.streams[export.name]
        function.add_event_source(
            sources.DynamoEventSource(
                table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=500,
                max_batching_window=Duration.minutes(1),
                bisect_batch_on_error=True,
                filters=[lambda_.FilterCriteria.filter({"eventName": lambda_.FilterRule.is_equal("INSERT")})],
                on_failure=sources.SqsDlq(self.dead_letters.queue),
            )
        )
        stream.grant_put_records(function)
        # Named after the export, as shared.settings reads it (CSMS_AUDIT_EXPORT_STREAM).
        function.add_environment(f"CSMS_{export.name.upper()}_EXPORT_STREAM", stream.delivery_stream_name)

    def _table(self, export: Export) -> glue.CfnTable:
        location = f"s3://{self.bucket.bucket_name}/{export.prefix}"
        projection = {
            "projection.enabled": "true",
            "projection.year.type": "integer",
            "projection.year.range": "2024,2100",
            "projection.month.type": "integer",
            "projection.month.range": "1,12",
            "projection.month.digits": "2",
            "projection.day.type": "integer",
            "projection.day.range": "1,31",
            "projection.day.digits": "2",
            "storage.location.template": location + PROJECTED,
        }
        return glue.CfnTable(
            self,
            f"{export.name}-table",
            catalog_id=Aws.ACCOUNT_ID,
            database_name=self.database.ref,
            table_input=glue.CfnTable.TableInputProperty(
                name=export.name,
                description=f"{', '.join(export.detail_types) or export.name} entries, one JSON line each",
                table_type="EXTERNAL_TABLE",
                parameters={"classification": "json", "compressionType": "gzip", **projection},
                partition_keys=[
                    glue.CfnTable.ColumnProperty(name=name, type="string")
                    for name in ("year", "month", "day")
                ],
                storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                    location=location,
                    input_format="org.apache.hadoop.mapred.TextInputFormat",
                    output_format="org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
                    serde_info=glue.CfnTable.SerdeInfoProperty(
                        serialization_library="org.openx.data.jsonserde.JsonSerDe",
                        parameters={"ignore.malformed.json": "true"},
                    ),
                    columns=[
                        glue.CfnTable.ColumnProperty(name=column["name"], type=column["type"])
                        for column in columns_of_export(export)
                    ],
                ),
            ),
        )
