"""The exports: ended sessions by a rule on the bus, the audit trail by its function on the audit
table's stream, each into a Firehose stream writing JSON lines in the exports bucket under the
manifest's partitions, and a Glue table Athena reads them through."""

import json
from datetime import UTC, datetime

import pytest

from shared.manifest import AUDIT_EXPORT, EXPORTS, export_key
from tests.infra.conftest import function_named, of_type, statements_of

[SESSIONS, AUDIT] = EXPORTS
TABLE_WRITES = {"dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}


def stream_of(resources, export):
    [name] = [
        n
        for n, s in of_type(resources, "AWS::KinesisFirehose::DeliveryStream").items()
        if s["Properties"]["ExtendedS3DestinationConfiguration"]["Prefix"].startswith(export.prefix)
    ]
    return name


def glue_table(resources, export):
    [table] = [
        t["Properties"]["TableInput"]
        for t in of_type(resources, "AWS::Glue::Table").values()
        if t["Properties"]["TableInput"]["Name"] == export.name
    ]
    return table


def test_an_event_export_is_a_rule_on_the_bus_into_its_firehose_stream(resources):
    [bus] = of_type(resources, "AWS::Events::EventBus")
    [rule] = [
        r["Properties"]
        for r in of_type(resources, "AWS::Events::Rule").values()
        if r["Properties"]["Targets"][0]["Arn"].get("Fn::GetAtt", [""])[0] == stream_of(resources, SESSIONS)
    ]
    assert rule["EventPattern"]["detail-type"] == list(SESSIONS.detail_types)
    assert rule["EventBusName"] == {"Ref": bus}
    assert rule["Targets"][0]["InputPath"] == "$.detail"  # the line is the event's detail


def test_the_audit_trail_is_exported_from_its_tables_stream_by_its_function(resources):
    [audit_table] = [
        name
        for name in of_type(resources, "AWS::DynamoDB::GlobalTable")
        if name.startswith("StorageAuditRecord")
    ]
    assert resources[audit_table]["Properties"]["StreamSpecification"] == {"StreamViewType": "NEW_IMAGE"}
    function = function_named(resources, AUDIT_EXPORT.handler)
    [mapping] = of_type(resources, "AWS::Lambda::EventSourceMapping").values()
    given = mapping["Properties"]
    assert given["FunctionName"] == {"Ref": function}
    assert given["EventSourceArn"] == {"Fn::GetAtt": [audit_table, "StreamArn"]}
    assert given["StartingPosition"] == "TRIM_HORIZON"  # what was kept before it ran is not skipped
    # New entries only: TTL's deletions never invoke it.
    assert [json.loads(f["Pattern"]) for f in given["FilterCriteria"]["Filters"]] == [
        {"eventName": ["INSERT"]}
    ]
    assert given["BatchSize"] == 500 and given["MaximumBatchingWindowInSeconds"] == 60
    assert "MaximumRetryAttempts" not in given  # tried again until the stream lets the entries go
    stream = stream_of(resources, AUDIT)
    variables = resources[function]["Properties"]["Environment"]["Variables"]
    assert variables["CSMS_AUDIT_EXPORT_STREAM"] == {"Ref": stream}


def test_the_audit_exporter_reads_the_stream_and_puts_into_its_firehose_stream_only(resources):
    function = resources[function_named(resources, AUDIT_EXPORT.handler)]
    granted = {}
    for statement in statements_of(resources, function):
        actions = statement["Action"]
        for action in [actions] if isinstance(actions, str) else actions:
            granted[action] = json.dumps(statement["Resource"])
    assert not TABLE_WRITES & set(granted)  # the trail stays append-only
    assert not any(action.startswith("events:") for action in granted)
    for action in ("dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream"):
        assert "StorageAuditRecord" in granted[action] and "StreamArn" in granted[action]
    assert {a for a in granted if a.startswith("dynamodb:")} == {
        "dynamodb:ListStreams",
        "dynamodb:DescribeStream",
        "dynamodb:GetRecords",
        "dynamodb:GetShardIterator",
    }
    assert stream_of(resources, AUDIT) in granted["firehose:PutRecordBatch"]
    assert stream_of(resources, SESSIONS) not in json.dumps(list(granted.values()))


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_each_stream_writes_gzipped_json_lines_by_day_into_the_exports_bucket(resources, export):
    stream = of_type(resources, "AWS::KinesisFirehose::DeliveryStream")[stream_of(resources, export)]
    destination = stream["Properties"]["ExtendedS3DestinationConfiguration"]
    assert destination["Prefix"] == (
        f"{export.prefix}year=!{{timestamp:yyyy}}/month=!{{timestamp:MM}}/day=!{{timestamp:dd}}/"
    )
    assert destination["CompressionFormat"] == "GZIP"
    [processor] = destination["ProcessingConfiguration"]["Processors"]
    assert processor["Type"] == "AppendDelimiterToRecord"  # one JSON document per line
    bucket = resources[destination["BucketARN"]["Fn::GetAtt"][0]]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] is True
    assert resources[destination["BucketARN"]["Fn::GetAtt"][0]]["DeletionPolicy"] == "Retain"


@pytest.mark.parametrize("export", EXPORTS, ids=lambda e: e.name)
def test_athena_reads_the_lines_through_a_glue_table_with_projected_days(resources, export):
    given = glue_table(resources, export)
    assert given["TableType"] == "EXTERNAL_TABLE"
    storage = given["StorageDescriptor"]
    assert storage["SerdeInfo"]["SerializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    assert [p["Name"] for p in given["PartitionKeys"]] == ["year", "month", "day"]
    parameters = given["Parameters"]
    assert parameters["projection.enabled"] == "true"
    template = json.dumps(parameters["storage.location.template"])
    # The local runtime writes its files under the same partitions
    local = export_key(export, datetime(2026, 12, 2, 9, tzinfo=UTC))
    assert local.startswith(f"{export.prefix}year=2026/month=12/day=02/")
    assert f"{export.prefix}year=${{year}}/month=${{month}}/day=${{day}}/" in template


def test_the_sessions_columns_are_the_events_with_their_tenant(resources):
    columns = {c["Name"]: c["Type"] for c in glue_table(resources, SESSIONS)["StorageDescriptor"]["Columns"]}
    assert columns["transactionid"] == "string" and columns["energywh"] == "double"
    assert columns["active"] == "boolean" and columns["connectorid"] == "int"
    assert columns["tenantid"] == "string"  # whose each session is


def test_the_audit_columns_are_the_entries_as_get_audit_names_them(resources):
    columns = {c["Name"]: c["Type"] for c in glue_table(resources, AUDIT)["StorageDescriptor"]["Columns"]}
    assert columns == {
        "at": "string",
        "principal": "string",
        "kind": "string",
        "role": "string",
        "tenantid": "string",
        "sourceip": "string",
        "method": "string",
        "path": "string",
        "resource": "string",
        "status": "int",
        "requestid": "string",
    }


def test_every_stream_is_encrypted_at_rest(resources):
    streams = of_type(resources, "AWS::KinesisFirehose::DeliveryStream").values()
    assert len(streams) == len(EXPORTS)
    for stream in streams:
        assert stream["Properties"]["DeliveryStreamEncryptionConfigurationInput"] == {
            "KeyType": "AWS_OWNED_CMK"
        }
