"""Drivers' accounts against moto: an operator makes one (with the key it signs in with), a
driver links a card by presenting it, sees only its own cards' sessions from when they were
linked, with energy and cost, and gets receipts and statements whose totals are the CDRs'."""

from __future__ import annotations

import base64
import csv
import io
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from functions.operator_api.handler import lambda_handler as api
from shared.domain.timestamps import format_timestamp, utc_now
from tests.builders import CONTEXT, call, call_api, http, put_token, start, stop
from tests.integration.functions.test_accounts import make_key

ONE_POINT_SIX = pytest.mark.parametrize("version", ["1.6"], indirect=True)
TARIFF = {
    "currency": "EUR",
    "vatRate": 20,
    "elements": [{"priceComponents": [{"type": "ENERGY", "price": "0.40"}, {"type": "FLAT", "price": 1}]}],
    "assignedTo": {"default": True},
}


def make_driver(
    name: str = "Ada", email: str = "ada@example.com", token: str | None = None
) -> dict[str, Any]:
    kwargs = {} if token is None else {"token": token}
    status, body = call_api("POST", "/drivers", {"name": name, "email": email}, **kwargs)
    assert status == 201, body
    return body


def fetch(path: str, token: str, query: str = "") -> tuple[int, dict[str, str], bytes]:
    """A download: the status, headers and the body's bytes."""
    answer = api(http("GET", path, token=token, query=query), CONTEXT)
    body = answer.get("body") or ""
    data = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
    return answer["statusCode"], answer.get("headers") or {}, data


def charge(station: Any, id_tag: str, minutes_from_now: int, wh: int) -> int:
    """A 1.6 session with the card, started a few minutes from now, ended an hour later."""
    began = utc_now() + timedelta(minutes=minutes_from_now)
    transaction_id = call(
        station, "StartTransaction", start(id_tag=id_tag, at=format_timestamp(began), meter=0)
    )["transactionId"]
    ended = format_timestamp(began + timedelta(hours=1))
    call(station, "StopTransaction", stop(transaction_id, meter=wh, at=ended))
    return int(transaction_id)


def test_an_operator_makes_a_driver_whose_key_opens_only_the_drivers_pages(aws):
    driver = make_driver()
    assert driver["driverId"].startswith("drv-") and driver["tenantId"] == "default"
    me = call_api("GET", "/me", token=driver["key"])
    assert me == (
        200,
        {
            "principal": driver["driverId"],
            "kind": "key",
            "role": "driver",
            "tenantId": "default",
            "permissions": ["see who it is", "use a driver account"],
        },
    )
    status, body = call_api("GET", "/charge-points", token=driver["key"])
    assert (status, body["error"]["message"]) == (403, "driver may not read")
    _, operator = make_key("operator")
    status, body = call_api("GET", "/driver/account", token=operator)
    assert (status, body["error"]["message"]) == (403, "operator may not use a driver account")
    _, viewer = make_key("viewer")
    assert call_api("POST", "/drivers", {"name": "X", "email": "x@example.com"}, token=viewer)[0] == 403
    status, body = call_api("POST", "/api-keys", {"name": "sneaky", "role": "driver"})
    assert status == 400 and "POST /drivers" in body["error"]["message"]
    status, body = call_api("POST", "/drivers", {"name": "Y", "email": "not an address"})
    assert status == 400 and "email" in body["error"]["message"]


@ONE_POINT_SIX
def test_a_card_is_linked_when_presented_within_the_window(station, published):
    put_token("CARD1")
    driver = make_driver()
    status, pending = call_api("POST", "/driver/id-tokens", {"idToken": "CARD1"}, token=driver["key"])
    assert status == 202 and pending["state"] == "pending" and pending["idToken"] == "CARD1"
    account = call_api("GET", "/driver/account", token=driver["key"])[1]
    assert account["idTokens"] == [] and [link["idToken"] for link in account["pendingLinks"]] == ["CARD1"]

    call(station, "Authorize", {"idTag": "CARD1"})

    account = call_api("GET", "/driver/account", token=driver["key"])[1]
    assert [(card["idToken"], card["status"]) for card in account["idTokens"]] == [("CARD1", "Accepted")]
    assert account["pendingLinks"] == []
    [linked] = published.of("DriverCardLinked")
    assert {key: linked[key] for key in ("driverId", "idToken", "by", "tenantId")} == {
        "driverId": driver["driverId"],
        "idToken": "CARD1",
        "by": "presented",
        "tenantId": "default",
    }
    call(station, "Authorize", {"idTag": "CARD1"})
    assert len(published.of("DriverCardLinked")) == 1  # presented again: nothing more
    other = make_driver("Bob", "bob@example.com")
    status, body = call_api("POST", "/driver/id-tokens", {"idToken": "CARD1"}, token=other["key"])
    assert status == 409 and "another driver" in body["error"]["message"]
    assert call_api("POST", "/driver/id-tokens", {"idToken": "NOPE"}, token=other["key"])[0] == 404


