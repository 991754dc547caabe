"""A simulated station's own behaviour, watched from a stand-in CSMS over a real WebSocket."""

from __future__ import annotations

import asyncio

import pytest

from local.fleet.plan import Life
from tests.unit.local.fleet.fake_csms import QUICK, FakeCsms, eventually, fake_csms, living

# The fake CSMS's WebSocket versions (1.5 and 2.0: test_soap15.py, test_dialects.py).
VERSIONS = ("1.6", "2.0.1", "2.1")


def session_frames(csms: FakeCsms, version: str, session) -> dict[str, list]:
    """The frames of one session, by kind: start, meter values and end."""
    if version == "1.6":
        starts = [
            f
            for f in csms.of("StartTransaction")
            if (f.payload["idTag"], f.payload["timestamp"]) == (session.tag, session.started_at)
        ]
        transaction = int(session.transaction_id)
        meters = [f for f in csms.of("MeterValues") if f.payload.get("transactionId") == transaction]
        ends = [f for f in csms.of("StopTransaction") if f.payload["transactionId"] == transaction]
        return {"start": starts, "meter": meters, "end": ends}
    mine = [
        f
        for f in csms.of("TransactionEvent")
        if f.payload["transactionInfo"]["transactionId"] == session.local_id
    ]
    by_type = {
        kind: [f for f in mine if f.payload["eventType"] == kind] for kind in ("Started", "Updated", "Ended")
    }
    return {"start": by_type["Started"], "meter": by_type["Updated"], "end": by_type["Ended"]}


def registers(version: str, frame) -> list[float]:
    values = frame.payload.get("meterValue", [])
    return [
        float(sample["value"])
        for value in values
        for sample in value["sampledValue"]
        if sample.get("measurand") == "Energy.Active.Import.Register"
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_start_whose_answer_was_lost_is_resent_unchanged_and_the_offline_queue_follows(version):
    start_action = "StartTransaction" if version == "1.6" else "TransactionEvent"

    async def scenario():
        async with fake_csms() as csms:
            arrived = csms.withhold(start_action)
            async with living(csms, version) as station:
                await arrived.wait()
                station.drop("test outage", outage=True)  # the answer is lost with the connection
                await asyncio.sleep(1.0)  # charging, metering and queueing while offline
                station.network.set()
                session = station.ledger[0]
                await eventually(lambda: session.ended)
                return csms, station, session

    csms, _, session = asyncio.run(scenario())
    frames = session_frames(csms, version, session)

    # A plain reconnect does not boot again.
    assert csms.connections >= 2
    assert len(csms.of("BootNotification")) == 1
    # The start went out on the first connection and again, unchanged, on the second.
    starts = frames["start"]
    assert [f.connection for f in starts] == [1, 2]
    assert starts[0].payload == starts[1].payload
    # Then everything else of the session, once each, on the new connection.
    assert frames["meter"] and len(frames["end"]) == 1
    assert {f.connection for f in frames["meter"] + frames["end"]} == {2}
    # The meter register rises and the end reading is what the station metered.
    readings = [r for f in frames["meter"] for r in registers(version, f)]
    assert readings == sorted(readings)
    if version == "1.6":
        assert {f.payload["transactionId"] for f in frames["meter"]} == {int(session.transaction_id)}
        end = frames["end"][0].payload
        assert end["meterStop"] - starts[0].payload["meterStart"] == session.energy_wh > 0
    else:
        events = [starts[0]] + frames["meter"] + frames["end"]
        assert [f.payload["seqNo"] for f in events] == list(range(len(events)))
        # What was queued during the outage says so; what was sent live does not.
        assert "offline" not in starts[0].payload
        assert any(f.payload.get("offline") for f in frames["meter"])
        end_register = registers(version, frames["end"][0])[0]
        assert end_register - registers(version, starts[0])[0] == session.energy_wh > 0
    assert readings[-1] <= session.meter_wh


@pytest.mark.parametrize("version", VERSIONS)
def test_a_station_cut_off_when_the_run_ends_comes_back_before_it_leaves(version):
    idle = Life(**{**vars(QUICK), "idle_s": (1000.0, 1000.0)})

    async def scenario():
        async with fake_csms() as csms:
            async with living(csms, version, life=idle) as station:
                station.drop("test outage", outage=True)
                await eventually(lambda: not station.online.is_set())
            return csms, station

    csms, station = asyncio.run(scenario())
    assert csms.connections == 2
    assert station.stats.connects == 2
    assert station.stats.drops["test outage"] == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_heartbeats_come_at_the_interval_the_csms_gave(version):
    idle = Life(**{**vars(QUICK), "idle_s": (1000.0, 1000.0)})

    async def scenario():
        async with fake_csms(heartbeat_s=1) as csms, living(csms, version, life=idle) as station:
            await eventually(lambda: len(csms.of("Heartbeat")) >= 3, timeout=10)
            return station

    station = asyncio.run(scenario())
    assert station.heartbeat_s == 1


@pytest.mark.parametrize("version", VERSIONS)
def test_a_station_reports_each_connector_after_boot(version):
    idle = Life(**{**vars(QUICK), "idle_s": (1000.0, 1000.0)})

    async def scenario():
        async with fake_csms() as csms, living(csms, version, life=idle, connectors=3):
            await eventually(lambda: len(csms.of("StatusNotification")) >= 3)
            return csms

    csms = asyncio.run(scenario())
    boot = csms.frames[0]
    assert boot.action == "BootNotification"
    statuses = [f.payload for f in csms.of("StatusNotification")]
    if version == "1.6":
        assert [(s["connectorId"], s["status"]) for s in statuses] == [
            (1, "Available"),
            (2, "Available"),
            (3, "Available"),
        ]
    else:
        assert boot.payload["reason"] == "PowerUp"
        assert [(s["evseId"], s["connectorStatus"]) for s in statuses] == [
            (1, "Available"),
            (2, "Available"),
            (3, "Available"),
        ]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_transaction_message_the_csms_could_not_store_is_sent_again_unchanged(version):
    """A CALLERROR InternalError is the CSMS's "not stored": the station sends the message
    again, as OCPP has transaction messages retried, rather than dropping it (1.6: the session's
    end; 2.x: its start, the first TransactionEvent)."""
    action, kind = ("StopTransaction", "end") if version == "1.6" else ("TransactionEvent", "start")

    async def scenario():
        async with fake_csms() as csms:
            csms.failing[action] = 1
            async with living(csms, version) as station:
                session = (await eventually(lambda: station.ledger))[0]
                await eventually(lambda: session.ended)
                return csms, station, session

    csms, station, session = asyncio.run(scenario())
    sent = session_frames(csms, version, session)[kind]
    assert len(sent) == 2 and sent[0].payload == sent[1].payload
    assert station.stats.resends == 1


def test_a_station_that_finishes_closes_its_connection():
    """The end of a run: the CSMS sees every station leave (its $disconnect), not a connection
    left open until the fleet's process exits."""

    async def scenario():
        async with fake_csms() as csms:
            async with living(csms, "2.0.1", life=Life(**{**vars(QUICK), "session_s": (60.0, 60.0)})):
                assert csms.open == 1
            await eventually(lambda: csms.open == 0, timeout=5)
            return csms

    assert asyncio.run(scenario()).connections == 1
