"""How a simulated station answers the CSMS: every CSMS-initiated action of its version, the
actions it acts on, and the answers an operator asks it to give instead."""

from __future__ import annotations

import asyncio
import json

import jsonschema
import pytest

from local.fleet.obeying import COST_VENDOR, parse_overrides
from local.fleet.plan import Life
from local.fleet.samples import minimal, schema_of
from shared.protocol.versions import profile_for
from tests.unit.local.fleet.fake_csms import FINAL_COST, QUICK, eventually, fake_csms, living

# The fake CSMS's WebSocket versions (1.5 and 2.0: test_soap15.py, test_dialects.py).
VERSIONS = ("1.6", "2.0.1", "2.1")

IDLE = Life(**{**vars(QUICK), "idle_s": (1000.0, 1000.0)})  # no driver comes: only what the CSMS asks


@pytest.mark.parametrize("version", VERSIONS)
def test_every_csms_action_gets_an_answer_its_schema_accepts(version):
    actions = sorted(profile_for(version).from_csms - {"Reset"})  # a reset ends the connection: below

    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE) as station:
            answers = {}
            for action in actions:
                answers[action] = await csms.call(action, minimal(schema_of(version, action)))
            return answers, station.stats.commands

    answers, commands = asyncio.run(scenario())
    for action, frame in answers.items():
        assert frame[0] == 3, f"{action}: {frame}"
        jsonschema.validate(frame[2], schema_of(version, action, response=True))
    assert sum(commands.values()) == len(actions)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_reset_is_accepted_and_the_station_boots_again(version):
    request = {"type": "Hard"} if version == "1.6" else {"type": "Immediate"}

    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE):
            answer = await csms.call("Reset", request)
            await eventually(lambda: len(csms.of("BootNotification")) == 2)
            return csms, answer

    csms, answer = asyncio.run(scenario())
    assert answer[2] == {"status": "Accepted"}
    assert csms.connections == 2
    if version != "1.6":
        assert csms.of("BootNotification")[1].payload["reason"] == "RemoteReset"


def remote_start(version, connector):
    if version == "1.6":
        return "RemoteStartTransaction", {"idTag": "APP-USER", "connectorId": connector}
    return "RequestStartTransaction", {
        "idToken": {"idToken": "APP-USER", "type": "Central"},
        "remoteStartId": 42,
        "evseId": connector,
    }


def remote_stop(version, transaction_id):
    if version == "1.6":
        return "RemoteStopTransaction", {"transactionId": int(transaction_id)}
    return "RequestStopTransaction", {"transactionId": transaction_id}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_remote_start_begins_a_session_that_a_remote_stop_ends(version):
    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE, connectors=2) as station:
            started = await csms.call(*remote_start(version, 2))
            session = await eventually(lambda: station.active.get(2))
            await eventually(lambda: session.transaction_id)
            unknown = await csms.call(*remote_stop(version, "999999"))
            stopped = await csms.call(*remote_stop(version, session.transaction_id))
            await eventually(lambda: session.ended)
            return csms, session, started, unknown, stopped

    csms, session, started, unknown, stopped = asyncio.run(scenario())
    assert started[2]["status"] == "Accepted"
    assert unknown[2]["status"] == "Rejected"
    assert stopped[2]["status"] == "Accepted"
    assert (session.connector, session.tag, session.stop_kind) == (2, "APP-USER", "Remote")
    assert not csms.of("Authorize")  # a remote start needs no card at the station
    if version == "1.6":
        (start,) = csms.of("StartTransaction")
        assert (start.payload["connectorId"], start.payload["idTag"]) == (2, "APP-USER")
        (stop,) = csms.of("StopTransaction")
        assert stop.payload["reason"] == "Remote"
    else:
        (start,) = csms.of("TransactionEvent", "Started")
        assert start.payload["triggerReason"] == "RemoteStart"
        assert start.payload["transactionInfo"]["remoteStartId"] == 42
        assert start.payload["evse"]["id"] == 2
        (end,) = csms.of("TransactionEvent", "Ended")
        assert end.payload["transactionInfo"]["stoppedReason"] == "Remote"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_remote_start_on_a_busy_connector_is_rejected(version):
    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE) as station:
            first = await csms.call(*remote_start(version, 1))
            await eventually(lambda: station.active.get(1))
            second = await csms.call(*remote_start(version, 1))
            return first, second

    first, second = asyncio.run(scenario())
    assert (first[2]["status"], second[2]["status"]) == ("Accepted", "Rejected")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_changed_heartbeat_interval_takes_effect_and_reads_back(version):
    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE):
            if version == "1.6":
                changed = await csms.call("ChangeConfiguration", {"key": "HeartbeatInterval", "value": "1"})
                read = await csms.call("GetConfiguration", {"key": ["HeartbeatInterval", "NoSuchKey"]})
            else:
                where = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
                changed = await csms.call(
                    "SetVariables", {"setVariableData": [{**where, "attributeValue": "1"}]}
                )
                read = await csms.call("GetVariables", {"getVariableData": [where]})
            await eventually(lambda: len(csms.of("Heartbeat")) >= 2, timeout=10)
            return changed[2], read[2]

    changed, read = asyncio.run(scenario())
    if version == "1.6":
        assert changed == {"status": "Accepted"}
        assert read["configurationKey"] == [{"key": "HeartbeatInterval", "readonly": False, "value": "1"}]
        assert read["unknownKey"] == ["NoSuchKey"]
    else:
        assert changed["setVariableResult"][0]["attributeStatus"] == "Accepted"
        assert read["getVariableResult"][0]["attributeValue"] == "1"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_triggered_status_notification_follows_its_answer(version):
    if version == "1.6":
        request = {"requestedMessage": "StatusNotification", "connectorId": 1}
    else:
        request = {"requestedMessage": "StatusNotification", "evse": {"id": 1, "connectorId": 1}}

    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE):
            await eventually(lambda: csms.of("StatusNotification"))
            before = len(csms.of("StatusNotification"))
            answer = await csms.call("TriggerMessage", request)
            await eventually(lambda: len(csms.of("StatusNotification")) > before)
            return answer

    assert asyncio.run(scenario())[2] == {"status": "Accepted"}