@ONE_POINT_SIX
def test_a_card_asked_for_instead_of_another_is_the_one_linked(station):
    put_token("CARD1")
    put_token("CARD2")
    driver = make_driver()
    call_api("POST", "/driver/id-tokens", {"idToken": "CARD1"}, token=driver["key"])
    call_api("POST", "/driver/id-tokens", {"idToken": "CARD2"}, token=driver["key"])
    call(station, "Authorize", {"idTag": "CARD1"})
    call(station, "Authorize", {"idTag": "CARD2"})
    account = call_api("GET", "/driver/account", token=driver["key"])[1]
    assert [card["idToken"] for card in account["idTokens"]] == ["CARD2"]


@ONE_POINT_SIX
def test_a_card_asked_for_is_not_linked_after_the_window_nor_by_another_drivers_request(station, monkeypatch):
    from shared.services.drivers import accounts as drivers

    put_token("CARD1")
    driver = make_driver()
    monkeypatch.setattr(drivers, "LINK_WINDOW", timedelta(seconds=-1))  # already over
    call_api("POST", "/driver/id-tokens", {"idToken": "CARD1"}, token=driver["key"])
    call(station, "Authorize", {"idTag": "CARD1"})
    account = call_api("GET", "/driver/account", token=driver["key"])[1]
    assert account["idTokens"] == [] and account["pendingLinks"] == []


@ONE_POINT_SIX
def test_a_driver_sees_its_cards_sessions_since_linking_with_energy_and_cost(station):
    assert call_api("PUT", "/tariffs/standard", TARIFF)[0] in (200, 201)
    put_token("CARD1")
    put_token("CARD2")
    charge(station, "CARD1", -90, 5000)  # before the card was linked: its earlier holder's
    driver, other = make_driver(), make_driver("Bob", "bob@example.com")
    assert call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/CARD1")[0] == 204
    assert call_api("PUT", f"/drivers/{other['driverId']}/id-tokens/CARD2")[0] == 204
    mine = charge(station, "CARD1", 1, 10000)
    charge(station, "CARD2", 2, 3000)

    status, page = call_api("GET", "/driver/sessions", token=driver["key"])
    assert status == 200 and [s["transactionId"] for s in page["items"]] == [str(mine)]
    session = page["items"][0]
    assert session["energyWh"] == 10000 and session["durationSeconds"] == 3600 and not session["active"]
    assert (session["currency"], session["cost"]) == ("EUR", {"exclVat": 5.0, "inclVat": 6.0})
    theirs = call_api("GET", "/driver/sessions", token=other["key"])[1]["items"]
    assert [s["idToken"] for s in theirs] == ["CARD2"]


