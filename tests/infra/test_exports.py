"""Ended sessions exported for analysis: a rule on the bus into Firehose, JSON lines in the
exports bucket under the manifest's partitions, and a Glue table Athena reads them through."""

import json
from datetime import UTC, datetime

from shared.manifest import EXPORTS, export_key
from tests.infra.conftest import of_type


def test_each_export_is_a_rule_on_the_bus_into_a_firehose_stream(resources):
    [bus] = of_type(resources, "AWS::Events::EventBus")
    streams = of_type(resources, "AWS::KinesisFirehose::DeliveryStream")
    for export in EXPORTS:
        [rule] = [
            r["Properties"]
            for r in of_type(resources, "AWS::Events::Rule").values()
            if r["Properties"].get("EventPattern", {}).get("detail-type") == list(export.detail_types)
            and r["Properties"]["Targets"][0]["Arn"].get("Fn::GetAtt", [""])[0] in streams
        ]
        assert rule["EventBusName"] == {"Ref": bus}
        assert rule["Targets"][0]["InputPath"] == "$.detail"  # the line is the event's detail


def test_the_stream_writes_gzipped_json_lines_by_day_into_the_exports_bucket(resources):
    [stream] = of_type(resources, "AWS::KinesisFirehose::DeliveryStream").values()
    destination = stream["Properties"]["ExtendedS3DestinationConfiguration"]
    assert (
        destination["Prefix"] == "sessions/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/"
    )
    assert destination["CompressionFormat"] == "GZIP"
    [processor] = destination["ProcessingConfiguration"]["Processors"]
    assert processor["Type"] == "AppendDelimiterToRecord"  # one JSON document per line
    bucket = resources[destination["BucketARN"]["Fn::GetAtt"][0]]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    assert resources[destination["BucketARN"]["Fn::GetAtt"][0]]["DeletionPolicy"] == "Retain"


def test_athena_reads_the_lines_through_a_glue_table_with_projected_days(resources):
    [table] = of_type(resources, "AWS::Glue::Table").values()
    given = table["Properties"]["TableInput"]
    assert given["Name"] == "sessions" and given["TableType"] == "EXTERNAL_TABLE"
    storage = given["StorageDescriptor"]
    assert storage["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    columns = {c["Name"]: c["Type"] for c in storage["Columns"]}
    assert columns["transactionid"] == "string" and columns["energywh"] == "double"
    assert columns["active"] == "boolean" and columns["connectorid"] == "int"
    assert [p["Name"] for p in given["PartitionKeys"]] == ["year", "month", "day"]
    parameters = given["Parameters"]
    assert parameters["projection.enabled"] == "true"
    template = json.dumps(parameters["storage.location.template"])
    # The local runtime writes its files under the same partitions
    local = export_key(EXPORTS[0], datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert local.startswith("sessions/year=2026/month=12/day=02/")
    assert "sessions/year=${year}/month=${month}/day=${day}/" in template


def test_every_stream_is_encrypted_at_rest(resources):
    streams = of_type(resources, "AWS::KinesisFirehose::DeliveryStream").values()
    assert len(streams) == len(EXPORTS)
    for stream in streams:
        assert stream["Properties"]["DeliveryStreamEncryptionConfigurationInput"] == {
            "KeyType": "AWS_OWNED_CMK"
        }
