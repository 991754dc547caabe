"""Ad hoc payments on every version, through the handlers: the public page's price, a hold paid
with Stripe's test tokens on the `local` provider, the remote start with the payment's id token
(good at that EVSE only), the capture of the CDR's cost once the session ends (once, whatever is
resent or redelivered), holds let go, refunds and the day's reconciliation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from functions.payments.handler import lambda_handler as payments_function
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, boot, call, call_api, event, info, sampled, status, stop, wire_time

# EUR 0.30 a kWh, 1.20 an hour charging, 1.00 a session, 6.00 an hour idle after 10 minutes; 20 % VAT.
TARIFF = {
    "currency": "EUR",
    "vatRate": 20,
    "idleGraceMinutes": 10,
    "elements": [
        {
            "priceComponents": [
                {"type": "PARKING_TIME", "price": 6},
                {"type": "FLAT", "price": 1},
                {"type": "TIME", "price": "1.20"},
                {"type": "ENERGY", "price": "0.30"},
            ]
        }
    ],
    "assignedTo": {"default": True},
}


def react(published: Any, kinds: tuple[str, ...] = ("SessionStarted", "SessionEnded")) -> list[Any]:
    """The payments function on each event of these kinds, as the bus's rule hands them."""
    return [
        payments_function({"detail-type": kind, "detail": detail}, CONTEXT)
        for kind in kinds
        for detail in published.of(kind)
    ]


def sweep() -> int:
    answer = payments_function({"detail-type": "Scheduled Event", "detail": {}}, CONTEXT)
    return int(answer["released"])


def public(method: str, path: str, body: Any = None) -> tuple[int, Any]:
    path, _, query = path.partition("?")
    return call_api(method, path, body, token=None, query=query)


@pytest.fixture
def ready(station, version):
    """CP1 booted, its EVSE 1 available, the default tariff."""
    assert call_api("PUT", "/tariffs/adhoc", TARIFF)[0] == 201
    call(station, "BootNotification", boot(version), "b1")
    call(station, "StatusNotification", status(version, 1, "Available", wire_time(-7200)), "s0")
    return station


def remote_start(posted: Any) -> list[Any]:
    [frame] = [
        f
        for f in posted.to("c1")
        if f[0] == 2 and f[2] in ("RemoteStartTransaction", "RequestStartTransaction")
    ]
    return list(frame)


def begin(station: Any, version: str, frame: list[Any], at: str, evse: int = 1) -> str:
    """The station takes the remote start and starts on `evse`: the transaction id."""
    station([3, frame[1], {"status": "Accepted"}])
    payload = frame[3]
    if version == "1.6":
        started = {"connectorId": evse, "idTag": payload["idTag"], "timestamp": at, "meterStart": 1000}
        answer = call(station, "StartTransaction", started, "st")
        assert info(version, answer)["status"] == "Accepted"
        return str(answer["transactionId"])
    begun = event(
        "Started",
        0,
        at,
        wh=1000,
        context="Transaction.Begin",
        evse={"id": evse, "connectorId": 1},
        idToken=payload["idToken"],
        info={"remoteStartId": payload["remoteStartId"]},
    )
    assert info(version, call(station, "TransactionEvent", begun, "st"))["status"] == "Accepted"
    return "T-1"


def end(station: Any, version: str, transaction_id: str, at: str, message_id: str = "sp") -> None:
    if version == "1.6":
        call(station, "StopTransaction", stop(int(transaction_id), meter=8500, at=at), message_id)
    else:
        call(
            station, "TransactionEvent", event("Ended", 1, at, wh=8500, context="Transaction.End"), message_id
        )


def test_the_page_shows_the_price_in_the_regulations_order_without_a_token(ready, version):
    code, page = public("GET", "/pay/CP1/1")
    assert code == 200, page
    assert page["canStart"] is True and page["price"]["currency"] == "EUR"
    shown = [(c["type"], c["unit"], c["priceInclVat"]) for c in page["price"]["components"]]
    assert shown == [
        ("energy", "kWh", "0.3600"),
        ("time", "min", "0.0240"),
        ("session", "session", "1.2000"),
        ("idle", "min", "0.1200"),
    ]
    assert page["price"]["components"][3]["afterMinutes"] == 10
    assert public("GET", "/pay/CP1/7")[0] == 404  # an EVSE that never reported
    assert public("GET", "/pay/NOPE/1")[0] == 404
    assert call_api("GET", "/payments", token=None)[0] == 401  # the operator routes keep their token


