"""Provisioning: BootNotification through the router, and /charge-points through the operator
API: registering, reading live, deregistering, listing."""

from datetime import timedelta

import pytest
from botocore.stub import Stubber

from functions.connect.handler import lambda_handler as connect
from local.runtime import events
from shared.aws.connections import connections_at, endpoint_for
from shared.data import charge_points, connectors
from shared.domain.passwords import verify_password
from shared.domain.timestamps import utc_now
from shared.services import provisioning
from tests.builders import CONTEXT, boot, call_api, socket


def test_register_update_read_and_deregister(aws, posted):
    status, body = call_api("PUT", "/charge-points/CP-7", {"password": "0123456789abcdef"})
    assert status == 201 and body["id"] == "CP-7" and body["hasPassword"] and not body["online"]
    assert verify_password("0123456789abcdef", charge_points.find_charge_point("CP-7").password_hash)

    status, body = call_api("PUT", "/charge-points/CP-7", {"blocked": True})
    assert status == 200 and body["blocked"] and body["hasPassword"]  # the password stays
    status, body = call_api("PUT", "/charge-points/CP-7", {"password": None})
    assert status == 200 and not body["hasPassword"]

    connect(events.connect(socket("c7", "CP-7", "2.0.1"), [], []), CONTEXT)
    status, body = call_api("DELETE", "/charge-points/CP-7")
    assert status == 204
    assert posted.closed == ["c7"]
    assert call_api("GET", "/charge-points/CP-7")[0] == 404
    assert call_api("DELETE", "/charge-points/CP-7")[0] == 404


@pytest.mark.parametrize(
    "body",
    [
        {"password": "short"},
        {"password": "x" * 41},
        {"blocked": "maybe"},
        {"colour": "red"},
        "{not json",
        [1, 2],
    ],
)
def test_bad_registration_bodies_are_400_with_a_reason(aws, body):
    status, answer = call_api("PUT", "/charge-points/CP-8", body)
    assert status == 400 and answer["error"]["code"] == "BadRequest" and answer["error"]["message"]
    assert charge_points.find_charge_point("CP-8") is None


def test_identities_that_could_not_connect_are_refused(aws):
    status, answer = call_api("PUT", "/charge-points/bad:id", {})
    assert status == 400 and "characters" in answer["error"]["message"]


def test_a_charge_point_shows_its_boot_facts_connection_and_connectors(aws, posted):
    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1", "1.6"), [], []), CONTEXT)
    from shared.domain.availability import ConnectorStatusReport
    from shared.domain.provisioning import BootInfo

    charge_points.record_boot("CP1", BootInfo("Acme", "Volt", "S-1", "2.3"), utc_now())
    connectors.record_connector_status(
        "CP1", ConnectorStatusReport(None, 1, "Faulted", utc_now(), error_code="GroundFailure"), utc_now()
    )
    status, body = call_api("GET", "/charge-points/CP1")
    assert status == 200
    assert body["online"] is True and body["lastSeenAt"] is not None
    assert (body["vendor"], body["model"], body["firmwareVersion"], body["ocppVersion"]) == (
        "Acme",
        "Volt",
        "2.3",
        "1.6",
    )
    assert body["connectors"] == [
        {
            "evseId": None,
            "connectorId": 1,
            "status": "Faulted",
            "errorCode": "GroundFailure",
            "info": None,
            "vendorId": None,
            "vendorErrorCode": None,
            "statusAt": body["connectors"][0]["statusAt"],
            "activeTransactionId": None,
        }
    ]


def test_a_connection_the_gateway_no_longer_has_shows_offline_and_is_cleared(aws, posted, monkeypatch):
    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1", "1.6"), [], []), CONTEXT)
    client = connections_at(endpoint_for())._client

    def gone_at(later: timedelta) -> dict:
        monkeypatch.setattr(provisioning, "utc_now", lambda: utc_now() + later)
        with Stubber(client) as stub:
            stub.add_client_error("get_connection", "GoneException", http_status_code=410)
            status, body = call_api("GET", "/charge-points/CP1")
        assert status == 200
        return body

    # Just connected: the gateway may not have it yet, and it stays.
    assert gone_at(timedelta(seconds=2))["online"] is True
    assert charge_points.find_charge_point("CP1").connection_id == "c1"
    body = gone_at(timedelta(minutes=1))
    assert body["online"] is False and body["lastSeenAt"] is None
    assert charge_points.find_charge_point("CP1").connection_id is None


def test_listing_pages_through_every_charge_point_once(aws):
    for n in range(7):
        charge_points.register_charge_point(f"CP{n}", utc_now())
    seen, token, pages = [], None, 0
    while True:
        query = "limit=3" + (f"&nextToken={token}" if token else "")
        status, body = call_api("GET", "/charge-points", query=query)
        assert status == 200
        seen += [item["id"] for item in body["items"]]
        pages += 1
        token = body["nextToken"]
        if not token:
            break
    assert sorted(seen) == [f"CP{n}" for n in range(7)] and pages == 3


@pytest.mark.parametrize("query", ["limit=0", "limit=1001", "limit=ten", "nextToken=garbage"])
def test_bad_list_parameters_are_400(aws, query):
    status, body = call_api("GET", "/charge-points", query=query)
    assert status == 400 and body["error"]["code"] == "BadRequest"


def test_boot_notification_is_stored_and_answered_with_the_heartbeat_interval(station, version):
    answer = station([2, "b1", "BootNotification", boot(version)])
    assert answer[:2] == [3, "b1"]
    assert answer[2]["status"] == "Accepted" and answer[2]["interval"] == 540
    record = charge_points.find_charge_point("CP1")
    assert (record.vendor, record.model, record.serial_number, record.firmware_version) == (
        "Acme",
        "Volt",
        "S-1",
        "1.0",
    )
    assert record.last_boot_at is not None
