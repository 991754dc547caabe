"""Every domain event says whose it is: each kind, published about a station of tenant globex (by
its messages, by globex's and the platform's requests, by the reactions and schedules), carries
`tenantId` globex, and its sessions are stamped with it; a station's own messages pay no read for
it, since the authorizer's context brings it."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest

from functions.authorizer.handler import lambda_handler as authorize
from functions.certificates.handler import lambda_handler as certificates_function
from functions.connect.handler import lambda_handler as connect
from functions.disconnect.handler import lambda_handler as disconnect
from functions.ocpp_router.handler import lambda_handler as route
from functions.reservation_expiry.handler import lambda_handler as expire_reservations
from functions.site_allocator.handler import lambda_handler as allocator
from local.runtime import events
from shared.aws.event_bus import DomainEvent
from shared.data import charge_points, transactions, vendors
from shared.domain.station_events import Vendor
from shared.domain.timestamps import format_timestamp, utc_now
from tests.builders import CONTEXT, boot, call, call_api, event, make_csr, put_token, socket, status
from tests.integration.functions.test_tenancy import two_tenants


def admitted(connection_id: str, charge_point_id: str) -> events.Socket:
    """A 2.1 connection whose context is the authorizer's own answer to its handshake."""
    handshake = events.authorizer_request(
        socket(connection_id), [("Sec-WebSocket-Protocol", "ocpp2.1")], [("chargePointId", charge_point_id)]
    )
    policy = authorize(handshake, CONTEXT)
    sock = socket(connection_id)
    sock.authorizer = {**policy["context"], "principalId": policy["principalId"]}
    return sock


@pytest.fixture
def globex(aws, posted, published):
    """Tenant globex's key, and its station G1 (registered by globex's caller) on connection g1:
    a function that sends G1's frames and returns the frame posted back, if any."""
    _, key = two_tenants()
    assert call_api("PUT", "/charge-points/G1", {}, token=key)[0] == 201
    sock = admitted("g1", "G1")
    assert sock.authorizer["tenantId"] == "globex"
    assert connect(events.connect(sock, [], []), CONTEXT)["statusCode"] == 200

    def send(frame: Any) -> Any:
        before = len(posted.to("g1"))
        assert route(events.message(sock, json.dumps(frame)), CONTEXT) == {"statusCode": 200}
        answers = posted.to("g1")
        return answers[-1] if len(answers) > before else None

    send.sock = sock  # type: ignore[attr-defined]
    return key, send


def accept_calls(send, posted, published, answered: set[str]) -> None:
    """G1 accepts each call as it comes; the allocator runs on SiteSharesLowered as the bus would."""
    reacted = 0
    while True:
        waiting = [f for f in posted.to("g1") if f[0] == 2 and f[1] not in answered]
        for frame in waiting:
            answered.add(frame[1])
            send([3, frame[1], {"status": "Accepted"}])
        lowered = [d for t, d in published.events[reacted:] if t == "SiteSharesLowered"]
        reacted = len(published.events)
        for detail in lowered:
            allocator({"detail-type": "SiteSharesLowered", "detail": detail}, CONTEXT)
        if not waiting and not lowered:
            return


