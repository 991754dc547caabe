"""OCPP 1.5 over SOAP against moto: a station's envelopes through the front door's handler, and
the CSMS's calls posted to the station's own endpoint (a small HTTP server here)."""

import threading
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from functions.ocpp_router.soap import lambda_handler as front_door
from local.runtime import events
from shared.data import charge_points
from shared.domain.timestamps import utc_now
from shared.protocol import soap
from tests.builders import CONTEXT, call_api

CS = soap.CS_NS
MAX = 1024 * 1024


def envelope(
    operation: str, fields: str, identity: str = "SOAP-1", endpoint: str = "http://127.0.0.1:1/"
) -> bytes:
    return (
        f'<env:Envelope xmlns:env="{soap.SOAP_ENV}" xmlns:cs="{CS}" xmlns:wsa="{soap.WSA}">'
        f"<env:Header><cs:chargeBoxIdentity>{identity}</cs:chargeBoxIdentity>"
        f"<wsa:MessageID>urn:uuid:{operation}</wsa:MessageID><wsa:Action>/{operation}</wsa:Action>"
        f"<wsa:From><wsa:Address>{endpoint}</wsa:Address></wsa:From></env:Header>"
        f"<env:Body><cs:{operation[0].lower() + operation[1:]}Request>{fields}"
        f"</cs:{operation[0].lower() + operation[1:]}Request></env:Body></env:Envelope>"
    ).encode()


def post(document: bytes) -> tuple[int, soap.Envelope]:
    event = events.http_request("POST", "/ocpp/soap/1.5", "", [("Content-Type", soap.CONTENT_TYPE)], document)
    answer = front_door(event, CONTEXT)
    return answer["statusCode"], soap.parse(answer["body"].encode(), MAX)


def field(read: soap.Envelope, path: str) -> str | None:
    found = read.body.find("/".join(f"{{{CS}}}{name}" for name in path.split("/")))
    return found.text if found is not None else None


@pytest.fixture
def registered(aws):
    charge_points.register_charge_point("SOAP-1", utc_now())


def test_a_station_boots_and_the_answer_relates_to_its_message(registered):
    status, read = post(
        envelope(
            "BootNotification",
            "<cs:chargePointVendor>V</cs:chargePointVendor><cs:chargePointModel>M</cs:chargePointModel>",
        )
    )
    assert status == 200 and read.relates_to == "urn:uuid:BootNotification"
    assert read.action == "/BootNotificationResponse"
    assert field(read, "status") == "Accepted" and int(field(read, "heartbeatInterval") or 0) > 0
    status, body = call_api("GET", "/charge-points/SOAP-1")
    assert status == 200 and body["ocppVersion"] == "1.5" and body["online"] is True


def test_a_resent_start_gets_the_same_transaction_and_the_stop_ends_it(registered):
    start = (
        "<cs:connectorId>1</cs:connectorId><cs:idTag>TAG</cs:idTag>"
        "<cs:timestamp>2024-01-01T10:00:00Z</cs:timestamp><cs:meterStart>100</cs:meterStart>"
    )
    first = post(envelope("StartTransaction", start))
    again = post(envelope("StartTransaction", start))
    assert first[0] == again[0] == 200
    transaction = field(first[1], "transactionId")
    assert transaction and field(again[1], "transactionId") == transaction
    status, _ = post(
        envelope(
            "StopTransaction",
            f"<cs:transactionId>{transaction}</cs:transactionId><cs:timestamp>2024-01-01T11:00:00Z</cs:timestamp><cs:meterStop>2100</cs:meterStop>",
        )
    )
    assert status == 200
    status, body = call_api("GET", f"/transactions/{transaction}")
    assert status == 200 and body["chargePointId"] == "SOAP-1" and body.get("stoppedAt")


def test_an_occupied_connector_is_charging(registered):
    status, _ = post(
        envelope(
            "StatusNotification",
            "<cs:connectorId>1</cs:connectorId><cs:status>Occupied</cs:status><cs:errorCode>Mode3Error</cs:errorCode>",
        )
    )
    assert status == 200
    _, body = call_api("GET", "/charge-points/SOAP-1")
    [connector] = [c for c in body["connectors"] if c["connectorId"] == 1]
    assert connector["status"] == "Charging" and connector["errorCode"] == "EVCommunicationError"


