"""Ad hoc payment end to end, with `ocpp` package stations of 1.6 and 2.1: the driver opens the
public page and sees the price, pays a hold with Stripe's test tokens (the `local` provider), the
session starts remotely with the payment's id token, charges and stops, and the capture is the
session's cost to the cent, once, though the stop is sent twice. A declined card starts nothing,
a remote start the station rejects lets the hold go, a partial refund works and an over-refund
is refused, and the day's reconciliation finds nothing amiss."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ocpp.routing import after, on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21

from tests.e2e.conftest import CLIENT_CLASSES, connected

pytestmark = pytest.mark.e2e

# 7.5 kWh at 0.30 and a 1.00 fee: 3.25 before tax, 3.90 with 20 % VAT.
TARIFF = {
    "currency": "EUR",
    "vatRate": 20,
    "elements": [{"priceComponents": [{"type": "ENERGY", "price": "0.30"}, {"type": "FLAT", "price": 1}]}],
}
COST = 390


def at(hours_ago: float = 0) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours_ago)).isoformat()


def paying_station(version: str, heard: list[Any], answer: list[str]) -> type:
    """A station that answers remote starts as `answer[0]` says and, when it accepts, begins the
    session an hour ago with the token it was given."""
    base = CLIENT_CLASSES[version]
    if version == "1.6":

        class Station16(base):  # type: ignore[misc, valid-type]
            @on("RemoteStartTransaction")
            def on_remote_start(self, id_tag: str, **_: Any) -> Any:
                heard.append(("RemoteStartTransaction", id_tag))
                return result16.RemoteStartTransaction(status=answer[0])

            @after("RemoteStartTransaction")
            async def begin(self, id_tag: str, connector_id: int = 1, **_: Any) -> None:
                if answer[0] != "Accepted":
                    return
                started = await self.call(
                    call16.StartTransaction(
                        connector_id=connector_id, id_tag=id_tag, meter_start=1000, timestamp=at(1)
                    )
                )
                heard.append(("started", str(started.transaction_id), started.id_tag_info["status"]))

        return Station16

    class Station21(base):  # type: ignore[misc, valid-type]
        @on("RequestStartTransaction")
        def on_remote_start(self, id_token: dict[str, Any], **_: Any) -> Any:
            heard.append(("RequestStartTransaction", id_token))
            return result21.RequestStartTransaction(status=answer[0])

        @after("RequestStartTransaction")
        async def begin(
            self, id_token: dict[str, Any], remote_start_id: int, evse_id: int = 1, **_: Any
        ) -> None:
            if answer[0] != "Accepted":
                return
            tid = f"PAID-{remote_start_id}"
            started = await self.call(
                call21.TransactionEvent(
                    event_type="Started",
                    timestamp=at(1),
                    trigger_reason="RemoteStart",
                    seq_no=0,
                    transaction_info={"transaction_id": tid, "remote_start_id": remote_start_id},
                    id_token=id_token,
                    evse={"id": evse_id, "connector_id": 1},
                    meter_value=[
                        {
                            "timestamp": at(1),
                            "sampled_value": [{"value": 1000, "context": "Transaction.Begin"}],
                        }
                    ],
                )
            )
            heard.append(("started", tid, started.id_token_info["status"]))

        @on("CostUpdated")
        def on_cost_updated(self, **_: Any) -> Any:
            return result21.CostUpdated()

    return Station21


async def status_available(station: Any, version: str) -> None:
    if version == "1.6":
        await station.call(
            call16.StatusNotification(connector_id=1, error_code="NoError", status="Available")
        )
    else:
        await station.call(
            call21.StatusNotification(timestamp=at(), connector_status="Available", evse_id=1, connector_id=1)
        )


async def stop(station: Any, version: str, transaction_id: str, sent_at: str) -> None:
    if version == "1.6":
        await station.call(
            call16.StopTransaction(meter_stop=8500, timestamp=sent_at, transaction_id=int(transaction_id))
        )
        return
    await station.call(
        call21.TransactionEvent(
            event_type="Ended",
            timestamp=sent_at,
            trigger_reason="StopAuthorized",
            seq_no=1,
            transaction_info={"transaction_id": transaction_id, "stopped_reason": "Local"},
            meter_value=[
                {"timestamp": sent_at, "sampled_value": [{"value": 8500, "context": "Transaction.End"}]}
            ],
        )
    )


@pytest.mark.parametrize("version", ["1.6", "2.1"])
def test_a_driver_pays_on_the_page_and_the_session_costs_what_is_captured(runtime, version):
    cp_id = f"E2E-PAY-{version.replace('.', '')}"
    assert runtime.api("PUT", f"/charge-points/{cp_id}", {})[0] in (200, 201)
    body = {**TARIFF, "assignedTo": {"chargePoints": [cp_id]}}
    assert runtime.api("PUT", f"/tariffs/pay-{version.replace('.', '')}", body)[0] in (200, 201)
    heard: list[Any] = []
    answer = ["Accepted"]

    def payment(payment_id: str) -> dict[str, Any]:
        return runtime.api("GET", f"/payments/{payment_id}")[1]

    def public(method: str, body: Any = None) -> tuple[int, Any]:
        return runtime.api(method, f"/pay/{cp_id}/1", body, token=None)

    async def scenario() -> dict[str, Any]:
        async with connected(runtime, cp_id, version, paying_station(version, heard, answer)) as station:
            await status_available(station, version)
            page = await asyncio.to_thread(public, "GET")
            declined = await asyncio.to_thread(
                public, "POST", {"paymentMethod": "pm_card_chargeDeclined", "maxAmount": 2500}
            )
            await asyncio.sleep(0.3)
            nothing_sent = not heard
            paid = await asyncio.to_thread(
                public, "POST", {"paymentMethod": "pm_card_visa", "maxAmount": 2500}
            )
            payment_id = paid[1]["paymentId"]
            await asyncio.to_thread(runtime.wait_for, lambda: [h for h in heard if h[0] == "started"], 10)
            [(_, transaction_id, verdict)] = [h for h in heard if h[0] == "started"]
            sent_at = at()
            await stop(station, version, transaction_id, sent_at)
            await stop(station, version, transaction_id, sent_at)  # resent
            captured = await asyncio.to_thread(
                runtime.wait_for, lambda: payment(payment_id)["state"] == "captured", 10
            )
            # A station that rejects the remote start: the hold is let go by the sweep
            answer[0] = "Rejected"
            rejected = await asyncio.to_thread(
                public, "POST", {"paymentMethod": "pm_card_mastercard", "maxAmount": 2500}
            )
            released = await asyncio.to_thread(
                runtime.wait_for, lambda: payment(rejected[1]["paymentId"])["state"] == "released", 10
            )
            return {
                "page": page,
                "declined": declined,
                "nothing_sent": nothing_sent,
                "paid": paid,
                "transaction_id": transaction_id,
                "verdict": verdict,
                "captured": captured,
                "rejected": rejected,
                "released": released,
            }

    seen = asyncio.run(scenario())
    page = seen["page"][1]
    assert seen["page"][0] == 200 and page["canStart"] is True
    assert [(c["type"], c["priceInclVat"]) for c in page["price"]["components"]] == [
        ("energy", "0.3600"),
        ("session", "1.2000"),
    ]
    assert seen["declined"][0] == 402 and seen["declined"][1]["error"]["message"] == "Your card was declined."
    assert seen["nothing_sent"]
    code, paid = seen["paid"]
    assert code == 201 and (paid["state"], paid["authorizedAmount"], paid["currency"]) == (
        "authorized",
        2500,
        "EUR",
    )
    started_with = heard[0][1]
    if version == "1.6":
        assert started_with == paid["paymentId"] and len(started_with) <= 20
    else:
        assert started_with == {"id_token": paid["paymentId"], "type": "DirectPayment"}
    assert seen["verdict"] == "Accepted" and seen["captured"]
    transaction_id = seen["transaction_id"]
    _, session = runtime.api("GET", f"/transactions/{transaction_id}?chargePointId={cp_id}")
    assert round(session["cost"]["totalInclVat"] * 100) == COST
    record = runtime.api("GET", f"/payments/{paid['paymentId']}")[1]
    assert (record["capturedAmount"], record["transactionId"]) == (COST, transaction_id)
    assert [(h["event"], h["amount"]) for h in record["history"]] == [
        ("authorized", 2500),
        ("captured", COST),
        ("released", 2500 - COST),
    ]
    assert seen["rejected"][0] == 201 and seen["released"]

    refunds = f"/payments/{paid['paymentId']}/refunds"
    assert runtime.api("POST", refunds, {"amount": 90, "reason": "a slow start"})[0] == 201
    code, refused = runtime.api("POST", refunds, {"amount": 301, "reason": "too much"})
    assert code == 409 and "300 left" in refused["error"]["message"]
    assert runtime.api("GET", f"/payments/{paid['paymentId']}")[1]["refundedAmount"] == 90

    _, day = runtime.api("GET", f"/reconciliation?date={datetime.now(UTC).date().isoformat()}")
    assert day["mismatches"] == []
    assert any(t["currency"] == "EUR" and t["captured"] >= COST for t in day["totals"])


def test_the_pay_page_fits_a_phone_speaks_german_and_has_no_serious_accessibility_violation(runtime, browser):
    """Chromium at 390 px, its language German: the price in AFIR's order, the form posted with a
    test card, the receipt's page next; axe-core (npm, package.json) on both pages."""
    import threading
    from pathlib import Path

    cp_id = "E2E-PAY-PAGE"
    assert runtime.api("PUT", f"/charge-points/{cp_id}", {})[0] in (200, 201)
    body = {**TARIFF, "assignedTo": {"chargePoints": [cp_id]}}
    assert runtime.api("PUT", "/tariffs/pay-page", body)[0] in (200, 201)
    heard: list[Any] = []
    online, done = threading.Event(), threading.Event()

    async def station_online() -> None:
        async with connected(runtime, cp_id, "2.1", paying_station("2.1", heard, ["Accepted"])) as station:
            await status_available(station, "2.1")
            online.set()
            await asyncio.to_thread(done.wait, 60)

    thread = threading.Thread(target=lambda: asyncio.run(station_online()))
    thread.start()
    axe = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="de-DE")
    tab = context.new_page()

    def accessible() -> list[str]:
        overflow = tab.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{tab.url} is {overflow}px wider than a phone"
        tab.add_script_tag(path=str(axe))
        found: list[str] = tab.evaluate(
            """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter((v) => ['serious', 'critical'].includes(v.impact))
                .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""
        )
        return found

    try:
        assert online.wait(20)
        tab.goto(f"{runtime.api_url}/pay/{cp_id}/1")
        assert tab.get_by_role("heading", name="Laden und bezahlen").is_visible()
        text = tab.inner_text("main")
        assert text.index("pro kWh") < text.index("pro Ladevorgang")
        assert "0,36 EUR" in text and "1,20 EUR" in text and "Dieser Ladepunkt ist bereit." in text
        assert accessible() == []
        tab.get_by_label("Zahlungsmittel").select_option("pm_card_visa")
        tab.get_by_label("Reservierung auf Ihrer Karte", exact=False).select_option("2000")
        tab.get_by_role("button", name="Bezahlen und Laden starten").click()
        tab.wait_for_url("**/pay/receipts/**")
        assert "20.00 EUR is held on your card" in tab.inner_text("main")
        assert accessible() == []
        assert runtime.wait_for(lambda: [h for h in heard if h[0] == "started"], 10)
    finally:
        context.close()
        done.set()
        thread.join(30)
