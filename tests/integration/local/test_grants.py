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
from shared.grants import tables as declare
from shared.services.security import handshake
from tests.builders import CONTEXT, socket


@pytest.fixture
def undeclared(monkeypatch):
    """The handshake's use case, without the write it makes to count a failure."""
    monkeypatch.setattr(handshake, "TABLES", declare(reads=("charge-points", "throttles")))
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


def test_a_function_without_the_bus_flag_publishes_nothing(aws, posted, published, monkeypatch):
    """$connect publishes ChargePointConnected; without `events` the bus refuses it, as IAM
    would, and the connection is recorded all the same (publishing is at most once)."""
    from functions.connect.handler import lambda_handler as connect
    from shared.manifest import CONNECT

    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1"), [], []), CONTEXT)
    assert [kind for kind, _ in published.events] == ["ChargePointConnected"]

    silent = dataclasses.replace(CONNECT, events=False)
    monkeypatch.setattr(grants, "_by_package", lambda: {"connect": silent})
    connect(events.connect(socket("c2", "CP1"), [], []), CONTEXT)
    assert [kind for kind, _ in published.events] == ["ChargePointConnected"]
