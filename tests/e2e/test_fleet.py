"""The fleet simulator against the running local runtime: what the stations did is what the
operator API shows, and the operator API's commands reach the stations and act."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest

from local.fleet import plan
from local.fleet.runner import Options, run
from local.fleet.station import Tls
from local.runtime.launch import ROOT
from tests.e2e.conftest import TOKEN, start_runtime

pytestmark = pytest.mark.e2e

BUSY = plan.Life(
    meter_interval_s=1.0,
    session_s=(3.0, 7.0),
    idle_s=(0.5, 2.0),
    fault_chance=0.2,
    fault_s=(1.0, 2.0),
    unknown_tag_chance=0.1,
    offline_every_s=8.0,
    offline_s=(1.0, 3.0),
    call_timeout_s=15.0,
)


def sessions_of(runtime, station_id):
    status, page = runtime.api("GET", f"/transactions?chargePointId={station_id}&limit=100")
    assert status == 200
    return page["items"]


def busy_fleet(runtime, stations, mix, prefix, *, seed, duration_s, storm_at_s):
    """A busy fleet's run against the runtime, with outages and a reconnect storm."""
    specs = plan.fleet(stations, plan.parse_mix(mix), prefix, connectors=2)
    tag = prefix.strip("-").replace("-", "").upper()
    options = Options(
        runtime.ws_url + "/ocpp",
        runtime.api_url,
        TOKEN,
        specs,
        seed=seed,
        life=BUSY,
        tag_prefix=tag,
        duration_s=duration_s,
        ramp_s=1,
        storm_at_s=storm_at_s,
    )
    return asyncio.run(run(options))


def test_a_busy_fleet_with_outages_and_a_storm_is_recorded_once_with_its_energy(runtime):
    outcome = busy_fleet(runtime, 6, "1.6,2.0.1,2.1", "e2e-fleet-", seed=3, duration_s=20, storm_at_s=10)
    stats = outcome.stats

    assert (stats.call_errors, stats.timeouts, stats.crashes, stats.undelivered) == (0, 0, 0, 0)
    # Both kinds of loss happened (a station in an outage at the storm has no link to drop).
    assert stats.drops["reconnect storm"] >= 3 and stats.drops["network outage"] > 0
    lost = stats.drops["reconnect storm"] + stats.drops["network outage"]
    assert stats.connects >= len(outcome.stations) + lost, (stats.connect_failures, stats.drops)
    assert stats.sessions_refused > 0  # the unknown cards
    assert outcome.check is not None and outcome.check.ok, outcome.check.as_dict()
    # The API, asked station by station, holds each session the station ran: once, ended,
    # with the energy the station metered.
    for station in outcome.stations:
        assert station.ledger, f"{station.id} ran no session"
        recorded = {item["transactionId"]: item for item in sessions_of(runtime, station.id)}
        ran = {session.transaction_id: session for session in station.ledger}
        assert recorded.keys() == ran.keys()
        for transaction_id, session in ran.items():
            item = recorded[transaction_id]
            assert not item["active"]
            assert item["energyWh"] == session.energy_wh
            assert item["idToken"] == session.tag


