"""A 1.5 station over SOAP: its XML as the CSMS's reader takes it, and its own server answering
the CSMS's calls, against a stand-in SOAP door over real HTTP."""

from __future__ import annotations

import asyncio
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web
from ocpp.v16 import call, call_result

from local.fleet import plan
from local.fleet.soap15 import SoapStation, answer_element, read_element, request_element
from local.fleet.stats import Stats
from shared.protocol import soap, v15
from tests.unit.local.fleet.fake_csms import QUICK, eventually

CS, CP = soap.CS_NS, soap.CP_NS


def test_meter_values_are_15_values_that_the_csms_reads_as_16():
    message = call.MeterValues(
        connector_id=1,
        transaction_id=7,
        meter_value=[
            {
                "timestamp": "2026-01-01T10:00:00Z",
                "sampled_value": [
                    {"value": "1200", "measurand": "Energy.Active.Import.Register", "unit": "Wh"}
                ],
            }
        ],
    )
    action, element = request_element(message)
    assert (action, element.tag) == ("MeterValues", f"{{{CS}}}meterValuesRequest")
    (value,) = element.iter(f"{{{CS}}}value")
    assert (value.text, value.attrib["unit"]) == ("1200", "Wh")
    read = v15.read_request("MeterValues", element)
    assert read["transactionId"] == 7
    assert read["meterValue"][0]["sampledValue"][0]["value"] == "1200"


def call_element(action: str, fields: list[tuple[str, str]]) -> ET.Element:
    element = ET.Element(f"{{{CP}}}{action[0].lower()}{action[1:]}Request")
    for name, value in fields:
        ET.SubElement(element, f"{{{CP}}}{name}").text = value
    return element


def test_calls_are_read_in_16s_names_with_their_lists_and_integers():
    keys = call_element("GetConfiguration", [("key", "HeartbeatInterval"), ("key", "NumberOfConnectors")])
    assert read_element(keys, "GetConfiguration") == {"key": ["HeartbeatInterval", "NumberOfConnectors"]}
    change = call_element("ChangeConfiguration", [("key", "HeartbeatInterval"), ("value", "45")])
    assert read_element(change, "ChangeConfiguration") == {"key": "HeartbeatInterval", "value": "45"}
    start = call_element("RemoteStartTransaction", [("idTag", "CARD-1"), ("connectorId", "2")])
    assert read_element(start, "RemoteStartTransaction") == {"idTag": "CARD-1", "connectorId": 2}


def test_answers_take_15s_values():
    unlocked = answer_element("UnlockConnector", call_result.UnlockConnector(status="Unlocked"))
    assert v15.read_answer("UnlockConnector", unlocked) == {"status": "Unlocked"}  # the CSMS maps it back
    assert unlocked.find(f"{{{CP}}}status").text == "Accepted"


class Door:
    """A stand-in for the CSMS's SOAP door: it answers what a 1.5 station sends, keeps the
    station's address, and calls it there."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.endpoint: str | None = None

    async def handle(self, request: web.Request) -> web.Response:
        read = soap.parse(await request.read(), 1 << 20)
        action = read.operation.removesuffix("Request")
        self.received.append(action[0].upper() + action[1:])
        self.endpoint = read.from_address
        answer = ET.Element(f"{{{CS}}}{action}Response")
        fields = {
            "bootNotification": [
                ("status", "Accepted"),
                ("currentTime", "2026-01-01T10:00:00Z"),
                ("heartbeatInterval", "60"),
            ],
            "heartbeat": [("currentTime", "2026-01-01T10:00:00Z")],
        }.get(action, [])
        for name, value in fields:
            ET.SubElement(answer, f"{{{CS}}}{name}").text = value
        body = soap.envelope(answer, f"/{action}Response", CS, relates_to=read.message_id)
        return web.Response(body=body, content_type="application/soap+xml")

    async def call(self, station_id: str, action: str, fields: list[tuple[str, str]]) -> soap.Envelope:
        document = soap.envelope(
            call_element(action, fields),
            f"/{action}",
            CP,
            charge_box_identity=station_id,
            message_id="urn:uuid:1",
        )
        async with aiohttp.ClientSession() as session, session.post(self.endpoint, data=document) as answer:
            read = soap.parse(await answer.read(), 1 << 20)
        assert read.relates_to == "urn:uuid:1"
        return read


@asynccontextmanager
async def door_and_station() -> AsyncIterator[tuple[Door, SoapStation]]:
    door = Door()
    app = web.Application()
    app.router.add_post("/ocpp/soap/1.5", door.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/ocpp/soap/1.5"
    spec = plan.StationSpec("T-1.5", "1.5", 1)
    idle = plan.Life(**{**vars(QUICK), "idle_s": (1000.0, 1000.0)})
    station = SoapStation(spec, "", soap_url=url, seed=7, life=idle, tags=["CARD-1"], stats=Stats())
    station.start()
    try:
        await eventually(station.online.is_set)
        yield door, station
    finally:
        await station.finish(5)
        await runner.cleanup()


def test_a_15_station_boots_over_soap_and_obeys_a_remote_start_at_its_own_address():
    async def scenario() -> None:
        async with door_and_station() as (door, station):
            assert door.received[:2] == ["BootNotification", "StatusNotification"]
            assert door.endpoint == station.endpoint and station.heartbeat_s == 60
            started = await door.call(station.id, "RemoteStartTransaction", [("idTag", "CARD-1")])
            assert started.operation == "remoteStartTransactionResponse"
            assert started.body.find(f"{{{CP}}}status").text == "Accepted"
            await eventually(lambda: "StartTransaction" in door.received)
            asked = await door.call(station.id, "GetConfiguration", [("key", "HeartbeatInterval")])
            (key,) = asked.body.iter(f"{{{CP}}}configurationKey")
            assert key.find(f"{{{CP}}}value").text == "60"
            refused = await door.call(station.id, "RemoteStartTransaction", [("connectorId", "1")])
            assert soap.fault_of(refused) is not None  # no idTag: refused by 1.6's schema, not obeyed
            assert door.received.count("StartTransaction") == 1

    asyncio.run(scenario())


def test_a_soap_station_replaces_only_the_parts_of_a_station_it_means_to():
    """Its connection and its finish; anything else of the station's life is the station's own
    (a SOAP fault writer once took the name of a connector's fault, and faulting crashed)."""
    from local.fleet.station import Station

    replaced = {name for name in vars(SoapStation) if name in dir(Station) and not name.startswith("__")}
    assert replaced == {"_connection_loop", "finish"}
