"""An OCPP 1.5 station over SOAP against the running local runtime: real envelopes over HTTP to
/ocpp/soap/1.5, and the station's own service a small HTTP server here, which the CSMS calls."""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shared.protocol import soap

CS, CP = soap.CS_NS, soap.CP_NS
MAX = 1024 * 1024


class Station(BaseHTTPRequestHandler):
    """Accepts a remote start and tells its heartbeat interval; keeps what it was asked."""

    asked: list[str] = []

    def do_POST(self) -> None:
        read = soap.parse(self.rfile.read(int(self.headers["Content-Length"])), MAX)
        Station.asked.append(read.operation)
        name = read.operation.removesuffix("Request") + "Response"
        body = ET.Element(f"{{{CP}}}{name}")
        if name == "getConfigurationResponse":
            key = ET.SubElement(body, f"{{{CP}}}configurationKey")
            for field, value in (("key", "HeartbeatInterval"), ("readonly", "false"), ("value", "300")):
                ET.SubElement(key, f"{{{CP}}}{field}").text = value
        else:
            ET.SubElement(body, f"{{{CP}}}status").text = "Accepted"
        answer = soap.envelope(body, f"/{name}", CP, relates_to=read.message_id)
        self.send_response(200)
        self.send_header("Content-Type", soap.CONTENT_TYPE)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def station_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Station)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ocpp"
    server.shutdown()


def post(runtime, document: bytes) -> tuple[int, soap.Envelope]:
    request = urllib.request.Request(runtime.api_url + "/ocpp/soap/1.5", data=document, method="POST")
    request.add_header("Content-Type", soap.CONTENT_TYPE)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, soap.parse(response.read(), MAX)
    except urllib.error.HTTPError as error:
        return error.code, soap.parse(error.read(), MAX)


def send(runtime, identity: str, endpoint: str, action: str, fields: dict[str, str]) -> soap.Envelope:
    body = ET.Element(f"{{{CS}}}{action[0].lower() + action[1:]}Request")
    for name, value in fields.items():
        ET.SubElement(body, f"{{{CS}}}{name}").text = value
    message_id = f"urn:uuid:{uuid.uuid4()}"
    document = soap.envelope(
        body, f"/{action}", CS, charge_box_identity=identity, from_address=endpoint, message_id=message_id
    )
    status, read = post(runtime, document)
    assert status == 200, soap.fault_of(read)
    assert read.relates_to == message_id
    return read


def text(read: soap.Envelope, path: str) -> str | None:
    found = read.body.find("/".join(f"{{{CS}}}{name}" for name in path.split("/")))
    return found.text if found is not None else None


def test_a_15_station_boots_charges_once_and_obeys_the_api(runtime, station_url):
    cp, tag = f"SOAP-{uuid.uuid4().hex[:8]}", f"T{uuid.uuid4().hex[:8]}"
    runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})
    boot = send(
        runtime, cp, station_url, "BootNotification", {"chargePointVendor": "V", "chargePointModel": "M"}
    )
    assert text(boot, "status") == "Accepted"
    assert text(send(runtime, cp, station_url, "Authorize", {"idTag": tag}), "idTagInfo/status") == "Accepted"

    start = {"connectorId": "1", "idTag": tag, "timestamp": "2024-01-01T10:00:00Z", "meterStart": "0"}
    first = text(send(runtime, cp, station_url, "StartTransaction", start), "transactionId")
    resent = text(send(runtime, cp, station_url, "StartTransaction", start), "transactionId")
    assert first and resent == first

    status, answered = runtime.api(
        "POST", f"/charge-points/{cp}/remote-start?wait=10", {"idToken": tag, "connectorId": 1}
    )
    assert status == 200 and answered["response"]["status"] == "Accepted", answered
    assert "remoteStartTransactionRequest" in Station.asked
    status, answered = runtime.api(
        "POST", f"/charge-points/{cp}/commands?wait=10", {"action": "GetConfiguration", "payload": {}}
    )
    assert status == 200, answered
    assert answered["response"]["configurationKey"][0]["key"] == "HeartbeatInterval"

    stop = {"transactionId": first, "timestamp": "2024-01-01T11:00:00Z", "meterStop": "7000"}
    send(runtime, cp, station_url, "StopTransaction", stop)
    status, session = runtime.api("GET", f"/transactions/{first}")
    assert status == 200 and session["chargePointId"] == cp and session.get("stoppedAt")


@pytest.mark.parametrize(
    "document",
    [
        b"<env:Envelope",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "ha">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
        # 10 MB, what the HTTP API still hands on (past it, the gateway answers 413 itself)
        b"<x>" + b"y" * (10 * 1024 * 1024 - 1024) + b"</x>",
    ],
    ids=["malformed", "external-entity", "billion-laughs", "10MB"],
)
def test_bad_xml_gets_a_sender_fault_and_the_door_stays_open(runtime, station_url, document):
    status, read = post(runtime, document)
    assert status == 400 and soap.fault_of(read) is not None
    assert soap.fault_of(read)[0] == "FormationViolation"
    cp = f"SOAP-{uuid.uuid4().hex[:8]}"
    assert text(send(runtime, cp, station_url, "Heartbeat", {}), "currentTime")
