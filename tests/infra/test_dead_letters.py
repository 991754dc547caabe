"""The dead-letter queue: every EventBridge target and every function invoked asynchronously
sends what it could not deliver or finish there (a function's as its on-failure destination),
and a message in it raises an alarm."""

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


def _on_failure(resources):
    """Function -> the on-failure destination of its asynchronous invocations."""
    configs = [c["Properties"] for c in of_type(resources, "AWS::Lambda::EventInvokeConfig").values()]
    return {
        c["FunctionName"]["Ref"]: c["DestinationConfig"]["OnFailure"]["Destination"]
        for c in configs
        if "DestinationConfig" in c
    }


def test_the_functions_invoked_asynchronously_and_only_they_send_their_failures_to_it(every_feature):
    resources = every_feature[2]["Resources"]
    failures = _on_failure(resources)
    for spec in (*ALL_FUNCTIONS, *FTP_FUNCTIONS):
        name = function_named(resources, spec.handler)
        expected = {"Fn::GetAtt": [_queue(resources), "Arn"]} if spec.name in ASYNCHRONOUS else None
        assert failures.get(name) == expected, spec.name
        assert "DeadLetterConfig" not in resources[name]["Properties"], spec.name  # not twice
    targeted = {
        t["Arn"]["Fn::GetAtt"][0] for t in _rule_targets(resources) if "Fn::GetAtt" in t["Arn"]
    } & set(of_type(resources, "AWS::Lambda::Function"))
    assert targeted <= set(failures)


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


def _arn_of(value):
    return value["Fn::GetAtt"][0] if isinstance(value, dict) and "Fn::GetAtt" in value else None


def _alarmed_queues(resources):
    return {
        alarm["Properties"]["Dimensions"][0]["Value"]["Fn::GetAtt"][0]
        for alarm in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("Namespace") == "AWS/SQS"
        and alarm["Properties"].get("MetricName") == "ApproximateNumberOfMessagesVisible"
    }


def test_every_asynchronous_target_has_retries_and_an_alarmed_place_for_what_fails(every_feature):
    """The template walked: what EventBridge (rules, schedules), Lambda (asynchronous
    invocations, stream mappings), S3 notifications, SNS and Firehose deliver without a caller
    waiting has its retries said and somewhere to put what still fails, which an alarm watches."""
    resources = every_feature[2]["Resources"]
    alarmed = _alarmed_queues(resources)
    functions = of_type(resources, "AWS::Lambda::Function")
    invoked_async: set[str] = set()

    for target in _rule_targets(resources):
        assert "RetryPolicy" in target, target["Id"]
        assert _arn_of(target["DeadLetterConfig"]["Arn"]) in alarmed, target["Id"]
        invoked_async.add(_arn_of(target["Arn"]))
    for schedule in of_type(resources, "AWS::Scheduler::Schedule").values():
        target = schedule["Properties"]["Target"]
        assert "RetryPolicy" in target and _arn_of(target["DeadLetterConfig"]["Arn"]) in alarmed
    for notifications in of_type(resources, "Custom::S3BucketNotifications").values():
        for config in notifications["Properties"]["NotificationConfiguration"].get(
            "LambdaFunctionConfigurations", []
        ):
            invoked_async.add(_arn_of(config["LambdaFunctionArn"]))
    for subscription in of_type(resources, "AWS::SNS::Subscription").values():
        if subscription["Properties"]["Protocol"] == "lambda":
            invoked_async.add(_arn_of(subscription["Properties"]["Endpoint"]))
        assert _arn_of(subscription["Properties"]["RedrivePolicy"]["deadLetterTargetArn"]) in alarmed
    for mapping in of_type(resources, "AWS::Lambda::EventSourceMapping").values():
        assert mapping["Properties"]["BisectBatchOnFunctionError"] is True
        assert _arn_of(mapping["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]) in alarmed

    invoked_async &= set(functions)
    assert len(invoked_async) >= 8  # 5 schedules, 2 reactions' functions, the FTP uploads' one
    configs = {
        _arn_of(c["Properties"]["FunctionName"]) or c["Properties"]["FunctionName"]["Ref"]: c["Properties"]
        for c in of_type(resources, "AWS::Lambda::EventInvokeConfig").values()
    }
    for name in invoked_async:
        assert _arn_of(configs[name]["DestinationConfig"]["OnFailure"]["Destination"]) in alarmed, name
        assert configs[name]["MaximumRetryAttempts"] == 2, name

    streams = set(of_type(resources, "AWS::KinesisFirehose::DeliveryStream"))
    stale = {
        dimension["Value"]["Ref"]
        for alarm in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if alarm["Properties"].get("MetricName") == "DeliveryToS3.DataFreshness"
        for dimension in alarm["Properties"]["Dimensions"]
    }
    assert streams and stale == streams