def test_each_driver_reads_the_sessions_of_its_cards_with_its_own_key(runtime):
    specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), "e2e-drivers-", connectors=2)
    tariff = {  # these stations' only: the receipts then hold real totals, VAT included
        "currency": "EUR",
        "vatRate": 20,
        "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.3}, {"type": "FLAT", "price": 2}]}],
        "assignedTo": {"chargePoints": [spec.id for spec in specs]},
    }
    assert runtime.api("PUT", "/tariffs/e2e-drivers", tariff)[0] in (200, 201)
    # An earlier run's driver holds one of the cards (as a second demo finds the first's): the
    # fleet takes it back.
    earlier = runtime.api("POST", "/drivers", {"name": "Earlier", "email": "earlier@e2e.example"})[1]
    assert runtime.api("PUT", "/id-tokens/E2EDRIVER-0000", {"status": "Accepted"})[0] in (200, 201)
    assert runtime.api("PUT", f"/drivers/{earlier['driverId']}/id-tokens/E2EDRIVER-0000")[0] == 204
    options = Options(
        runtime.ws_url + "/ocpp",
        runtime.api_url,
        TOKEN,
        specs,
        seed=5,
        life=BUSY,
        tag_prefix="E2EDRIVER",
        duration_s=12,
        ramp_s=1,
        drivers=2,
    )
    try:
        outcome = asyncio.run(run(options))
    finally:
        runtime.api("DELETE", "/tariffs/e2e-drivers")

    check = outcome.check
    assert check is not None and check.ok, check.as_dict()
    ran = {(station.id, s.transaction_id): s for station in outcome.stations for s in station.ledger}
    assert (check.drivers, check.driver_found, check.driver_expected) == (2, len(ran), len(ran))
    assert check.receipts_checked == 5
    # Read again here, each with its own key: a driver's list holds its own cards' sessions only,
    # and the two lists together every session the fleet ran, each priced by the tariff.
    drivers = outcome.stats.drivers
    assert sorted(tag for driver in drivers for tag in driver.tags) == plan.tags_of("E2EDRIVER", 20)
    listed = []
    for driver in drivers:
        status, page = runtime.api("GET", "/driver/sessions?limit=100", token=driver.key)
        assert status == 200 and page.get("nextToken") is None
        assert {item["idToken"] for item in page["items"]} <= set(driver.tags)
        assert all(item["cost"]["inclVat"] > 0 for item in page["items"])
        listed += [(item["chargePointId"], item["transactionId"]) for item in page["items"]]
    assert sorted(listed) == sorted(ran)
    assert runtime.api("GET", "/driver/sessions", token=TOKEN)[0] == 403  # an operator's is no driver's
    assert runtime.api("GET", f"/drivers/{earlier['driverId']}")[1]["idTokens"] == []


def idle_fleet_options(runtime, prefix):
    idle = plan.Life(
        **{**vars(BUSY), "idle_s": (1000.0, 1000.0), "fault_chance": 0.0, "offline_every_s": 0.0}
    )
    specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), prefix, connectors=2)
    return Options(runtime.ws_url + "/ocpp", runtime.api_url, TOKEN, specs, life=idle, tag_prefix=prefix)


def test_operator_commands_reach_the_fleet_and_act(runtime):
    options = idle_fleet_options(runtime, "e2e-cmd-")
    assert runtime.api("PUT", "/id-tokens/FLEET-APP-1", {"status": "Accepted"})[0] in (200, 201)

    def send(station_id, path, body):
        return runtime.api("POST", f"/charge-points/{station_id}/{path}?wait=10", body)

    def linked(command_id):
        return runtime.api("GET", f"/commands/{command_id}")[1].get("transactionId")

    def ended(station_id, transaction_id):
        items = [i for i in sessions_of(runtime, station_id) if i["transactionId"] == transaction_id]
        return items and not items[0]["active"] and items[0]

    async def scenario():
        stop = asyncio.Event()
        running = asyncio.create_task(run(options, stop))
        await asyncio.to_thread(
            runtime.wait_for,
            lambda: all(runtime.api("GET", f"/charge-points/{s.id}")[1].get("online") for s in options.specs),
            20,
        )
        results = {}
        for spec in options.specs:
            heartbeat_key = (
                "HeartbeatInterval" if spec.version == "1.6" else "OCPPCommCtrlr/HeartbeatInterval"
            )
            started = await asyncio.to_thread(
                send,
                spec.id,
                "remote-start",
                {"idToken": "FLEET-APP-1", "connectorId": 2, "evseId": None if spec.version == "1.6" else 2},
            )
            transaction_id = await asyncio.to_thread(
                runtime.wait_for, lambda c=started[1]["commandId"]: linked(c), 10
            )
            await asyncio.sleep(2.5)  # it charges for a while
            stopped = await asyncio.to_thread(send, spec.id, "remote-stop", {"transactionId": transaction_id})
            session = await asyncio.to_thread(
                runtime.wait_for, lambda s=spec.id, t=transaction_id: ended(s, t), 10
            )
            changed = await asyncio.to_thread(
                send, spec.id, "configuration/change", {"key": heartbeat_key, "value": "45"}
            )
            triggered = await asyncio.to_thread(send, spec.id, "trigger", {"message": "Heartbeat"})
            results[spec.id] = (started, transaction_id, stopped, session, changed, triggered)
        stop.set()
        return await running, results

    outcome, results = asyncio.run(scenario())
    for station in outcome.stations:
        started, transaction_id, stopped, session, changed, triggered = results[station.id]
        assert started[0] == 200 and started[1]["response"]["status"] == "Accepted"
        assert stopped[0] == 200 and stopped[1]["response"]["status"] == "Accepted"
        (ran,) = station.ledger
        assert (ran.transaction_id, ran.connector, ran.stop_kind) == (transaction_id, 2, "Remote")
        assert session["energyWh"] == ran.energy_wh > 0
        assert session["idToken"] == "FLEET-APP-1"
        assert (
            session["remoteStartCommandId"] == started[1]["commandId"]
            if "remoteStartCommandId" in session
            else True
        )
        assert changed[0] == 200 and triggered[0] == 200
        assert station.heartbeat_s == 45
        assert triggered[1]["response"]["status"] == "Accepted"
    assert outcome.stats.commands["TriggerMessage"] == 3