def test_a_paid_session_starts_remotely_and_its_cost_is_captured_once(ready, version, posted, published):
    code, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    assert code == 201, paid
    assert (paid["state"], paid["authorizedAmount"], paid["currency"]) == ("authorized", 3000, "EUR")
    assert "/pay/receipts/" in paid["receiptUrl"]
    payment_id = paid["paymentId"]
    frame = remote_start(posted)
    if version == "1.6":
        assert frame[3] == {"idTag": payment_id, "connectorId": 1} and len(payment_id) <= 20
    else:
        expected = "DirectPayment" if version == "2.1" else "Central"
        assert frame[3]["idToken"] == {"idToken": payment_id, "type": expected} and frame[3]["evseId"] == 1
    assert public("GET", "/pay/CP1/1")[1]["reason"] == "busy"  # the hold is the EVSE's
    transaction_id = begin(ready, version, frame, wire_time(-3600))
    # The payment's token is good at its EVSE only
    elsewhere = (
        call(
            ready,
            "StartTransaction",
            {"connectorId": 2, "idTag": payment_id, "timestamp": wire_time(), "meterStart": 0},
            "x",
        )
        if version == "1.6"
        else call(
            ready,
            "TransactionEvent",
            event(
                "Started",
                0,
                wire_time(),
                transaction="T-9",
                evse={"id": 2, "connectorId": 1},
                idToken={"idToken": payment_id, "type": "Central"},
            ),
            "x",
        )
    )
    assert info(version, elsewhere)["status"] == "Invalid"
    end(ready, version, transaction_id, wire_time())
    end(ready, version, transaction_id, wire_time(), "sp2")  # resent
    outcomes = react(published)
    assert outcomes[0] == {"linked": True}
    # 7.5 kWh at 0.30, an hour at 1.20, the session's 1.00: 4.45, with 20 % VAT 5.34
    _, cdrs = call_api("GET", "/cdrs")
    [cdr] = [c for c in cdrs["items"] if c["id"] == f"CP1-{transaction_id}"]
    assert cdr["total_cost"]["incl_vat"] == 5.34
    _, payment = call_api("GET", f"/payments/{payment_id}")
    assert (payment["state"], payment["capturedAmount"], payment["transactionId"]) == (
        "captured",
        534,
        transaction_id,
    )
    assert [(h["event"], h["amount"]) for h in payment["history"]] == [
        ("authorized", 3000),
        ("captured", 534),
        ("released", 2466),
    ]
    # The resent stop published SessionEnded again, and the bus delivers both once more: no capture.
    assert react(published, ("SessionEnded",)) == [{"captured": False}, {"captured": False}]
    changes = [(d["event"], d["amount"]) for d in published.of("PaymentChanged")]
    assert changes == [("authorized", 3000), ("captured", 534), ("released", 2466)]
    from shared.data import payments as records

    intent = records.find_intent(_reference(payment_id))
    assert intent is not None and (intent.status, intent.amount_received) == ("succeeded", 534)


def _reference(payment_id: str) -> str:
    from shared.data import payments as records

    found = records.find_payment(payment_id)
    assert found is not None and found.provider_ref
    return found.provider_ref


@pytest.mark.parametrize(
    ("method", "reason"),
    [
        ("pm_card_chargeDeclined", "Your card was declined."),
        ("pm_card_chargeDeclinedInsufficientFunds", "Your card has insufficient funds."),
    ],
)
def test_a_declined_card_starts_nothing(ready, posted, method, reason):
    code, body = public("POST", "/pay/CP1/1", {"paymentMethod": method, "maxAmount": 3000})
    assert (code, body["error"]) == (402, {"code": "PaymentDeclined", "message": reason})
    assert not [f for f in posted.to("c1") if f[0] == 2 and "Start" in f[2]]
    [payment] = call_api("GET", "/payments", query="state=declined")[1]["items"]
    assert (payment["authorizedAmount"], payment["capturedAmount"]) == (0, 0)
    assert public("GET", "/pay/CP1/1")[1]["canStart"] is True


