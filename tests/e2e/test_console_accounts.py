"""The console's accounts pages and the fleet's truth, in a real Chromium against a local runtime
of this module's own: a tenant's admin makes a viewer key, sees it once, the key answers
`GET /me`, the admin revokes it (after the page asks), the audit page lists the revocation with
its principal and exports it, and the key is refused; the platform admin adds a tenant; an
operator looks a driver up by email and blocks its card, makes a driver, links and unlinks a
card and removes the driver (each after the page asks); a viewer is offered none of these pages;
each page fits a phone. On the fleet, a 2.x Occupied EVSE with a session metering energy is
charging and one without is parked, an offline station's connectors are unknown and do not
count as charging, the list says when each station was last heard, and a fault and a critical
security event show as alerts in the header and on the alerts page, each linked to its station.
Each page is photographed under build/test-output/console/."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
from playwright.sync_api import Page, expect

from tests.e2e.conftest import TOKEN, Runtime, start_runtime
from tests.e2e.test_console import fleet_row, online, shoot, stamp
from tests.e2e.test_console_roles import signed_in

pytestmark = pytest.mark.e2e

TENANT = "console-accounts"
# A revoked key is refused once the authorizer's cached answer for it ends (docs/accounts.md).
REVOCATION_S = 60


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    launched, started = start_runtime(tmp_path_factory.mktemp("console-accounts"))
    yield started
    assert launched.stop() == 0, started.log.read_text()


@pytest.fixture(scope="module")
def keys(runtime: Runtime) -> dict[str, str]:
    """TENANT, and a key of its admin, operator and viewer, as the platform admin makes them."""
    assert runtime.api("POST", "/tenants", {"tenantId": TENANT, "name": "Console Accounts"})[0] == 201
    made = {}
    for role in ("admin", "operator", "viewer"):
        status, body = runtime.api(
            "POST", "/api-keys", {"name": f"{role}-key", "role": role, "tenantId": TENANT}
        )
        assert status == 201, body
        made[role], made[f"{role}-id"] = body["key"], body["apiKeyId"]
    return made


def nav(page: Page) -> Any:
    return page.get_by_role("navigation", name="Pages")


def confirm(page: Page, question: str, answer: str) -> None:
    """The page's own question (not the browser's), answered with one of its buttons."""
    dialog = page.get_by_role("dialog", name=question)
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name=answer, exact=True).click()
    expect(dialog).to_have_count(0)


def test_an_admin_makes_a_viewer_key_sees_it_once_and_revokes_it_and_the_audit_shows_it(
    browser, runtime, keys
):
    grants = {"permissions": ["clipboard-read", "clipboard-write"], "accept_downloads": True}
    with signed_in(browser, runtime, keys["admin"], **grants) as page:
        nav(page).get_by_role("link", name="Keys").click()
        made = page.locator("form", has=page.get_by_role("heading", name="Make a key"))
        roles = made.get_by_label("Role", exact=True).locator("option").all_inner_texts()
        assert roles == ["viewer", "technician", "operator", "admin"]
        made.get_by_label("Name", exact=True).fill("dashboard")
        made.get_by_label("Role", exact=True).select_option("viewer")
        made.get_by_role("button", name="Make the key").click()
        shown = page.get_by_label("API key", exact=True)
        expect(page.get_by_text("it is shown this once")).to_be_visible()
        key = shown.input_value()
        assert key.startswith("csk_")
        page.get_by_role("button", name="Copy", exact=True).click()
        expect(page.get_by_text("Copied.")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == key
        shoot(page, "accounts-key-made")

        status, me = runtime.api("GET", "/me", token=key)
        assert status == 200, me
        assert (me["role"], me["tenantId"]) == ("viewer", TENANT)
        key_id = me["principal"]

        # Once: a page opened anew lists the key but never shows it again.
        page.reload()
        row = page.get_by_role("table", name="API keys").get_by_role("row").filter(has_text=key_id)
        expect(row).to_contain_text("active")
        expect(page.get_by_label("API key", exact=True)).to_have_count(0)
        assert key not in page.content()

        # Asked, and answered no from the keyboard (Escape): nothing happens.
        row.get_by_role("button", name="Revoke dashboard").click()
        expect(page.get_by_role("dialog", name="Revoke the key dashboard?")).to_be_visible()
        shoot(page, "accounts-key-revoke-asked")
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)
        listed = runtime.api("GET", "/api-keys", token=keys["admin"])[1]["items"]
        assert [k["revokedAt"] for k in listed if k["apiKeyId"] == key_id] == [None]

        row.get_by_role("button", name="Revoke dashboard").click()
        confirm(page, "Revoke the key dashboard?", "Revoke")
        expect(page.get_by_role("status").filter(has_text="Key dashboard revoked.")).to_be_visible()
        expect(row).to_contain_text("revoked")
        expect(row.get_by_role("button")).to_have_count(0)
        shoot(page, "accounts-keys")

        nav(page).get_by_role("link", name="Audit").click()
        page.get_by_label("Resource", exact=True).fill(key_id)
        page.get_by_role("button", name="Show", exact=True).click()
        entries = page.get_by_role("table", name="Audit").get_by_role("row")
        revocation = entries.filter(has_text=f"DELETE /api-keys/{key_id}")
        expect(revocation).to_have_count(1)
        expect(revocation).to_contain_text(keys["admin-id"])
        expect(revocation).to_contain_text("204")
        shoot(page, "accounts-audit")
        with page.expect_download() as download:
            page.get_by_role("button", name="Export CSV").click()
        lines = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
        assert [
            (line["method"], line["path"], line["principal"], line["status"], line["tenantId"])
            for line in lines
            if line["method"] == "DELETE"
        ] == [("DELETE", f"/api-keys/{key_id}", keys["admin-id"], "204", TENANT)]

    deadline = time.monotonic() + REVOCATION_S + 10
    while (answer := runtime.api("GET", "/me", token=key)[0]) == 200 and time.monotonic() < deadline:
        time.sleep(1)
    assert answer in (401, 403)


def test_the_platform_admin_adds_a_tenant(browser, runtime):
    with signed_in(browser, runtime, TOKEN) as page:
        nav(page).get_by_role("link", name="Tenants").click()
        page.get_by_label("Tenant id", exact=True).fill("acme-estates")
        page.get_by_label("Name", exact=True).fill("Acme Estates")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="Tenant acme-estates added.")).to_be_visible()
        expect(
            page.get_by_role("table", name="Tenants").get_by_role("row").filter(has_text="acme-estates")
        ).to_contain_text("Acme Estates")
        shoot(page, "accounts-tenants")
    tenants = runtime.api("GET", "/tenants")[1]["items"]
    assert {"tenantId": "acme-estates", "name": "Acme Estates"}.items() <= next(
        t for t in tenants if t["tenantId"] == "acme-estates"
    ).items()


def test_an_operator_looks_a_driver_up_by_email_and_blocks_its_card(browser, runtime, keys):
    operator = keys["operator"]
    status, driver = runtime.api(
        "POST", "/drivers", {"name": "Grace Hopper", "email": "grace@example.com"}, token=operator
    )
    assert status == 201, driver
    assert runtime.api("PUT", "/id-tokens/GRACE-CARD", {"status": "Accepted"}, token=operator)[0] in (
        200,
        201,
    )
    assert runtime.api("PUT", f"/drivers/{driver['driverId']}/id-tokens/GRACE-CARD", token=operator)[0] == 204
    with signed_in(browser, runtime, operator) as page:
        nav(page).get_by_role("link", name="Drivers").click()
        page.get_by_label("Email", exact=True).first.fill("GRACE@example.com")
        page.get_by_role("button", name="Look up").click()
        page.get_by_role("table", name="Found").get_by_role("link", name="Grace Hopper").click()
        expect(page.get_by_role("heading", name="Grace Hopper")).to_be_visible()
        card = page.get_by_role("table", name="Cards").get_by_role("row").filter(has_text="GRACE-CARD")
        expect(card).to_contain_text("Accepted")
        card.get_by_role("button", name="Block GRACE-CARD").click()
        expect(page.get_by_role("status").filter(has_text="GRACE-CARD blocked.")).to_be_visible()
        expect(card).to_contain_text("Blocked")
        expect(card.get_by_role("button", name="Unblock GRACE-CARD")).to_be_visible()
        shoot(page, "accounts-driver")
    assert runtime.api("GET", "/id-tokens/GRACE-CARD", token=operator)[1]["status"] == "Blocked"
    cards = runtime.api("GET", f"/drivers/{driver['driverId']}", token=operator)[1]["idTokens"]
    assert [(c["idToken"], c["status"]) for c in cards] == [("GRACE-CARD", "Blocked")]


def test_an_operator_makes_a_driver_links_and_unlinks_a_card_and_removes_the_driver(browser, runtime, keys):
    operator = keys["operator"]
    assert runtime.api("PUT", "/id-tokens/ADA-CARD", {"status": "Accepted"}, token=operator)[0] in (200, 201)
    with signed_in(browser, runtime, operator) as page:
        nav(page).get_by_role("link", name="Drivers").click()
        made = page.locator("form", has=page.get_by_role("heading", name="Make a driver's account"))
        made.get_by_label("Name", exact=True).fill("Ada Lovelace")
        made.get_by_label("Email", exact=True).fill("ada@example.com")
        made.get_by_role("button", name="Make the account").click()
        key = page.get_by_label("driver's key", exact=True).input_value()
        status, me = runtime.api("GET", "/me", token=key)
        assert (status, me["role"]) == (200, "driver")
        shoot(page, "accounts-driver-made")

        page.get_by_role("main").get_by_role("link", name="Ada Lovelace").first.click()
        page.get_by_label("Card's id token", exact=True).fill("ADA-CARD")
        page.get_by_role("button", name="Link the card").click()
        card = page.get_by_role("table", name="Cards").get_by_role("row").filter(has_text="ADA-CARD")
        expect(card).to_contain_text("Accepted")
        account = runtime.api("GET", "/drivers?email=ada@example.com", token=operator)[1]["items"][0]
        driver_id = account["driverId"]
        assert [
            c["idToken"] for c in runtime.api("GET", f"/drivers/{driver_id}", token=operator)[1]["idTokens"]
        ] == ["ADA-CARD"]

        card.get_by_role("button", name="Unlink ADA-CARD").click()
        confirm(page, "Unlink the card ADA-CARD?", "Unlink")
        expect(page.get_by_text("No card linked.")).to_be_visible()
        assert runtime.api("GET", f"/drivers/{driver_id}", token=operator)[1]["idTokens"] == []

        page.get_by_role("button", name="Remove the driver").click()
        confirm(page, "Remove Ada Lovelace's account?", "Remove")
        expect(page.get_by_role("heading", name="Drivers", exact=True)).to_be_visible()
    assert runtime.api("GET", f"/drivers/{driver_id}", token=operator)[0] == 404


def test_each_role_is_offered_only_the_pages_it_may_use(browser, runtime, keys):
    for key, offered, withheld in [
        (keys["viewer"], ["Fleet", "Sessions"], ["Keys", "Audit", "Drivers", "Tenants"]),
        (keys["operator"], ["Drivers"], ["Keys", "Audit", "Tenants"]),
        (keys["admin"], ["Drivers", "Keys", "Audit"], ["Tenants"]),
        (TOKEN, ["Drivers", "Keys", "Audit", "Tenants"], []),
    ]:
        with signed_in(browser, runtime, key) as page:
            for name in offered:
                expect(nav(page).get_by_role("link", name=name, exact=True)).to_be_visible()
            for name in withheld:
                expect(nav(page).get_by_role("link", name=name, exact=True)).to_have_count(0)
            if key == keys["viewer"]:
                shoot(page, "accounts-viewer-nav")


def test_the_accounts_pages_fit_a_phone_and_label_every_control(browser, runtime, keys):
    status, driver = runtime.api(
        "POST", "/drivers", {"name": "Phone Driver", "email": "phone@example.com"}, token=keys["operator"]
    )
    assert status == 201, driver
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    with signed_in(browser, runtime, TOKEN, **phone) as page:
        for where, name, heading in [
            ("api-keys", "api-keys", "API keys"),
            ("audit", "audit", "Audit"),
            ("tenants", "tenants", "Tenants"),
            ("drivers", "drivers", "Drivers"),
            (f"drivers/{driver['driverId']}", "driver", "Phone Driver"),
        ]:
            page.goto(f"{runtime.api_url}/console/#/{where}")
            expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{where} is {overflow}px wider than a phone"
            unlabelled = page.evaluate(
                """[...document.querySelectorAll('input, select, textarea')]
                    .filter((c) => !c.labels.length && !c.getAttribute('aria-label')).map((c) => c.name)"""
            )
            assert unlabelled == [], where
            shoot(page, f"phone-{name}")
        # From the keyboard alone: a tenant added by typing and Enter.
        page.goto(f"{runtime.api_url}/console/#/tenants")
        page.get_by_label("Tenant id", exact=True).focus()
        page.keyboard.type("keyboard-co")
        page.keyboard.press("Tab")
        page.keyboard.type("Keyboard Co")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status").filter(has_text="Tenant keyboard-co added.")).to_be_visible()


def occupied(station: Any) -> None:
    station.call(
        call201.StatusNotification(
            timestamp=stamp(datetime.now(UTC)), connector_status="Occupied", evse_id=1, connector_id=1
        )
    )


def test_the_fleet_tells_charging_from_parked_and_an_offline_station_from_a_live_one(browser, runtime):
    with signed_in(browser, runtime, TOKEN) as page:
        page.get_by_label("Search", exact=True).fill("TRUTH-")
        with (
            online(runtime, "TRUTH-CHARGING", "2.0.1") as charging,
            online(runtime, "TRUTH-PARKED", "2.0.1") as parked,
        ):
            assert runtime.api("PUT", "/id-tokens/TRUTH-TAG", {"status": "Accepted"})[0] in (200, 201)
            charging.charge("TRUTH-TAG", [(1000, 7000), (1500, 7000)])
            occupied(charging)
            occupied(parked)
            with online(runtime, "TRUTH-FAULTED", "1.6") as faulted:
                faulted.call(
                    call16.StatusNotification(connector_id=1, error_code="GroundFailure", status="Faulted")
                )
                expect(fleet_row(page, "TRUTH-CHARGING").get_by_text("Charging", exact=True)).to_be_visible()
                expect(fleet_row(page, "TRUTH-PARKED").get_by_text("Parked", exact=True)).to_be_visible()
                expect(fleet_row(page, "TRUTH-PARKED").get_by_text("within 10 min")).to_be_visible()
                expect(page.get_by_role("button", name="1 charging", exact=True)).to_be_visible()
                alerts = page.get_by_role("banner").get_by_role("link", name="1 alert", exact=True)
                expect(alerts).to_be_visible()
                # A critical security event is an alert too, for a day, whether the station stays or not
                faulted.call(
                    call16.SecurityEventNotification(
                        type="TamperDetectionActivated",
                        timestamp=stamp(datetime.now(UTC)),
                        tech_info="lid open",
                    )
                )
                alerts = page.get_by_role("banner").get_by_role("link", name="2 alerts", exact=True)
                expect(alerts).to_be_visible()
                shoot(page, "fleet-truth")
                alerts.click()
                expect(page.get_by_role("heading", name="Alerts", exact=True)).to_be_visible()
                faults = page.get_by_role("table", name="Faulted connectors")
                expect(faults.get_by_role("link", name="TRUTH-FAULTED")).to_be_visible()
                events = page.get_by_role("table", name="Critical security events")
                expect(events).to_contain_text("TamperDetectionActivated")
                expect(events).to_contain_text("lid open")
                shoot(page, "alerts")
                events.get_by_role("link", name="TRUTH-FAULTED").click()
                expect(page.get_by_role("tab", name="Security events", selected=True)).to_be_visible()
                expect(page.get_by_text("TamperDetectionActivated").first).to_be_visible()
                page.go_back()
                page.get_by_role("link", name="Show them in the fleet").click()
                expect(page.get_by_label("Show", exact=True)).to_have_value("faulted")
                expect(page.get_by_text("1 of")).to_be_visible()
                expect(fleet_row(page, "TRUTH-FAULTED").get_by_text("Faulted", exact=True)).to_be_visible()
                page.get_by_label("Show", exact=True).select_option("all")
            # Gone: what it last said may no longer hold, and a fault of a station offline is not an
            # alert (its security event still is)
            row = fleet_row(page, "TRUTH-FAULTED")
            expect(row.get_by_text("unknown", exact=True)).to_be_visible()
            expect(row.get_by_text("within 10 min")).to_have_count(0)
            expect(page.get_by_role("banner").get_by_role("link", name="1 alert", exact=True)).to_be_visible()
            gone = runtime.api("GET", "/charge-points/TRUTH-FAULTED")[1]["disconnectedAt"]
            assert gone, "its connection's close was recorded"
        row = fleet_row(page, "TRUTH-CHARGING")
        expect(row.get_by_text("offline", exact=True)).to_be_visible()
        expect(row.get_by_text("unknown", exact=True)).to_be_visible()
        expect(row.get_by_text("Charging", exact=True)).to_have_count(0)
        expect(page.get_by_role("button", name="0 charging", exact=True)).to_be_visible()
        expect(page.get_by_role("table", name="Charge points").get_by_text("Last heard")).to_be_visible()
        shoot(page, "fleet-truth-offline")
