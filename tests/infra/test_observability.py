"""Alarms reach the topic; the dashboard exists."""

import json

from infra.observability import handshakes
from shared.domain.admission import Verdict
from shared.manifest import ALL_FUNCTIONS
from tests.infra.conftest import of_type


def test_alarms_cover_functions_apis_tables_and_refused_handshakes(resources):
    alarms = of_type(resources, "AWS::CloudWatch::Alarm")
    [topic] = of_type(resources, "AWS::SNS::Topic")
    text = json.dumps(alarms)
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": topic}]
    functions = {spec.name for spec in ALL_FUNCTIONS}
    described = [a["Properties"]["AlarmDescription"] for a in alarms.values()]
    for name in functions:
        assert f"{name} failed" in described and f"{name} was throttled" in described
    assert sum(d.startswith("DynamoDB throttled") for d in described) == len(
        of_type(resources, "AWS::DynamoDB::GlobalTable")
    )
    assert '"5xx"' in text  # the operator API
    assert "ExecutionError" in text and "IntegrationError" in text  # the WebSocket API
    assert (
        handshakes(Verdict.DENY).metric_name in text and handshakes(Verdict.UNAUTHORIZED).metric_name in text
    )
    assert "DomainEventsFailed" in text and "InternalErrors" in text
    assert "OpenAdrPollFailures" in text  # a VTN that stops answering is never silent


def test_a_dashboard(resources):
    [dashboard] = of_type(resources, "AWS::CloudWatch::Dashboard").values()
    assert "Charge points" in json.dumps(dashboard["Properties"]["DashboardBody"])


def test_the_alarm_topic_takes_publishers_over_tls_only(resources):
    [topic] = of_type(resources, "AWS::SNS::Topic")
    [policy] = [
        p["Properties"]["PolicyDocument"]["Statement"]
        for p in of_type(resources, "AWS::SNS::TopicPolicy").values()
        if p["Properties"]["Topics"] == [{"Ref": topic}]
    ]
    assert any(s["Effect"] == "Deny" and "aws:SecureTransport" in json.dumps(s) for s in policy)
