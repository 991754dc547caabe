"""The local runtime holds each handler to the tables its function was granted, as IAM does
in the cloud: a declaration left out fails here, not after a deployment."""

import base64
import dataclasses

import pytest

from functions.authorizer.handler import lambda_handler as authorize
from local.runtime import events, grants
from shared.data import charge_points, tariffs
from shared.domain.passwords import hash_password
from shared.domain.timestamps import utc_now
from shared.grants import grants as declare
from shared.services.security import handshake
from tests.builders import CONTEXT, socket


@pytest.fixture
def undeclared(monkeypatch):
    """The handshake's use case, without the write it makes to count a failure."""
    monkeypatch.setattr(handshake, "GRANTS", declare(reads=("charge-points", "throttles")))
    grants._grants.cache_clear()
    yield
    monkeypatch.undo()
    grants._grants.cache_clear()


def attempt(password):
    credentials = "Basic " + base64.b64encode(f"CP1:{password}".encode()).decode()
    headers = [("Sec-WebSocket-Protocol", "ocpp1.6"), ("Authorization", credentials)]
    request = events.authorizer_request(socket("c-new"), headers, [("chargePointId", "CP1")])
    return authorize(request, CONTEXT)["policyDocument"]["Statement"][0]["Effect"]


def test_a_handler_writing_a_table_its_use_cases_did_not_declare_is_denied(aws, undeclared):
    charge_points.register_charge_point("CP1", utc_now(), password_hash=hash_password("0123456789abcdef"))
    assert attempt("0123456789abcdef") == "Allow"  # what is declared, it reads
    with pytest.raises(Exception, match=r"AccessDeniedException.*table/throttles"):
        attempt("wrong-password-00")


def test_with_its_declaration_the_same_handler_counts_the_failure(aws):
    charge_points.register_charge_point("CP1", utc_now(), password_hash=hash_password("0123456789abcdef"))
    with pytest.raises(Exception, match="Unauthorized"):
        attempt("wrong-password-00")


def test_outside_any_handler_nothing_is_held(aws):
    """A test arranging its data, or the runtime making its tables, is no function's."""
    assert tariffs.all_tariffs() == []


def test_a_function_whose_use_cases_do_not_declare_the_bus_publishes_nothing(
    aws, posted, published, monkeypatch
):
    """$connect publishes ChargePointConnected; without the bus in domain_events' declaration
    the bus refuses it, as IAM would, and the connection is recorded all the same (publishing
    is at most once)."""
    from functions.connect.handler import lambda_handler as connect
    from shared.services import domain_events

    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1"), [], []), CONTEXT)
    assert [kind for kind, _ in published.events] == ["ChargePointConnected"]

    monkeypatch.setattr(domain_events, "GRANTS", dataclasses.replace(domain_events.GRANTS, bus=False))
    grants._grants.cache_clear()
    connect(events.connect(socket("c2", "CP1"), [], []), CONTEXT)
    assert [kind for kind, _ in published.events] == ["ChargePointConnected"]
    grants._grants.cache_clear()


def as_function(name, source, **names):
    """A function defined in `functions.<name>`'s handler, as the runtime finds the caller."""
    scope = {"__name__": f"functions.{name}.handler", **names}
    exec(source, scope)
    return scope["call"]


def test_a_file_is_reached_only_under_the_prefixes_declared_and_a_url_signed_only_for_them(aws):
    from shared.aws import files

    upload = as_function("uploads", "def call(key):\n    files.put(key, b'log')", files=files)
    upload("logs/CP1/1/log.txt")  # the uploads' own folder
    with pytest.raises(Exception, match=r"AccessDeniedException.*firmware/x.bin"):
        upload("firmware/x.bin")
    sign = as_function("uploads", "def call(key):\n    return files.upload_url(key, 60)", files=files)
    assert "logs/CP1" in sign("logs/CP1/2/log.txt")
    with pytest.raises(Exception, match=r"AccessDeniedException.*firmware/y.bin"):
        sign("firmware/y.bin")


def test_a_connection_is_reached_only_by_the_operations_declared(aws):
    """$connect closes an older connection, and never posts to one."""
    from shared.aws.connections import connections_at
    from shared.manifest import CONNECT

    grants._check(CONNECT, "apigatewaymanagementapi", "DeleteConnection", {"ConnectionId": "c1"})
    source = "def call():\n    connections_at('http://localhost:1').send('c1', '[]')"
    post = as_function("connect", source, connections_at=connections_at)
    with pytest.raises(Exception, match=r"AccessDeniedException.*PostToConnection.*@connections \(POST\)"):
        post()


def test_a_secret_is_read_only_by_name(aws):
    from shared.aws.secrets import json_secret

    read = as_function(
        "site_limits", "def call(name):\n    return json_secret(name)", json_secret=json_secret
    )
    with pytest.raises(Exception, match=r"csms/contract-certificate-provider"):
        read("contract-certificate-provider")