@ONE_POINT_SIX
def test_sessions_page_newest_first_across_cards(station):
    put_token("CARD1")
    put_token("CARD2")
    driver = make_driver()
    for card in ("CARD1", "CARD2"):
        call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/{card}")
    started = [charge(station, card, minutes, 1000) for minutes, card in enumerate(["CARD1", "CARD2"] * 3, 1)]
    seen, token = [], None
    while True:
        query = "limit=2" + (f"&nextToken={token}" if token else "")
        page = call_api("GET", "/driver/sessions", token=driver["key"], query=query)[1]
        seen += [int(s["transactionId"]) for s in page["items"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == started[::-1]


@ONE_POINT_SIX
def test_a_receipt_and_a_statement_have_the_cdrs_totals(station):
    call_api("PUT", "/tariffs/standard", TARIFF)
    put_token("CARD1")
    driver = make_driver()
    call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/CARD1")
    first = charge(station, "CARD1", 1, 10000)
    charge(station, "CARD1", 3, 2500)
    cdrs = {cdr["session_id"]: cdr for cdr in call_api("GET", "/cdrs")[1]["items"]}

    status, headers, data = fetch(f"/driver/sessions/CP1/{first}/receipt", driver["key"], "format=csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "attachment" in headers["Content-Disposition"]
    text = data.decode()
    assert cdrs[str(first)]["id"] in text
    incl = Decimal(str(cdrs[str(first)]["total_cost"]["incl_vat"])).quantize(Decimal("0.01"))
    assert str(incl) in text

    status, headers, data = fetch(f"/driver/sessions/CP1/{first}/receipt", driver["key"])
    assert status == 200 and headers["Content-Type"] == "application/pdf" and data.startswith(b"%PDF")

    month = format_timestamp(utc_now())[:7]
    status, _, data = fetch(f"/driver/statements/{month}", driver["key"], "format=csv")
    assert status == 200
    rows = list(csv.reader(io.StringIO(data.decode())))
    total = sum(Decimal(str(cdr["total_cost"]["incl_vat"])) for cdr in cdrs.values())
    assert any(str(total.quantize(Decimal("0.01"))) in row for row in rows), rows


@ONE_POINT_SIX
def test_another_drivers_or_a_running_session_has_no_receipt(station):
    put_token("CARD1")
    put_token("CARD2")
    driver, other = make_driver(), make_driver("Bob", "bob@example.com")
    call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/CARD1")
    call_api("PUT", f"/drivers/{other['driverId']}/id-tokens/CARD2")
    theirs = charge(station, "CARD2", 1, 1000)
    assert fetch(f"/driver/sessions/CP1/{theirs}/receipt", driver["key"])[0] == 404
    began = format_timestamp(utc_now() + timedelta(minutes=5))
    running = call(station, "StartTransaction", start(id_tag="CARD1", at=began))["transactionId"]
    assert fetch(f"/driver/sessions/CP1/{running}/receipt", driver["key"])[0] == 409
    assert fetch("/driver/statements/2026-13", driver["key"])[0] == 400


@ONE_POINT_SIX
def test_an_operator_looks_a_driver_up_blocks_its_card_and_removes_it(station, published):
    put_token("CARD1")
    driver = make_driver(email="Ada@Example.com")
    call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/CARD1")
    status, page = call_api("GET", "/drivers", query="email=ADA@example.com")
    assert status == 200 and [d["driverId"] for d in page["items"]] == [driver["driverId"]]
    assert call_api("PUT", "/id-tokens/CARD1", {"status": "Blocked"})[0] == 200
    status, account = call_api("GET", f"/drivers/{driver['driverId']}")
    assert [(c["idToken"], c["status"]) for c in account["idTokens"]] == [("CARD1", "Blocked")]
    assert call(station, "Authorize", {"idTag": "CARD1"})["idTagInfo"]["status"] == "Blocked"
    assert [event["by"] for event in published.of("DriverCardLinked")] == ["bootstrap"]
    assert call_api("DELETE", f"/drivers/{driver['driverId']}")[0] == 204
    [unlinked] = published.of("DriverCardUnlinked")
    assert (unlinked["idToken"], unlinked["by"]) == ("CARD1", "account removed")
    assert call_api("GET", "/driver/account", token=driver["key"])[0] == 401
    assert call_api("GET", "/id-tokens/CARD1")[0] == 200  # the card stays on the list


def test_a_new_key_replaces_the_old(aws):
    driver = make_driver()
    status, body = call_api("POST", f"/drivers/{driver['driverId']}/keys")
    assert status == 201
    assert call_api("GET", "/driver/account", token=driver["key"])[0] == 401
    assert call_api("GET", "/driver/account", token=body["key"])[0] == 200


@ONE_POINT_SIX
def test_another_tenants_drivers_and_cards_are_not_there(station):
    call_api("POST", "/tenants", {"tenantId": "acme", "name": "Acme"})
    _, acme = make_key("operator", tenantId="acme")
    put_token("CARD1")  # the default tenant's
    driver = make_driver()
    assert call_api("GET", f"/drivers/{driver['driverId']}", token=acme)[0] == 404
    assert call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/CARD1", token=acme)[0] == 404
    theirs = make_driver("Eve", "eve@example.com", token=acme)
    assert theirs["tenantId"] == "acme"
    status, _ = call_api("POST", "/driver/id-tokens", {"idToken": "CARD1"}, token=theirs["key"])
    assert status == 404
    assert call_api("GET", "/drivers", token=acme, query="email=ada@example.com")[1]["items"] == []