def test_make_load_reports_and_checks_a_run_against_a_given_csms(runtime, tmp_path):
    report_path = tmp_path / "report.json"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "local.fleet",
            "load",
            "--url",
            runtime.ws_url + "/ocpp",
            "--api-url",
            runtime.api_url,
            "--token",
            TOKEN,
            "--stations",
            "3",
            "--duration",
            "6",
            "--warmup",
            "2",
            "--meter-interval",
            "1",
            "--prefix",
            "e2e-cli-",
            "--json",
            str(report_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    report = json.loads(report_path.read_text())
    assert report["ok"] and report["stations"] == 3
    assert report["versions"] == {"1.6": 1, "2.0.1": 1, "2.1": 1}
    assert report["csmsView"]["found"] == report["csmsView"]["expected"] == report["sessions"]["started"]
    assert report["phases"]["ramp"]["answered"] > 0
    assert "Result: PASS" in finished.stdout


def test_secure_stations_get_certificates_and_move_to_profile_3(tmp_path):
    launched, runtime = start_runtime(
        tmp_path, "--data-dir", str(tmp_path / "data"), "--schedule-period", "1"
    )
    try:
        specs = plan.fleet(3, plan.parse_mix("1.6,2.0.1,2.1"), "e2e-secure-", connectors=1, secure_share=1)
        options = Options(
            runtime.ws_url + "/ocpp",
            runtime.api_url,
            TOKEN,
            specs,
            life=plan.Life(**{**vars(BUSY), "offline_every_s": 0.0}),
            tag_prefix="E2ESECURE",
            duration_s=15,
            tls=Tls(f"{launched.wss_url}/ocpp", tmp_path / "data" / "ca.pem", tmp_path),
        )
        outcome = asyncio.run(run(options))
        for spec in specs:  # the CSMS holds each to profile 3, with the certificate it issued in use
            assert runtime.api("GET", f"/charge-points/{spec.id}")[1]["securityProfile"] == 3
            issued = runtime.api("GET", f"/charge-points/{spec.id}/certificates")[1]["issued"]
            assert [(c["status"], c["inUse"]) for c in issued] == [("accepted", True)]
    finally:
        launched.stop()
    stats = outcome.stats
    assert (stats.call_errors, stats.timeouts, stats.crashes) == (0, 0, 0)
    assert stats.security["certificates installed"] == 3
    assert stats.security["profile 2 connections"] == 3 and stats.security["profile 3 connections"] >= 3
    assert all(station.profile == 3 for station in outcome.stations)
    assert outcome.check is not None and outcome.check.ok, outcome.check.as_dict()


def test_a_15_soap_station_and_a_20_station_charge_in_the_fleet_once_each(runtime):
    outcome = busy_fleet(runtime, 2, "1.5,2.0", "e2e-older-", seed=4, duration_s=15, storm_at_s=8)
    stats = outcome.stats

    assert (stats.call_errors, stats.timeouts, stats.crashes, stats.undelivered) == (0, 0, 0, 0)
    assert outcome.check is not None and outcome.check.ok, outcome.check.as_dict()
    for station in outcome.stations:
        status, found = runtime.api("GET", f"/charge-points/{station.id}")
        assert status == 200 and found["ocppVersion"] == station.spec.version
        assert station.ledger, f"{station.id} ran no session"
        recorded = {item["transactionId"]: item for item in sessions_of(runtime, station.id)}
        ran = {session.transaction_id: session for session in station.ledger}
        assert recorded.keys() == ran.keys()
        for transaction_id, session in ran.items():
            assert not recorded[transaction_id]["active"]
            assert recorded[transaction_id]["energyWh"] == session.energy_wh


def where_1(soap):
    return {} if soap else {"evseId": 1}


def test_older_stations_obey_the_operators_commands(runtime):
    options = idle_fleet_options(runtime, "e2e-oldcmd-")
    options.specs[:] = plan.fleet(2, plan.parse_mix("1.5,2.0"), "e2e-oldcmd-", connectors=2)
    assert runtime.api("PUT", "/id-tokens/FLEET-OLD-1", {"status": "Accepted"})[0] in (200, 201)

    def send(station_id, path, body):
        return runtime.api("POST", f"/charge-points/{station_id}/{path}?wait=10", body)

    def linked(command_id):
        return runtime.api("GET", f"/commands/{command_id}")[1].get("transactionId")

    async def scenario():
        stop = asyncio.Event()
        running = asyncio.create_task(run(options, stop))
        await asyncio.to_thread(
            runtime.wait_for,
            lambda: all(runtime.api("GET", f"/charge-points/{s.id}")[1].get("online") for s in options.specs),
            20,
        )
        results = {}
        for spec in options.specs:
            soap = spec.version == "1.5"
            where = {"connectorId": 2} if soap else {"evseId": 2}
            started = await asyncio.to_thread(
                send, spec.id, "remote-start", {"idToken": "FLEET-OLD-1", **where}
            )
            transaction_id = await asyncio.to_thread(
                runtime.wait_for, lambda c=started[1]["commandId"]: linked(c), 10
            )
            await asyncio.sleep(2.5)
            stopped = await asyncio.to_thread(send, spec.id, "remote-stop", {"transactionId": transaction_id})
            key = "HeartbeatInterval" if soap else "OCPPCommCtrlr/HeartbeatInterval"
            changed = await asyncio.to_thread(
                send, spec.id, "configuration/change", {"key": key, "value": "45"}
            )
            asked = {"action": "GetConfiguration", "payload": {"key": ["HeartbeatInterval"]}}
            if not soap:
                variable = {"component": {"name": "OCPPCommCtrlr"}, "variable": {"name": "HeartbeatInterval"}}
                asked = {"action": "GetVariables", "payload": {"getVariableData": [variable]}}
            read = await asyncio.to_thread(send, spec.id, "commands", asked)
            unlocked = await asyncio.to_thread(send, spec.id, "unlock", {"connectorId": 1} | where_1(soap))
            reset = await asyncio.to_thread(send, spec.id, "reset", {"hard": False})
            results[spec.id] = (started, transaction_id, stopped, changed, read, unlocked, reset)
        await asyncio.sleep(3)  # the resets: each station boots again
        stop.set()
        return await running, results

    outcome, results = asyncio.run(scenario())
    for station in outcome.stations:
        started, transaction_id, stopped, changed, read, unlocked, reset = results[station.id]
        for answered in (started, stopped, changed, reset):
            response = answered[1]["response"]
            status = response.get("status") or response["setVariableResult"][0]["attributeStatus"]  # 2.x
            assert answered[0] == 200 and status == "Accepted", answered
        (ran,) = station.ledger
        assert (ran.transaction_id, ran.connector, ran.stop_kind) == (transaction_id, 2, "Remote")
        assert read[0] == 200, read  # what it was changed to (the reset's boot then sets another)
        response = read[1]["response"]
        value = (
            response["configurationKey"][0]["value"]
            if station.spec.version == "1.5"
            else response["getVariableResult"][0]["attributeValue"]
        )
        assert value == "45"
        assert unlocked[0] == 200 and unlocked[1]["response"]["status"] == "Unlocked", unlocked
    assert outcome.stats.commands["Reset"] == 2
    assert outcome.check is not None and outcome.check.ok, outcome.check.as_dict()