def test_an_unregistered_station_gets_a_sender_fault(aws):
    status, read = post(envelope("Heartbeat", "", identity="NOBODY"))
    assert status == 400 and soap.fault_of(read) is not None
    assert soap.fault_of(read)[0] == "SecurityError"


def test_a_blocked_station_gets_a_sender_fault(registered):
    assert call_api("PUT", "/charge-points/SOAP-1", {"blocked": True})[0] == 200
    status, read = post(envelope("Heartbeat", ""))
    assert status == 400 and soap.fault_of(read)[0] == "SecurityError"


def test_a_missing_field_gets_the_fault_16_names(registered):
    status, read = post(envelope("Authorize", ""))
    assert status == 400 and soap.fault_of(read)[0] == "OccurenceConstraintViolation"


@pytest.mark.parametrize(
    "document",
    [
        b"<broken",
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        b"x" * (10 * 1024 * 1024),
    ],
    ids=["malformed", "external-entity", "10MB"],
)
def test_bad_xml_gets_a_sender_fault(aws, document):
    status, read = post(document)
    assert status == 400 and soap.fault_of(read)[0] == "FormationViolation"


class Station(BaseHTTPRequestHandler):
    """A 1.5 station's own service: it accepts a remote start and tells one configuration key."""

    calls: list[str] = []

    def do_POST(self) -> None:
        read = soap.parse(self.rfile.read(int(self.headers["Content-Length"])), MAX)
        Station.calls.append(read.operation)
        if read.operation == "remoteStartTransactionRequest":
            body = ET.Element(f"{{{soap.CP_NS}}}remoteStartTransactionResponse")
            ET.SubElement(body, f"{{{soap.CP_NS}}}status").text = "Accepted"
        else:
            body = ET.Element(f"{{{soap.CP_NS}}}getConfigurationResponse")
            key = ET.SubElement(body, f"{{{soap.CP_NS}}}configurationKey")
            ET.SubElement(key, f"{{{soap.CP_NS}}}key").text = "HeartbeatInterval"
            ET.SubElement(key, f"{{{soap.CP_NS}}}readonly").text = "false"
            ET.SubElement(key, f"{{{soap.CP_NS}}}value").text = "300"
        answer = soap.envelope(body, "/Response", soap.CP_NS, relates_to=read.message_id)
        self.send_response(200)
        self.send_header("Content-Type", soap.CONTENT_TYPE)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def station_server(settings_env):
    settings_env(CSMS_SOAP_PRIVATE_ENDPOINTS="true")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Station)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ocpp"
    server.shutdown()


def test_the_csms_calls_the_station_at_its_from_address(registered, station_server):
    post(envelope("Heartbeat", "", endpoint=station_server))
    status, body = call_api(
        "POST", "/charge-points/SOAP-1/remote-start", {"idToken": "TAG", "connectorId": 1}
    )
    assert status in (200, 202), body
    status, body = call_api(
        "POST", "/charge-points/SOAP-1/commands", {"action": "GetConfiguration", "payload": {}}
    )
    assert status in (200, 201, 202), body
    assert Station.calls[-2:] == ["remoteStartTransactionRequest", "getConfigurationRequest"]
    _, history = call_api("GET", "/charge-points/SOAP-1/commands")
    answered = {c["action"]: c for c in history["items"]}
    assert answered["RemoteStartTransaction"]["status"] == "completed"
    assert answered["GetConfiguration"]["response"]["configurationKey"][0]["key"] == "HeartbeatInterval"


def test_a_station_not_heard_from_is_offline_for_commands(registered, station_server):
    status, _ = call_api("POST", "/charge-points/SOAP-1/commands", {"action": "ClearCache", "payload": {}})
    assert status == 409


def test_a_soap_station_is_online_only_while_heard_within_its_interval(registered):
    from datetime import timedelta

    from shared.domain.provisioning import soap_connection

    long_ago = utc_now() - timedelta(hours=1)
    charge_points.record_connection("SOAP-1", soap_connection("http://127.0.0.1:1/"), "1.5", long_ago, False)
    _, listing = call_api("GET", "/charge-points")
    assert [cp["online"] for cp in listing["items"] if cp["id"] == "SOAP-1"] == [False]
    post(envelope("Heartbeat", ""))
    _, listing = call_api("GET", "/charge-points")
    assert [cp["online"] for cp in listing["items"] if cp["id"] == "SOAP-1"] == [True]