def test_every_kind_of_event_about_a_tenants_station_says_its_tenant(globex, posted, published):
    key, send = globex
    answered: set[str] = set()
    site = {"limit": {"amps": 32}, "minAmpsPerSession": 6, "chargePoints": ["G1"]}
    assert call_api("PUT", "/sites/g-site", site, token=key)[0] == 201
    call(send, "BootNotification", boot("2.1"))
    call(send, "StatusNotification", status("2.1", 1, "Occupied"))
    put_token("GTAG")
    for evse in (1, 2):  # two sessions: the first one's share falls, then the second's rises
        started = event("Started", 0, wire_now(), f"T-{evse}", evse={"id": evse, "connectorId": 1})
        call(send, "TransactionEvent", {**started, "idToken": {"idToken": "GTAG", "type": "ISO14443"}})
        allocator({"detail-type": "SessionStarted", "detail": published.of("SessionStarted")[-1]}, CONTEXT)
        accept_calls(send, posted, published, answered)
    needs = {
        "evseId": 1,
        "chargingNeeds": {
            "requestedEnergyTransfer": "AC_three_phase",
            "acChargingParameters": {
                "energyAmount": 20000,
                "evMinCurrent": 6,
                "evMaxCurrent": 16,
                "evMaxVoltage": 400,
            },
        },
    }
    assert call(send, "NotifyEVChargingNeeds", needs) == {"status": "Accepted"}
    security = {"type": "TamperDetectionActivated", "timestamp": wire_now(), "techInfo": "lid open"}
    call(send, "SecurityEventNotification", security)
    call(send, "FirmwareStatusNotification", {"status": "Downloading", "requestId": 77})
    call(send, "LogStatusNotification", {"status": "Uploading", "requestId": 12})
    vendors.put_vendor(Vendor("com.globex", None, None, utc_now()))
    assert call(send, "DataTransfer", {"vendorId": "com.globex", "data": "x"}) == {"status": "Accepted"}
    notify = {
        "generatedAt": wire_now(),
        "seqNo": 0,
        "eventData": [
            {
                "eventId": 1,
                "timestamp": wire_now(),
                "trigger": "Alerting",
                "actualValue": "91",
                "eventNotificationType": "CustomMonitor",
                "component": {"name": "EVSE", "evse": {"id": 1}},
                "variable": {"name": "Temperature"},
            }
        ],
    }
    call(send, "NotifyEvent", notify)
    limit = {"chargingLimit": {"chargingLimitSource": "SO", "isGridCritical": True}, "evseId": 1}
    call(send, "NotifyChargingLimit", limit)
    settlement = {"transactionId": "T-1", "pspRef": "P-1", "status": "Settled", "settlementAmount": 3.5}
    call(send, "NotifySettlement", {**settlement, "settlementTime": wire_now()})
    call(send, "NotifyDERAlarm", {"controlType": "FreqWatt", "timestamp": wire_now()})
    call(send, "NotifyDERStartStop", {"controlId": "G-FW", "started": True, "timestamp": wire_now()})
    csr, _ = make_csr("G1")
    assert call(send, "SignCertificate", {"csr": csr}) == {"status": "Accepted"}
    [requested] = published.of("CertificateRequested")
    certificates_function({"detail-type": "CertificateRequested", "detail": requested}, CONTEXT)
    reservation = {
        "idToken": "GTAG",
        "evseId": 1,
        "expiresAt": format_timestamp(utc_now() + timedelta(hours=1)),
    }
    answer = call_api("POST", "/charge-points/G1/reservations", reservation, token=key)
    assert answer[0] == 201, answer
    accept_calls(send, posted, published, answered)  # the certificate, then the reservation
    call(send, "TransactionEvent", event("Ended", 1, wire_now(), "T-1"))
    # A hold paid on the public page: the payment is its station's tenant's
    tariff = {"currency": "EUR", "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.3}]}]}
    assert (
        call_api("PUT", "/tariffs/g-adhoc", {**tariff, "assignedTo": {"default": True}}, token=key)[0] == 201
    )
    paid = call_api("POST", "/pay/G1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 1000}, token=None)
    assert paid[0] == 201, paid
    disconnect(events.disconnect(send.sock, 1000, "bye"), CONTEXT)
    # A driver's card: the card's tenant, no station of it
    made, driver = call_api("POST", "/drivers", {"name": "G", "email": "g@example.com"}, token=key)
    assert made == 201, driver
    assert call_api("PUT", "/id-tokens/GCARD", {"status": "Accepted"}, token=key)[0] == 201
    assert call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/GCARD", token=key)[0] == 204
    assert call_api("DELETE", f"/drivers/{driver['driverId']}/id-tokens/GCARD", token=key)[0] == 204

    assert {kind for kind, _ in published.events} == {kind.value for kind in DomainEvent}
    assert {(kind, detail["tenantId"]) for kind, detail in published.events} == {
        (kind.value, "globex") for kind in DomainEvent
    }


def test_a_stations_messages_pay_no_read_for_their_tenant(globex, published, aws_calls):
    _, send = globex
    aws_calls.reset()
    call(send, "StatusNotification", status("2.1", 1, "Available"))
    assert (aws_calls.dynamodb_reads, aws_calls.dynamodb_writes) == (0, 1)
    assert published.of("ConnectorStatusChanged")[-1]["tenantId"] == "globex"


def test_a_connection_admitted_before_its_tenant_was_told_reads_it_once_a_message(
    globex, posted, published, aws_calls
):
    _, send = globex
    before = socket("g0", "G1", "2.1", tenant="")  # the authorizer of before said no tenant

    def reads(sock, frame):
        aws_calls.reset()
        route(events.message(sock, json.dumps(frame)), CONTEXT)
        assert posted.last(sock.connection_id)[0] == 3
        return aws_calls.dynamodb_reads

    available = [2, "s", "StatusNotification", status("2.1", 1, "Available")]
    assert (reads(before, available), reads(send.sock, available)) == (1, 0)
    assert [e["tenantId"] for e in published.of("ConnectorStatusChanged")] == ["globex", "globex"]

    # A start stamps its session and publishes it: the tenant read once for both (the tariffs'
    # scan, once a minute, read before either)
    def start(transaction_id):
        return [2, transaction_id, "TransactionEvent", event("Started", 0, wire_now(), transaction_id)]

    reads(send.sock, start("T-9"))
    assert reads(before, start("T-0")) == reads(send.sock, start("T-1")) + 1
    [session] = transactions.find_sessions("T-0", "G1")
    assert session.tenant_id == "globex"
    assert {e["tenantId"] for e in published.of("SessionStarted")} == {"globex"}


def test_events_off_a_stations_path_read_their_tenant(globex, posted, published):
    key, send = globex
    site = {"limit": {"amps": 32}, "chargePoints": ["G1"]}
    assert call_api("PUT", "/sites/g-site", site, token=key)[0] == 201
    assert call_api("PUT", "/sites/g-site", {**site, "limit": {"amps": 40}})[0] == 200  # the platform's
    assert [e["tenantId"] for e in published.of("SiteChanged")] == ["globex", "globex"]
    until = format_timestamp(utc_now() + timedelta(hours=1))
    reservation = {"idToken": "GTAG", "evseId": 1, "expiresAt": until}
    status_code, reservation = call_api("POST", "/charge-points/G1/reservations", reservation, token=key)
    assert status_code == 201
    [sent] = [f for f in posted.to("g1") if f[0] == 2 and f[2] == "ReserveNow"]
    send([3, sent[1], {"status": "Accepted"}])
    later = utc_now() + timedelta(hours=2)
    with mock.patch("functions.reservation_expiry.handler.utc_now", return_value=later):
        assert expire_reservations({}, CONTEXT) == {"expired": 1}
    changes = [(e["state"], e["tenantId"]) for e in published.of("ReservationChanged")]
    assert changes == [("active", "globex"), ("expired", "globex")]
    got = call_api("GET", f"/reservations/{reservation['reservationId']}", token=key)[1]
    assert got["state"] == "expired"


def test_a_session_is_stamped_with_its_stations_tenant_whichever_message_makes_it(globex, published):
    _, send = globex
    call(send, "TransactionEvent", event("Started", 0, wire_now(), "T-1"))
    call(send, "TransactionEvent", event("Ended", 1, wire_now(), "T-2"))  # its Started never came
    for transaction_id in ("T-1", "T-2"):
        [session] = transactions.find_sessions(transaction_id, "G1")
        assert session.tenant_id == "globex", transaction_id
    charge_points.register_charge_point("D1", utc_now())  # unscoped: the default tenant's
    auto = socket("d1", "D1", "2.1")
    route(
        events.message(
            auto, json.dumps([2, "m", "TransactionEvent", event("Started", 0, wire_now(), "T-3")])
        ),
        CONTEXT,
    )
    [session] = transactions.find_sessions("T-3", "D1")
    assert session.tenant_id == "default"


def test_a_1_6_session_the_csms_numbers_is_stamped_too(globex, posted):
    sock = socket("g6", "G1", "1.6", tenant="globex")
    start = {"connectorId": 1, "idTag": "GTAG", "timestamp": wire_now(), "meterStart": 0}
    route(events.message(sock, json.dumps([2, "m", "StartTransaction", start])), CONTEXT)
    transaction_id = str(posted.last("g6")[2]["transactionId"])
    [session] = transactions.find_sessions(transaction_id)
    assert session.tenant_id == "globex"


def wire_now() -> str:
    return format_timestamp(utc_now())


@pytest.mark.usefixtures("aws")
@pytest.mark.parametrize(("failures", "taken"), [(2, True), (3, False)])
def test_an_entry_the_bus_failed_is_put_again_twice_at_most(failures, taken):
    """PutEvents answers a throttled or failed entry in FailedEntryCount, which the SDK does not
    retry: publishing puts it again (a SessionEnded lost so was an ended session analytics never
    counted)."""
    from shared.aws import event_bus

    client = event_bus._client()
    refused = {"FailedEntryCount": 1, "Entries": [{"ErrorCode": "ThrottlingException"}]}
    answers = [refused] * failures
    put = client.put_events

    def failing_first(**params: Any) -> Any:
        return answers.pop() if answers else put(**params)

    with mock.patch.object(client, "put_events", side_effect=failing_first) as putting:
        assert event_bus.publish(DomainEvent.SESSION_ENDED, {"transaction_id": "t-1"}, "acme") is taken
    assert putting.call_count == 3
