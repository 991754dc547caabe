"""Authorizer, $connect and $disconnect against moto."""

import base64
import json

import pytest

from functions.authorizer.handler import lambda_handler as authorize
from functions.connect.handler import lambda_handler as connect
from functions.disconnect.handler import lambda_handler as disconnect
from functions.ocpp_router.handler import lambda_handler as route
from local.runtime import events
from shared.data import charge_points
from shared.data.tenancy import scoped
from shared.domain.passwords import hash_password
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, call_api, socket


def handshake(charge_point_id, protocols="ocpp1.6", authorization=None, extra=()):
    headers = [("Sec-WebSocket-Protocol", protocols), *extra]
    if authorization:
        headers.append(("Authorization", authorization))
    return events.authorizer_request(socket("c-new"), headers, [("chargePointId", charge_point_id)])


def basic(user, password):
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def effect(policy):
    return policy["policyDocument"]["Statement"][0]["Effect"]


def test_a_registered_charge_point_is_allowed_with_its_identity_version_and_tenant_in_the_context(aws):
    with scoped("acme"):  # registered by acme's caller
        charge_points.register_charge_point("CP1", utc_now())
    policy = authorize(handshake("CP1", "ocpp1.6, ocpp2.0.1"), CONTEXT)
    assert effect(policy) == "Allow"
    context = {"chargePointId": "CP1", "ocppVersion": "2.0.1", "register": "false", "tenantId": "acme"}
    assert policy["context"] == context
    assert policy["policyDocument"]["Statement"][0]["Resource"].endswith("/$connect")


def test_unknown_charge_points_are_answered_as_registered_ones_with_a_wrong_password(aws):
    charge_points.register_charge_point("CP1", utc_now(), password_hash=hash_password("0123456789abcdef"))
    for identity in ("NOPE", "CP1"):
        for credentials in (None, basic(identity, "wrong-password-00")):
            with pytest.raises(Exception, match="Unauthorized"):
                authorize(handshake(identity, authorization=credentials), CONTEXT)


def test_guessing_passwords_is_throttled_per_address(aws):
    charge_points.register_charge_point("CP1", utc_now(), password_hash=hash_password("0123456789abcdef"))
    right = basic("CP1", "0123456789abcdef")

    def attempt(credentials, address="198.51.100.7"):
        request = handshake("CP1", authorization=credentials)
        request["requestContext"]["identity"]["sourceIp"] = address
        try:
            return effect(authorize(request, CONTEXT))
        except Exception as refused:
            return str(refused)

    for n in range(5):
        assert attempt(basic("CP1", f"guess-{n:012d}")) == "Unauthorized"
    assert attempt(right) == "Unauthorized"  # throttled: not even the right password is checked
    assert (
        attempt(right, address="198.51.100.8") == "Allow"
    )  # the station itself, elsewhere, is not locked out


def test_auto_registration_admits_and_connect_registers(aws, settings_env):
    settings_env(CSMS_ADMISSION="auto-register")
    policy = authorize(handshake("NEW1", "ocpp2.1"), CONTEXT)
    assert effect(policy) == "Allow" and policy["context"]["register"] == "true"
    assert policy["context"]["tenantId"] == "default"  # registered on connecting: the default's
    sock = socket("c1")
    sock.authorizer = policy["context"]
    answer = connect(events.connect(sock, [], []), CONTEXT)
    assert answer == {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "ocpp2.1"}}
    record = charge_points.find_charge_point("NEW1")
    assert record.connection_id == "c1" and record.ocpp_version == "2.1" and record.registered_at


def test_wrong_or_missing_credentials_are_a_401(aws):
    charge_points.register_charge_point("CP1", utc_now(), password_hash=hash_password("0123456789abcdef"))
    with pytest.raises(Exception, match="Unauthorized"):
        authorize(handshake("CP1"), CONTEXT)
    wrong = "Basic " + base64.b64encode(b"CP1:not-the-password!").decode()
    with pytest.raises(Exception, match="Unauthorized"):
        authorize(handshake("CP1", authorization=wrong), CONTEXT)
    right = "Basic " + base64.b64encode(b"CP1:0123456789abcdef").decode()
    assert effect(authorize(handshake("CP1", authorization=right), CONTEXT)) == "Allow"