def test_a_bad_request_gets_its_reason(ready):
    assert public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_unknown", "maxAmount": 3000})[0] == 400
    code, body = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 0})
    assert code == 400 and "maxAmount" in body["error"]["message"]
    code, body = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 10**9})
    assert code == 400 and "between 1 and" in body["error"]["message"]


def test_an_evse_that_cannot_start_takes_no_hold(ready, version):
    call(ready, "StatusNotification", status(version, 1, "Faulted", wire_time()), "f")
    code, body = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    assert code == 409 and "faulted" in body["error"]["message"]
    assert call_api("GET", "/payments")[1]["items"] == []


def test_a_rejected_remote_start_releases_the_hold(ready, posted, published):
    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_mastercard", "maxAmount": 2000})
    frame = remote_start(posted)
    assert sweep() == 0  # not answered yet
    ready([3, frame[1], {"status": "Rejected"}])
    assert sweep() == 1
    _, payment = call_api("GET", f"/payments/{paid['paymentId']}")
    assert payment["state"] == "released"
    assert payment["history"][-1]["note"] == "the station refused the remote start"
    assert sweep() == 0
    assert public("GET", "/pay/CP1/1")[1]["canStart"] is True


def test_a_hold_no_session_follows_is_let_go_in_time(ready, posted):
    from shared.services.payments import settlement

    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 2000})
    frame = remote_start(posted)
    ready([3, frame[1], {"status": "Accepted"}])
    assert settlement.sweep(utc_now()) == 0
    assert settlement.sweep(utc_now() + timedelta(minutes=4)) == 1
    assert call_api("GET", f"/payments/{paid['paymentId']}")[1]["state"] == "released"


def test_refunds_stay_within_the_capture(ready, version, posted, published):
    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    transaction_id = begin(ready, version, remote_start(posted), wire_time(-3600))
    end(ready, version, transaction_id, wire_time())
    react(published)
    path = f"/payments/{paid['paymentId']}/refunds"
    code, refund = call_api("POST", path, {"amount": 134, "reason": "stopped early"})
    assert code == 201 and refund["amount"] == 134 and refund["refundId"]
    code, body = call_api("POST", path, {"amount": 401, "reason": "too much"})
    assert code == 409 and "400 left" in body["error"]["message"]
    _, payment = call_api("GET", f"/payments/{paid['paymentId']}")
    assert (payment["state"], payment["refundedAmount"]) == ("captured", 134)  # a partial refund keeps it
    assert call_api("POST", path, {"amount": 400, "reason": "all of it"})[0] == 201
    _, payment = call_api("GET", f"/payments/{paid['paymentId']}")
    assert (payment["state"], payment["refundedAmount"]) == ("refunded", 534)
    assert call_api("POST", path, {"amount": 1, "reason": "more"})[0] == 409
    trail = call_api("GET", "/audit", query=f"resource={paid['paymentId']}")[1]["items"]
    assert [(e["method"], e["status"]) for e in trail if e["path"] == path] == [
        ("POST", 409),
        ("POST", 201),
        ("POST", 409),
        ("POST", 201),
    ]


def test_the_days_reconciliation_is_clean_and_flags_what_differs(ready, version, posted, published):
    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    transaction_id = begin(ready, version, remote_start(posted), wire_time(-3600))
    end(ready, version, transaction_id, wire_time())
    react(published)
    today = datetime.now(UTC).date().isoformat()
    code, day = call_api("GET", "/reconciliation", query=f"date={today}")
    assert code == 200, day
    assert day["mismatches"] == []
    [totals] = day["totals"]
    assert (totals["currency"], totals["sessions"], totals["cost"], totals["captured"]) == (
        "EUR",
        1,
        534,
        534,
    )
    # Money taken with no session: a payment a test puts there
    from dataclasses import replace

    from shared.data import payments as records

    made = records.find_payment(paid["paymentId"])
    assert made is not None
    records.put_payment(replace(made, payment_id="PAYAAAAAAAAAAAAAAAAA", transaction_id=None))
    _, day = call_api("GET", "/reconciliation", query=f"date={today}")
    assert day["mismatches"] == [
        {
            "kind": "payment_without_session",
            "transactionId": None,
            "paymentId": "PAYAAAAAAAAAAAAAAAAA",
            "expected": 0,
            "actual": 534,
        }
    ]
    answer = call_api_raw("GET", "/reconciliation", f"date={today}&format=csv")
    assert answer["headers"]["Content-Type"] == "text/csv"
    lines = answer["body"].splitlines()
    assert lines[0].startswith("record,currency,sessions,cost,captured")
    assert lines[-1] == "mismatch,,,,,,,payment_without_session,,PAYAAAAAAAAAAAAAAAAA,0,534"
    assert call_api("GET", "/reconciliation", query="date=yesterday")[0] == 400