@pytest.mark.parametrize("version", VERSIONS)
def test_answers_can_be_changed_per_action_or_for_all(version):
    reset = {"type": "Soft"} if version == "1.6" else {"type": "OnIdle"}
    unlock = {"connectorId": 1} if version == "1.6" else {"evseId": 1, "connectorId": 1}

    async def scenario(overrides):
        async with fake_csms() as csms, living(csms, version, life=IDLE, overrides=overrides):
            return await csms.call("Reset", reset), await csms.call("UnlockConnector", unlock)

    rejected, unlocked = asyncio.run(scenario(parse_overrides(["Reset=Rejected"], [version])))
    assert rejected[2] == {"status": "Rejected"}
    assert unlocked[2] == {"status": "Unlocked"}  # the others answer as before
    refused, also_refused = asyncio.run(scenario(parse_overrides(["*=error:NotSupported"], [version])))
    assert (refused[0], refused[2]) == (4, "NotSupported")
    assert (also_refused[0], also_refused[2]) == (4, "NotSupported")


def test_overrides_that_cannot_apply_are_refused_before_a_run():
    with pytest.raises(ValueError, match="expected ACTION=STATUS"):
        parse_overrides(["Reset"], ["1.6"])
    with pytest.raises(ValueError, match="unknown error code"):
        parse_overrides(["Reset=error:NoSuchCode"], ["1.6"])
    with pytest.raises(ValueError, match="not a CSMS-initiated action"):
        parse_overrides(["RequestStartTransaction=Rejected"], ["1.6"])  # a 2.x action
    with pytest.raises(ValueError, match="not a CSMS-initiated action"):
        parse_overrides(["Heartbeat=Rejected"], ["2.0.1"])  # the station sends that one
    assert parse_overrides(["RequestStartTransaction=Rejected"], ["1.6", "2.1"]) == {
        "RequestStartTransaction": "Rejected"
    }


def cost_message(version, transaction_id, cost, final=False):
    """What a CSMS sends a driver's display: 2.x CostUpdated, 1.6 OCA California pricing."""
    if version != "1.6":
        return "CostUpdated", {"totalCost": cost, "transactionId": transaction_id}
    data = {"transactionId": int(transaction_id), "cost": cost}
    message = "FinalCost" if final else "RunningCost"
    return "DataTransfer", {"vendorId": COST_VENDOR, "messageId": message, "data": json.dumps(data)}


