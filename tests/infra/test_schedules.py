"""Schedules from the manifest, and the domain-event bus with its publishers."""

import asyncio

from local.runtime import schedules as local_schedules
from local.runtime import websocket_api as local_websocket_api
from shared import manifest
from shared.grants import granted
from shared.manifest import ALL_FUNCTIONS, REACTIONS, SCHEDULES
from tests.infra.conftest import function_named, of_type, statements_of


def schedule_rules(resources):
    return {
        k: r
        for k, r in of_type(resources, "AWS::Events::Rule").items()
        if "ScheduleExpression" in r["Properties"]
    }


def test_one_rule_per_manifest_schedule_invoking_its_function(resources):
    rules = schedule_rules(resources)
    assert len(rules) == len(SCHEDULES)
    for schedule in SCHEDULES:
        unit = "minute" if schedule.rate_minutes == 1 else "minutes"
        function = {"Fn::GetAtt": [function_named(resources, schedule.function.handler), "Arn"]}
        [rule] = [r for r in rules.values() if r["Properties"]["Targets"][0]["Arn"] == function]
        assert rule["Properties"]["ScheduleExpression"] == f"rate({schedule.rate_minutes} {unit})"
        assert len(rule["Properties"]["Targets"]) == 1


def test_the_local_runtime_runs_the_schedules_the_stack_deploys(resources):
    invoked = []

    class Recorder:
        async def invoke(self, function, event):
            invoked.append(function.handler)

    async def briefly():
        async with local_schedules.running(Recorder(), period_s=0.01, react=False):
            await asyncio.sleep(0.1)

    asyncio.run(briefly())
    deployed = {
        handler
        for rule in schedule_rules(resources).values()
        for target in rule["Properties"]["Targets"]
        for name, function in of_type(resources, "AWS::Lambda::Function").items()
        if target["Arn"] == {"Fn::GetAtt": [name, "Arn"]}
        for handler in [function["Properties"]["Handler"]]
    }
    assert set(invoked) == deployed and deployed


def test_one_rule_on_the_bus_per_reaction_invoking_its_function(resources):
    [bus] = of_type(resources, "AWS::Events::EventBus")
    functions = of_type(resources, "AWS::Lambda::Function")
    rules = [
        r
        for r in of_type(resources, "AWS::Events::Rule").values()
        if "EventPattern" in r["Properties"]
        and r["Properties"]["Targets"][0]["Arn"].get("Fn::GetAtt", [None])[0] in functions
    ]
    assert len(rules) == len(REACTIONS)  # the exports' rules go to Firehose (tests/infra/test_exports.py)
    for reaction in REACTIONS:
        function = {"Fn::GetAtt": [function_named(resources, reaction.function.handler), "Arn"]}
        [rule] = [r for r in rules if r["Properties"]["Targets"][0]["Arn"] == function]
        assert rule["Properties"]["EventBusName"] == {"Ref": bus}
        assert rule["Properties"]["EventPattern"] == {
            "source": ["csms"],
            "detail-type": list(reaction.detail_types),
        }


def test_the_local_websocket_api_serves_the_routes_the_stack_deploys():
    assert local_websocket_api.WEBSOCKET_ROUTES is manifest.WEBSOCKET_ROUTES
    assert local_websocket_api.AUTHORIZER is manifest.AUTHORIZER


def test_publishers_name_the_bus_and_may_put_events_on_it_alone(resources):
    [bus] = of_type(resources, "AWS::Events::EventBus")
    for spec in ALL_FUNCTIONS:
        function = resources[function_named(resources, spec.handler)]
        variables = function["Properties"]["Environment"]["Variables"]
        assert variables["CSMS_EVENT_BUS"] == {"Ref": bus}
        statements = statements_of(resources, function)
        puts = [s for s in statements if s["Action"] == "events:PutEvents"]
        if granted(spec.uses).bus:
            assert [s["Resource"] for s in puts] == [{"Fn::GetAtt": [bus, "Arn"]}], spec.name
        else:
            assert not puts, spec.name