def call_api_raw(method: str, path: str, query: str) -> dict[str, Any]:
    from functions.operator_api.handler import lambda_handler as api
    from tests.builders import http

    return api(http(method, path, query=query), CONTEXT)


def test_a_paid_session_whose_events_were_lost_is_captured_by_the_sweep(ready, version, posted):
    from shared.services.payments import settlement

    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    transaction_id = begin(ready, version, remote_start(posted), wire_time())
    end(ready, version, transaction_id, wire_time(1))
    # No SessionStarted nor SessionEnded reached the function: the sweep finds the session once
    # the hold is past its time. 7.5 kWh at 0.30 and the 1.00 fee, with VAT: 3.90
    assert settlement.sweep(utc_now() + timedelta(minutes=4)) == 0
    _, payment = call_api("GET", f"/payments/{paid['paymentId']}")
    assert (payment["state"], payment["capturedAmount"], payment["transactionId"]) == (
        "captured",
        390,
        transaction_id,
    )
    assert settlement.sweep(utc_now() + timedelta(minutes=5)) == 0


def test_the_hold_is_a_21_stations_limit_in_the_answer_to_its_start(ready, version, posted):
    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    frame = remote_start(posted)
    ready([3, frame[1], {"status": "Accepted"}])
    if version == "1.6":
        started = {"connectorId": 1, "idTag": paid["paymentId"], "timestamp": wire_time(), "meterStart": 0}
        answer = call(ready, "StartTransaction", started, "st")
    else:
        begun = event(
            "Started", 0, wire_time(), evse={"id": 1, "connectorId": 1}, idToken=frame[3]["idToken"]
        )
        answer = call(ready, "TransactionEvent", begun, "st")
    assert info(version, answer)["status"] == "Accepted"
    assert answer.get("transactionLimit") == ({"maxCost": 30.0} if version == "2.1" else None)
    if version != "1.6":  # an update of the session is not its start
        updated = event("Updated", 1, wire_time(), idToken=frame[3]["idToken"])
        assert "transactionLimit" not in call(ready, "TransactionEvent", updated, "up")


def test_a_paid_session_whose_cost_reaches_the_hold_is_stopped_once(ready, version, posted):
    # EUR 2.00 held; an hour charging with the session's fee already costs 2.64 with VAT
    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 200})
    transaction_id = begin(ready, version, remote_start(posted), wire_time(-3600))

    def report(seq: int, wh: int) -> None:
        if version == "1.6":
            values = {
                "connectorId": 1,
                "transactionId": int(transaction_id),
                "meterValue": [sampled(wire_time(), wh)],
            }
            call(ready, "MeterValues", values, f"mv{seq}")
        else:
            call(ready, "TransactionEvent", event("Updated", seq, wire_time(), wh=wh), f"mv{seq}")

    report(1, 1500)
    stops = [f for f in posted.to("c1") if f[0] == 2 and "Stop" in f[2]]
    action = "RemoteStopTransaction" if version == "1.6" else "RequestStopTransaction"
    assert [(f[2], str(f[3]["transactionId"])) for f in stops] == [(action, transaction_id)]
    report(2, 1600)  # a later report asks nothing more
    assert len([f for f in posted.to("c1") if f[0] == 2 and "Stop" in f[2]]) == 1
    assert call_api("GET", f"/payments/{paid['paymentId']}")[1]["state"] == "authorized"


def test_a_station_that_drops_before_its_paid_session_starts_lets_the_hold_go(ready, version, posted):
    from shared.services.payments import settlement

    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 2000})
    ready([3, remote_start(posted)[1], {"status": "Accepted"}])
    assert settlement.sweep(utc_now()) == 0  # accepted, still within its time
    from functions.disconnect.handler import lambda_handler as disconnect
    from local.runtime import events
    from tests.builders import socket

    disconnect(events.disconnect(socket("c1", "CP1", version), 1006, "lost"), CONTEXT)
    assert settlement.sweep(utc_now()) == 1
    _, payment = call_api("GET", f"/payments/{paid['paymentId']}")
    assert payment["state"] == "released"
    assert payment["history"][-1]["note"] == "the station went offline before the session started"