@pytest.mark.parametrize("version", VERSIONS)
def test_the_cost_the_csms_shows_is_kept_on_the_session(version):
    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE) as station:
            await csms.call(*remote_start(version, 1))
            session = await eventually(lambda: station.active.get(1))
            await eventually(lambda: session.transaction_id)
            running = await csms.call(*cost_message(version, session.transaction_id, 1.25))
            elsewhere = await csms.call(*cost_message(version, "777777", 9.0))
            await csms.call(*remote_stop(version, session.transaction_id))
            await eventually(lambda: session.ended)
            if version == "1.6":  # 1.6 hears the final cost in a call of its own
                await csms.call(*cost_message(version, session.transaction_id, FINAL_COST, final=True))
            other = await csms.call("DataTransfer", {"vendorId": "Acme", "messageId": "X"})
            return session, running, elsewhere, other, station.configuration

    session, running, elsewhere, other, configuration = asyncio.run(scenario())
    assert (session.running_cost, session.final_cost) == (1.25, FINAL_COST)
    if version == "1.6":
        assert (running[2], elsewhere[2]) == ({"status": "Accepted"}, {"status": "Rejected"})
        assert configuration["CustomDisplayCostAndPrice"] == "true"
    assert other[2]["status"] == "UnknownVendorId"


def tx_default(version, limit_a):
    period = [{"startPeriod": 0, "limit": limit_a}]
    if version == "1.6":
        profile = {
            "chargingProfileId": 5,
            "stackLevel": 0,
            "chargingProfilePurpose": "TxDefaultProfile",
            "chargingProfileKind": "Relative",
            "chargingSchedule": {"chargingRateUnit": "A", "chargingSchedulePeriod": period},
        }
        return {"connectorId": 0, "csChargingProfiles": profile}
    profile = {
        "id": 5,
        "stackLevel": 0,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Relative",
        "chargingSchedule": [{"id": 1, "chargingRateUnit": "A", "chargingSchedulePeriod": period}],
    }
    return {"evseId": 0, "chargingProfile": profile}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_station_draws_no_more_than_its_profile_allows_and_says_so(version):
    """6 A on three phases: 4,140 W at most, though its EVs would take more."""
    composite = {"connectorId": 1, "duration": 600} if version == "1.6" else {"evseId": 1, "duration": 600}

    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE) as station:
            none_yet = await csms.call("GetCompositeSchedule", composite)
            installed = await csms.call("SetChargingProfile", tx_default(version, 6))
            await csms.call(*remote_start(version, 1))
            session = await eventually(lambda: station.active.get(1))
            drawn = await eventually(lambda: session.power_w)
            schedule = await csms.call("GetCompositeSchedule", composite)
            return none_yet, installed, drawn, schedule

    none_yet, installed, drawn, schedule = asyncio.run(scenario())
    assert none_yet[2]["status"] == "Rejected" and installed[2] == {"status": "Accepted"}
    assert drawn == 6 * 230 * 3
    periods = (schedule[2]["chargingSchedule"] if version == "1.6" else schedule[2]["schedule"])[
        "chargingSchedulePeriod"
    ]
    assert periods == [{"startPeriod": 0, "limit": 4140.0}]


def tx_profile(version, transaction_id, limit_a):
    """A TxProfile on connector / EVSE 1 for a transaction."""
    body = tx_default(version, limit_a)
    key = "csChargingProfiles" if version == "1.6" else "chargingProfile"
    profile = {**body[key], "chargingProfilePurpose": "TxProfile", "transactionId": transaction_id}
    profile |= {"chargingProfileId": 6} if version == "1.6" else {"id": 6}
    return {key: profile, **({"connectorId": 1} if version == "1.6" else {"evseId": 1})}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_tx_profile_for_a_session_that_is_not_there_is_rejected(version):
    """A profile sent late, after its session ended, must not limit the next one."""

    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=IDLE) as station:
            idle = await csms.call(
                "SetChargingProfile", tx_profile(version, 1 if version == "1.6" else "T1", 8)
            )
            await csms.call(*remote_start(version, 1))
            session = await eventually(lambda: station.active.get(1))
            await eventually(lambda: session.transaction_id)
            other = 999 if version == "1.6" else "another"
            stale = await csms.call("SetChargingProfile", tx_profile(version, other, 8))
            mine = int(session.transaction_id) if version == "1.6" else session.transaction_id
            current = await csms.call("SetChargingProfile", tx_profile(version, mine, 8))
            drawn = await eventually(lambda: session.power_w == 8 * 230 * 3 and session.power_w)
            return idle, stale, current, drawn

    idle, stale, current, drawn = asyncio.run(scenario())
    assert idle[2] == {"status": "Rejected"} and stale[2] == {"status": "Rejected"}
    assert current[2] == {"status": "Accepted"} and drawn == 8 * 230 * 3
