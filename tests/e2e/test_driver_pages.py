"""The drivers' pages in a real Chromium on a phone's screen, against the local runtime, with
`ocpp` clients as the stations: an operator makes a driver and links a card, a station charges
with it, and the driver, signed in with the key at /driver/, sees the session with its energy and
cost, saves its receipt (whose totals are the CDR's) and the month's statement; a running session
is marked and has no receipt yet; a card is linked from the page by presenting it at a station;
another driver sees none of it; an operator's token is not a driver's key; and the cloud's
sign-in (the drivers' user pool's hosted UI, stood in for) signs in and out. Each page is
photographed under build/test-output/driver/ (CSMS_TEST_OUTPUT)."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from ocpp.v16 import call as call16
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from local.runtime.launch import ROOT
from tests.e2e.conftest import TOKEN, Runtime
from tests.e2e.test_console import HostedUi, ended_session, online

pytestmark = pytest.mark.e2e

# The pages poll every 5 s: what a station did shows within two rounds, whatever the moment.
expect.set_options(timeout=12_000)
SHOTS = Path(os.environ.get("CSMS_TEST_OUTPUT", ROOT / "build" / "test-output")) / "driver"
# 1 kWh charged (5000 Wh to 6000 Wh) at 0.30 EUR/kWh and 2 EUR a session, 20 % VAT: 2.30 and 2.76 EUR
READINGS = [(5000.0, 11000.0), (5500.0, 11000.0), (6000.0, 11000.0)]
STEP = timedelta(seconds=30)


def after_linking() -> datetime:
    """When a session of a card linked just now starts: a driver sees a card's sessions only from
    its link on, and stations give the time to the second."""
    return datetime.now(UTC) + timedelta(seconds=1)


def tariff_for(runtime: Runtime, charge_point_id: str) -> None:
    tariff = {
        "currency": "EUR",
        "vatRate": 20,
        "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.3}, {"type": "FLAT", "price": 2}]}],
        "assignedTo": {"chargePoints": [charge_point_id]},
    }
    assert runtime.api("PUT", f"/tariffs/drv-{charge_point_id.lower()}", tariff)[0] in (200, 201)


def driver(runtime: Runtime, name: str) -> tuple[str, str]:
    """An operator makes a driver: its id and its key (shown once)."""
    status, made = runtime.api("POST", "/drivers", {"name": name, "email": f"{name.lower()}@example.com"})
    assert status == 201, made
    assert made["key"].startswith("csk_")
    return made["driverId"], made["key"]


def card(runtime: Runtime, tag: str, driver_id: str | None = None) -> None:
    """A card the network accepts; with `driver_id`, linked to that driver by an operator."""
    assert runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})[0] in (200, 201)
    if driver_id:
        status, body = runtime.api("PUT", f"/drivers/{driver_id}/id-tokens/{tag}")
        assert status in (200, 201, 204), body


def cdr_of(runtime: Runtime, charge_point_id: str, transaction_id: str) -> dict[str, Any]:
    def found() -> list[dict[str, Any]]:
        items = runtime.api("GET", "/cdrs?limit=100")[1]["items"]  # newest first
        return [
            c
            for c in items
            if (c["cdr_location"]["id"], c["session_id"]) == (charge_point_id, transaction_id)
        ]

    [cdr] = runtime.wait_for(found, timeout=10)
    return cdr


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone's browser (drivers use phones), English (UK) for the money and dates shown."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        timezone_id="UTC",
        accept_downloads=True,
    )
    problems: list[str] = []
    context.on("page", lambda tab: tab.on("pageerror", lambda error: problems.append(str(error))))
    yield context
    context.close()
    assert problems == [], problems  # no script error on any page the test opened


def signed_in(phone: Any, runtime: Runtime, key: str) -> Page:
    page = phone.new_page()
    page.goto(f"{runtime.api_url}/driver/")
    page.get_by_label("Driver key", exact=True).fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sessions", exact=True)).to_be_visible()
    return page


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits_a_phone(page: Page) -> None:
    """Nothing wider than the screen, and every control labelled."""
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a phone"
    unlabelled = page.evaluate(
        """[...document.querySelectorAll('input, select, textarea')]
            .filter((c) => !c.labels.length && !c.getAttribute('aria-label')).map((c) => c.name)"""
    )
    assert unlabelled == [], page.url


def saved(page: Page, button: Any) -> tuple[str, bytes]:
    """What a download button saves: its file name and its bytes."""
    with page.expect_download() as download:
        button.click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("version", ["1.6", "2.0.1"])
def test_a_driver_sees_a_session_of_their_card_and_its_receipt_holds_the_cdrs_totals(phone, runtime, version):
    cp_id, tag = f"DRV-RECEIPT-{version.replace('.', '')}", f"DRV-CARD-{version.replace('.', '')}"
    tariff_for(runtime, cp_id)
    driver_id, key = driver(runtime, f"Receipt{version.replace('.', '')}")
    card(runtime, tag, driver_id)
    transaction_id = ended_session(runtime, cp_id, version, tag, READINGS, after_linking(), STEP)
    cdr = cdr_of(runtime, cp_id, transaction_id)
    total, before_vat = cdr["total_cost"]["incl_vat"], cdr["total_cost"]["excl_vat"]
    assert (cdr["currency"], total, cdr["total_energy"]) == ("EUR", 2.76, 1.0)

    page = signed_in(phone, runtime, key)
    session = page.get_by_role("listitem").filter(has_text=cp_id)
    expect(session).to_contain_text("1.00 kWh")
    expect(session).to_contain_text(f"€{total:.2f}")
    expect(session).to_contain_text(tag)
    expect(session.get_by_text("Charging now")).to_have_count(0)
    fits_a_phone(page)
    shoot(page, f"sessions-{version}")

    name, pdf = saved(page, session.get_by_role("button", name="Receipt (PDF)"))
    assert name == f"receipt-{cdr['id']}.pdf" and pdf.startswith(b"%PDF")  # the API's name for it
    text = pdf_text(pdf)
    for shown in (f"{total:.2f}", f"{before_vat:.2f}", "EUR", cdr["id"], cp_id):
        assert shown in text, f"{shown} is not on the receipt:\n{text}"
    expect(session.get_by_role("status")).to_contain_text(f"Saved {name}")
    name, receipt_csv = saved(page, session.get_by_role("button", name="Receipt (CSV)"))
    assert name == f"receipt-{cdr['id']}.csv" and f"{total:.2f}" in receipt_csv.decode()

    month = cdr["start_date_time"][:7]
    page.get_by_label("Month", exact=True).fill(month)
    name, statement = saved(page, page.get_by_role("button", name="Statement (CSV)"))
    assert name == f"statement-{month}.csv"
    rows = list(csv.reader(io.StringIO(statement.decode())))
    [line] = [row for row in rows if cp_id in row]
    assert f"{total:.2f}" in line and "EUR" in line


def test_a_running_session_is_marked_and_has_no_receipt_yet(phone, runtime):
    cp_id, tag = "DRV-RUNNING-201", "DRV-CARD-RUNNING"
    tariff_for(runtime, cp_id)
    driver_id, key = driver(runtime, "Running")
    card(runtime, tag, driver_id)
    with online(runtime, cp_id, "2.0.1") as station:
        transaction_id = station.charge(tag, READINGS[:2], start=after_linking(), step=STEP)
        page = signed_in(phone, runtime, key)
        session = page.get_by_role("listitem").filter(has_text=cp_id)
        expect(session.get_by_text("Charging now")).to_be_visible()
        expect(session).to_contain_text("0.50 kWh")
        expect(session.get_by_role("button", name="Receipt")).to_have_count(0)
        expect(session).to_contain_text("The receipt is ready when the session ends")
        shoot(page, "session-running")
    path = f"/driver/sessions/{cp_id}/{transaction_id}/receipt"
    assert runtime.api("GET", path, token=key)[0] == 409  # and the API agrees: not yet


def test_a_card_is_linked_from_the_page_by_presenting_it_at_a_station_and_unlinked(phone, runtime):
    cp_id, tag = "DRV-LINK-16", "DRV-CARD-LINK"
    driver_id, key = driver(runtime, "Linker")
    card(runtime, tag)
    page = signed_in(phone, runtime, key)
    page.get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="Account")).to_be_visible()
    expect(page.get_by_text("linker@example.com", exact=True)).to_be_visible()
    expect(page.get_by_text("within 10 minutes")).to_be_visible()

    page.get_by_label("Card number", exact=True).fill("DRV-NO-SUCH-CARD")
    page.get_by_role("button", name="Link card").click()
    expect(page.get_by_role("alert")).to_contain_text("No card DRV-NO-SUCH-CARD is known")

    page.get_by_label("Card number", exact=True).fill(tag)
    page.get_by_role("button", name="Link card").click()
    expect(page.get_by_role("status")).to_contain_text(f"Now present card {tag} at any station before")
    waiting = page.get_by_role("list", name="Cards waiting to be presented")
    expect(waiting.get_by_role("listitem").filter(has_text=tag)).to_be_visible()
    fits_a_phone(page)
    shoot(page, "account-waiting")
    with online(runtime, cp_id, "1.6") as station:
        assert station.call(call16.Authorize(id_tag=tag)).id_tag_info["status"] == "Accepted"
    linked = page.get_by_role("list", name="Linked cards").get_by_role("listitem").filter(has_text=tag)
    expect(linked.get_by_text("Accepted")).to_be_visible()  # the page looked again, unasked
    expect(waiting).to_have_count(0)
    assert [t["idToken"] for t in runtime.api("GET", f"/drivers/{driver_id}")[1]["idTokens"]] == [tag]
    shoot(page, "account")

    linked.get_by_role("button", name=f"Unlink {tag}").click()
    linked.get_by_role("button", name="Yes, unlink").click()
    expect(page.get_by_role("status")).to_contain_text(f"Card {tag} is unlinked.")
    expect(page.get_by_text("No card is linked yet")).to_be_visible()
    assert runtime.api("GET", f"/drivers/{driver_id}")[1]["idTokens"] == []


def test_a_driver_sees_nothing_of_another_drivers_sessions_or_cards(phone, runtime):
    cp_id, tag, own = "DRV-OTHERS-16", "DRV-CARD-FIRST", "DRV-CARD-SECOND"
    tariff_for(runtime, cp_id)
    first_id, first_key = driver(runtime, "First")
    card(runtime, tag, first_id)
    transaction_id = ended_session(runtime, cp_id, "1.6", tag, READINGS, after_linking(), STEP)
    second_id, second_key = driver(runtime, "Second")
    card(runtime, own, second_id)
    month = cdr_of(runtime, cp_id, transaction_id)["start_date_time"][:7]

    page = signed_in(phone, runtime, second_key)
    expect(page.get_by_text("No sessions yet")).to_be_visible()
    expect(page.get_by_text(cp_id)).to_have_count(0)
    page.get_by_label("Month", exact=True).fill(month)
    _, statement = saved(page, page.get_by_role("button", name="Statement (CSV)"))
    assert cp_id not in statement.decode() and tag not in statement.decode()
    shoot(page, "sessions-empty")

    page.get_by_role("link", name="Account").click()
    page.get_by_label("Card number", exact=True).fill(tag)
    page.get_by_role("button", name="Link card").click()  # the first driver's card
    expect(page.get_by_role("alert")).to_contain_text(f"Card {tag} cannot be linked to this account")
    linked = page.get_by_role("list", name="Linked cards")
    expect(linked.get_by_role("listitem")).to_have_count(1)
    expect(linked).to_contain_text(own)
    # Nor by asking the API for it directly
    receipt = f"/driver/sessions/{cp_id}/{transaction_id}/receipt"
    assert runtime.api("GET", receipt, token=second_key)[0] == 404
    first_page = signed_in(phone, runtime, first_key)
    expect(first_page.get_by_role("listitem").filter(has_text=cp_id)).to_be_visible()


def test_an_operators_token_or_a_made_up_key_does_not_sign_a_driver_in(phone, runtime):
    page = phone.new_page()
    page.goto(f"{runtime.api_url}/driver/")
    page.get_by_label("Driver key", exact=True).fill(TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("not a driver's key")
    page.get_by_label("Driver key", exact=True).fill("csk_made-up-0123456789")
    page.keyboard.press("Enter")  # from the keyboard alone
    expect(page.get_by_role("alert")).to_contain_text("That key is not valid")
    expect(page.get_by_role("navigation", name="Pages")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('driver.token')") is None
    fits_a_phone(page)
    shoot(page, "sign-in")


def test_signing_in_with_the_drivers_user_pool_by_pkce_and_out_again(phone, runtime):
    """The cloud's sign-in, as the stack's config.json for /driver/ sets it up: the drivers'
    pool's hosted UI asked for a code with an S256 challenge, the code exchanged with its verifier,
    the API called with the access token (here a driver's key); signing out goes through the
    hosted UI's logout and back to the pages."""
    _, key = driver(runtime, "Cloud")
    hosted = HostedUi(runtime, path="/driver/", access_token=key)
    hosted.serve(phone)
    page = phone.new_page()
    page.goto(f"{runtime.api_url}/driver/#/account")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Account")).to_be_visible()  # back where it started
    expect(page.get_by_text("cloud@example.com", exact=True)).to_be_visible()
    assert page.evaluate("location.search") == ""  # the code is gone from the address
    assert (hosted.asked["client_id"], hosted.asked["redirect_uri"]) == (HostedUi.CLIENT, hosted.redirect)
    assert hosted.asked["code_challenge_method"] == "S256"
    assert hosted.exchanged["code_verifier"] and hosted.exchanged["redirect_uri"] == hosted.redirect
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert hosted.logouts == [{"client_id": HostedUi.CLIENT, "logout_uri": hosted.redirect}]
    assert page.evaluate("sessionStorage.getItem('driver.token')") is None