def fetch(path: str, query: str = "") -> dict[str, Any]:
    """The answer of a public route (a page or a file, not JSON), its body as bytes."""
    import base64

    from functions.operator_api.handler import lambda_handler as api
    from tests.builders import http

    answer = api(http("GET", path, token=None, query=query), CONTEXT)
    body = answer.get("body") or ""
    answer["body"] = base64.b64decode(body) if answer.get("isBase64Encoded") else body.encode()
    return answer


def test_the_receipt_is_a_page_and_a_pdf_at_an_unguessable_address(ready, version, posted, published):
    import io
    from urllib.parse import urlparse

    from pypdf import PdfReader

    _, paid = public("POST", "/pay/CP1/1", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
    path = urlparse(paid["receiptUrl"]).path
    payment_id, token = path.split("/")[-2:]
    assert payment_id == paid["paymentId"] and len(token) >= 32
    before = fetch(path)
    assert before["statusCode"] == 200 and before["headers"]["Content-Type"].startswith("text/html")
    assert "30.00 EUR is held on your card" in before["body"].decode()
    assert fetch(path, "format=pdf")["statusCode"] == 409  # nothing to save before the end
    transaction_id = begin(ready, version, remote_start(posted), wire_time(-3600))
    end(ready, version, transaction_id, wire_time())
    react(published)
    page = fetch(path)
    assert page["statusCode"] == 200
    body = page["body"].decode()
    assert 'name="viewport"' in body and f"CP1-{transaction_id}" in body
    for shown in ("7.500 kWh", "2.25", "1.20", "1.00", "VAT 20%", "0.89", "5.34", "Amount paid", "5.34 EUR"):
        assert shown in body, shown
    assert '<a href="?format=pdf"' in body
    pdf = fetch(path, "format=pdf")
    assert pdf["statusCode"] == 200 and pdf["headers"]["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf["body"])).pages)
    assert "Total incl. VAT" in text and "5.34 EUR" in text and payment_id in text
    # Another token, or another payment's id with this token, is no receipt
    assert fetch(f"/pay/receipts/{payment_id}/{'x' * len(token)}")["statusCode"] == 404
    assert fetch(f"/pay/receipts/PAYAAAAAAAAAAAAAAAAA/{token}")["statusCode"] == 404


def answer_provisioning(station: Any, posted: Any, version: str) -> dict[int, str]:
    """The station takes every WebPaymentsCtrlr call as it comes (one at a time): the secret each
    EVSE was given."""
    answered: set[str] = set()
    given: dict[int, str] = {}
    while True:
        waiting = [
            f
            for f in posted.to("c1")
            if f[0] == 2 and f[2] in ("SetVariables", "ChangeConfiguration") and f[1] not in answered
        ]
        if not waiting:
            return given
        frame = waiting[0]
        answered.add(frame[1])
        if version == "1.6":
            _, evse, name = frame[3]["key"].split(".")
            if name == "SharedSecret":
                given[int(evse)] = frame[3]["value"]
            station([3, frame[1], {"status": "Accepted"}])
            continue
        results = []
        for item in frame[3]["setVariableData"]:
            if item["variable"]["name"] == "SharedSecret":
                given[item["component"]["evse"]["id"]] = item["attributeValue"]
            results.append(
                {"attributeStatus": "Accepted", "component": item["component"], "variable": item["variable"]}
            )
        station([3, frame[1], {"setVariableResult": results}])


def test_dynamic_codes_are_provisioned_and_checked_by_the_page(ready, version, posted):
    from shared.domain.payments import dynamic_code, interval_at

    assert public("GET", "/pay/CP1/1")[0] == 200  # no codes yet: the page opens as it is
    code, body = call_api("POST", "/charge-points/CP1/web-payments", query="wait=0")
    assert code == 504 and body["answered"] is False
    assert body["urlTemplate"].endswith("/pay/{chargingStationId}/{evse}?code={totp}")
    secret = answer_provisioning(ready, posted, version)[1]
    assert len(secret) > 16
    # The secret is in no GET: not in the command as shown, not in the configuration kept
    _, sent = call_api("GET", "/charge-points/CP1/commands")
    assert secret not in str(sent) and "********" in str(sent)
    _, kept = call_api("GET", "/charge-points/CP1/configuration")
    assert secret not in str(kept)
    now = utc_now()
    shown = dynamic_code(secret, interval_at(now, 60), 8)
    assert public("GET", "/pay/CP1/1")[0] == 400  # the EVSE has codes: the page needs one
    assert public("GET", "/pay/CP1/1?code=short")[0] == 400
    wrong = "A" * 8 if shown != "A" * 8 else "B" * 8
    assert public("GET", f"/pay/CP1/1?code={wrong}")[0] == 403
    expired = dynamic_code(secret, interval_at(now, 60) - 5, 8)
    assert public("GET", f"/pay/CP1/1?code={expired}")[0] == 410
    before = len(posted.to("c1"))
    code, page = public("GET", f"/pay/CP1/1?code={shown}")
    assert code == 200 and page["canStart"] is True, page
    notified = [f for f in posted.to("c1")[before:] if f[0] == 2 and f[2] == "NotifyWebPaymentStarted"]
    if version == "2.1":
        assert [f[3] for f in notified] == [{"evseId": 1, "timeout": 300}]
    else:
        assert notified == []
    pay = {"paymentMethod": "pm_card_visa", "maxAmount": 3000}
    assert public("POST", "/pay/CP1/1", {**pay, "code": wrong})[0] == 403
    assert public("POST", "/pay/CP1/1", pay)[0] == 400
    assert public("POST", "/pay/CP1/1", {**pay, "code": shown})[0] == 201
    assert public("GET", f"/pay/CP1/1?code={shown}")[0] == 410  # it paid once


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_provisioning_answers_once_the_station_has(ready, version, posted):
    import threading

    done: dict[str, Any] = {}

    def operator() -> None:
        done["answer"] = call_api("POST", "/charge-points/CP1/web-payments", query="wait=10")

    asking = threading.Thread(target=operator)
    asking.start()
    given: dict[int, str] = {}
    while asking.is_alive() and not given:
        given = answer_provisioning(ready, posted, version)
    asking.join()
    code, body = done["answer"]
    assert code == 200 and body["answered"] is True
    assert sorted((s["evseId"], s["variable"], s["status"]) for s in body["statuses"]) == sorted(
        (1, name, "Accepted") for name in ("Enabled", "URLTemplate", "SharedSecret", "ValidityTime", "Length")
    )
    from shared.data import payments as records

    kept = records.find_web_payments("CP1", 1)
    assert kept is not None and kept.secret == given[1] and kept.pending_secret is None


def browse(method: str, path: str, headers: list[tuple[str, str]], body: str | None = None) -> dict[str, Any]:
    """A browser's request to a public route (no token)."""
    from functions.operator_api.handler import lambda_handler as api
    from local.runtime import events

    path, _, query = path.partition("?")
    request = events.http_request(method, path, query, headers, body.encode() if body else None)
    answer = api(request, CONTEXT)
    if answer.get("isBase64Encoded"):
        import base64

        answer["body"] = base64.b64decode(answer["body"]).decode()
    return answer


def test_a_browser_gets_the_page_in_its_language_and_pays_through_its_form(ready, version, posted):
    from urllib.parse import urlencode, urlparse

    page = browse(
        "GET", "/pay/CP1/1", [("Accept", "text/html,*/*"), ("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")]
    )
    assert page["statusCode"] == 200 and page["headers"]["Content-Type"].startswith("text/html")
    body = page["body"]
    assert '<html lang="de">' in body and 'name="viewport"' in body
    # AFIR's order, tax included: per kWh, per minute, per session, then the blocking fee
    order = [body.index(s) for s in ("0,36 EUR", "0,024 EUR", "1,20 EUR", "0,12 EUR")]
    assert order == sorted(order)
    assert "pro kWh" in body and "ab 10 Minuten" in body
    assert "20 % Mehrwertsteuer" in body
    assert '<option value="pm_card_visa">' in body and 'name="maxAmount"' in body
    english = browse("GET", "/pay/CP1/1", [("Accept", "text/html"), ("Accept-Language", "fr-FR, en;q=0.3")])
    assert '<html lang="en">' in english["body"] and "per kWh" in english["body"]
    assert public("GET", "/pay/CP1/1")[1]["canStart"] is True  # JSON for any other client
    form = urlencode({"paymentMethod": "pm_card_visa", "maxAmount": "3000"})
    paid = browse("POST", "/pay/CP1/1", [("Content-Type", "application/x-www-form-urlencoded")], form)
    assert paid["statusCode"] == 303, paid
    receipt = urlparse(paid["headers"]["Location"]).path
    assert receipt.startswith("/pay/receipts/PAY")
    assert remote_start(posted)  # the session was asked to start
    held = browse("GET", "/pay/CP1/1", [("Accept", "text/html")])["body"]
    assert "in use" in held and "<form" not in held


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_a_terminals_settlement_is_a_payment_linked_to_its_session_and_answered_with_a_receipt(
    ready, version, published
):
    def session(transaction: str, psp_ref: str, evse: int) -> None:
        token = {"idToken": psp_ref, "type": "DirectPayment"}
        begun = event(
            "Started",
            0,
            wire_time(-3600),
            transaction,
            wh=1000,
            evse={"id": evse, "connectorId": 1},
            idToken=token,
        )
        call(ready, "TransactionEvent", begun, f"b-{transaction}")
        ended = event("Ended", 1, wire_time(), transaction, wh=8500, context="Transaction.End")
        call(ready, "TransactionEvent", ended, f"e-{transaction}")

    def settle(transaction: str | None, psp_ref: str, status: str, amount: float) -> dict[str, Any]:
        body = {
            "pspRef": psp_ref,
            "status": status,
            "settlementAmount": amount,
            "settlementTime": wire_time(),
        }
        if transaction:
            body["transactionId"] = transaction
        return call(ready, "NotifySettlement", body, f"n-{psp_ref}-{status}")

    # 7.5 kWh at 0.30, an hour at 1.20, the session's 1.00: 5.34 with VAT
    session("T-A", "PSP-A", 1)
    answer = settle("T-A", "PSP-A", "Settled", 5.34)
    assert answer == settle("T-A", "PSP-A", "Settled", 5.34)  # a resend: the same payment
    _, payment = call_api("GET", f"/payments/{answer['receiptId']}")
    assert (payment["kind"], payment["state"], payment["capturedAmount"], payment["transactionId"]) == (
        "terminal",
        "captured",
        534,
        "T-A",
    )
    assert [(h["event"], h["amount"]) for h in payment["history"]] == [("settled", 534)]
    assert payment["receiptUrl"] == answer["receiptUrl"]
    page = fetch(urlparse_path(answer["receiptUrl"]))
    assert page["statusCode"] == 200 and "the station&#x27;s payment terminal" in page["body"].decode()
    today = datetime.now(UTC).date().isoformat()
    day = call_api("GET", "/reconciliation", query=f"date={today}")[1]
    assert day["mismatches"] == [] and day["totals"][0]["settled"] == 534
    # A settlement without the transaction id is linked by the reference the session started with;
    # one for less than the cost is flagged, and a failed one leaves its session unpaid
    session("T-B", "PSP-B", 2)
    short = settle(None, "PSP-B", "Settled", 5.00)
    session("T-C", "PSP-C", 3)
    failed = settle("T-C", "PSP-C", "Failed", 5.34)
    assert call_api("GET", f"/payments/{failed['receiptId']}")[1]["state"] == "failed"
    day = call_api("GET", "/reconciliation", query=f"date={today}")[1]
    assert sorted(
        (m["kind"], m["transactionId"], m["paymentId"], m["expected"], m["actual"]) for m in day["mismatches"]
    ) == [
        ("settlement_differs", "T-B", short["receiptId"], 534, 500),
        ("unpaid_session", "T-C", failed["receiptId"], 534, 0),
    ]
    absurd = {"pspRef": "PSP-X", "status": "Settled", "settlementAmount": 1e20, "settlementTime": wire_time()}
    refused = ready([2, "n-x", "NotifySettlement", absurd])
    assert refused[0] == 4 and refused[2] == "PropertyConstraintViolation"
    kinds = [(d["kind"], d["event"]) for d in published.of("PaymentChanged")]
    assert kinds == [("terminal", "settled"), ("terminal", "settled"), ("terminal", "failed")]


def urlparse_path(url: str) -> str:
    from urllib.parse import urlparse

    return urlparse(url).path