def test_the_origin_secret_is_checked_when_configured(aws, settings_env):
    settings_env(CSMS_ORIGIN_SECRET="edge-secret")
    charge_points.register_charge_point("CP1", utc_now())
    assert effect(authorize(handshake("CP1"), CONTEXT)) == "Deny"
    sent = [("X-CSMS-Origin-Secret", "edge-secret")]
    assert effect(authorize(handshake("CP1", extra=sent), CONTEXT)) == "Allow"


def test_connect_refuses_a_charge_point_deregistered_during_its_handshake(aws):
    answer = connect(events.connect(socket("c1", "GONE", "1.6"), [], []), CONTEXT)
    assert answer["statusCode"] == 403
    assert charge_points.find_charge_point("GONE") is None


def test_a_late_disconnect_of_an_old_connection_leaves_the_new_one_online(aws, posted, published):
    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("old", "CP1", "1.6"), [], []), CONTEXT)
    connect(events.connect(socket("new", "CP1", "1.6"), [], []), CONTEXT)
    assert posted.closed == ["old"]  # the newer connection wins; the older one is closed
    disconnect(events.disconnect(socket("old", "CP1", "1.6"), 1006, "gone"), CONTEXT)
    assert charge_points.find_charge_point("CP1").connection_id == "new"
    disconnect(events.disconnect(socket("new", "CP1", "1.6"), 1000, "bye"), CONTEXT)
    record = charge_points.find_charge_point("CP1")
    assert record.connection_id is None and record.disconnected_at is not None
    # Connected twice, disconnected once: the old connection's late close is not news.
    assert [kind for kind, _ in published.events] == [
        "ChargePointConnected",
        "ChargePointConnected",
        "ChargePointDisconnected",
    ]
    assert published.of("ChargePointConnected")[0]["ocppVersion"] == "1.6"
    assert published.of("ChargePointDisconnected")[0]["chargePointId"] == "CP1"


@pytest.mark.parametrize(
    ("change", "closes"),
    [({"blocked": True}, True), ({"password": "a-new-password-0123"}, True), ({"blocked": False}, False)],
)
def test_blocking_or_a_new_password_closes_the_open_connection(aws, posted, change, closes):
    from tests.builders import call_api

    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1", "1.6"), [], []), CONTEXT)
    assert call_api("PUT", "/charge-points/CP1", change)[0] == 200
    assert posted.closed == (["c1"] if closes else [])


def old_socket(minutes):
    sock = socket("c1", "CP1", "2.0.1")
    sock.connected_at_ms = int((utc_now().timestamp() - minutes * 60) * 1000)
    return sock


def heartbeat(sock, message_id="h1"):
    return route(events.message(sock, json.dumps([2, message_id, "Heartbeat", {}])), CONTEXT)


def test_a_connection_past_its_moment_is_closed_after_the_answer_unless_a_call_is_pending(aws, posted):
    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1", "2.0.1"), [], []), CONTEXT)
    heartbeat(old_socket(60))  # an hour old: before its moment
    assert posted.closed == [] and posted.to("c1")[-1][0] == 3
    status, command = call_api("POST", "/charge-points/CP1/reset", {"hard": True})
    assert status == 202
    heartbeat(old_socket(115), "h2")  # past its moment, but a reset waits for its answer
    assert posted.closed == []
    route(
        events.message(old_socket(115), json.dumps([3, command["commandId"], {"status": "Accepted"}])),
        CONTEXT,
    )
    heartbeat(old_socket(115), "h3")
    assert posted.to("c1")[-1][:2] == [3, "h3"]  # answered first
    assert posted.closed == ["c1"]
