"""The dead-letter queue: every EventBridge target and every function invoked asynchronously
sends what it could not deliver or finish there, and a message in it raises an alarm."""

import json

from infra.functions import ASYNCHRONOUS
from shared.manifest import ALL_FUNCTIONS, FTP_FUNCTIONS
from tests.infra.conftest import function_named, of_type


def _queue(resources):
    [name] = of_type(resources, "AWS::SQS::Queue")
    return name


def _rule_targets(resources):
    return [t for r in of_type(resources, "AWS::Events::Rule").values() for t in r["Properties"]["Targets"]]


def test_every_rule_target_has_the_dead_letter_queue(resources, every_feature):
    for found in (resources, every_feature[2]["Resources"]):
        targets = _rule_targets(found)
        assert len(targets) >= 9  # schedules, reactions, the exports
        for target in targets:
            assert target["DeadLetterConfig"] == {"Arn": {"Fn::GetAtt": [_queue(found), "Arn"]}}, target["Id"]


def test_the_functions_invoked_asynchronously_and_only_they_have_it(every_feature):
    resources = every_feature[2]["Resources"]
    for spec in (*ALL_FUNCTIONS, *FTP_FUNCTIONS):
        props = resources[function_named(resources, spec.handler)]["Properties"]
        expected = (
            {"TargetArn": {"Fn::GetAtt": [_queue(resources), "Arn"]}} if spec.name in ASYNCHRONOUS else None
        )
        assert props.get("DeadLetterConfig") == expected, spec.name
    targeted = {
        t["Arn"]["Fn::GetAtt"][0] for t in _rule_targets(resources) if "Fn::GetAtt" in t["Arn"]
    } & set(of_type(resources, "AWS::Lambda::Function"))
    assert all("DeadLetterConfig" in resources[name]["Properties"] for name in targeted)


def test_the_queue_is_encrypted_tls_only_and_alarmed(resources):
    queue = _queue(resources)
    assert resources[queue]["Properties"]["SqsManagedSseEnabled"] is True
    [policy] = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in of_type(resources, "AWS::SQS::QueuePolicy").values()
        if p["Properties"]["Queues"] == [{"Ref": queue}]
    ]
    assert any(s["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(s) for s in policy)
    assert any(s.get("Principal") == {"Service": "events.amazonaws.com"} for s in policy)
    [alarm] = [
        a["Properties"]
        for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if a["Properties"].get("Namespace") == "AWS/SQS"
    ]
    assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible" and alarm["Threshold"] == 1
    assert alarm["Dimensions"] == [{"Name": "QueueName", "Value": {"Fn::GetAtt": [queue, "QueueName"]}}]


def test_an_alarm_email_that_cannot_be_sent_waits_in_the_queue(every_feature):
    resources = every_feature[2]["Resources"]
    [subscription] = of_type(resources, "AWS::SNS::Subscription").values()
    assert subscription["Properties"]["Protocol"] == "email"
    assert subscription["Properties"]["RedrivePolicy"] == {
        "deadLetterTargetArn": {"Fn::GetAtt": [_queue(resources), "Arn"]}
    }


def test_a_table_streams_records_that_keep_failing_are_told_to_the_queue(resources):
    mappings = of_type(resources, "AWS::Lambda::EventSourceMapping").values()
    assert mappings  # the audit export
    for mapping in mappings:
        assert mapping["Properties"]["DestinationConfig"] == {
            "OnFailure": {"Destination": {"Fn::GetAtt": [_queue(resources), "Arn"]}}
        }
