"""The console per role, in a real Chromium against the local runtime: keys of each role of a
tenant (made with the bootstrap token) sign in, and each sees in the header who it is, and of
the controls only those its role may use, every other disabled with the API's own reason. A
viewer reads the fleet and the sessions and changes nothing; a technician resets a station (an
`ocpp` client answers) but adds no id token; an operator adds and blocks one; an admin meets no
refusal; another tenant's key sees none of the tenant's stations. Each page is photographed
under build/test-output/console/ like the console's other tests."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local.tools.browser import sign_in
from tests.e2e.conftest import Runtime, start_runtime
from tests.e2e.test_console import fleet_row, online, shoot

pytestmark = pytest.mark.e2e

ROLES = ("viewer", "technician", "operator", "admin")
TENANT, OTHER = "console-a", "console-b"
CP, OTHER_CP, TAG = "ROLES-A-16", "ROLES-B-16", "ROLES-TAG"


@dataclass(frozen=True)
class Tenancy:
    keys: dict[str, str]  # a key of each role of TENANT, and OTHER's admin's under "other"
    key_ids: dict[str, str]
    session: str  # TENANT's ended session on CP


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A runtime of this module's own, in place of the session's: its tenants and keys are new."""
    launched, started = start_runtime(tmp_path_factory.mktemp("console-roles"))
    yield started
    assert launched.stop() == 0, started.log.read_text()


@pytest.fixture(scope="module")
def tenancy(runtime: Runtime) -> Tenancy:
    """Two tenants, as the platform admin makes them: TENANT with a key of each role, a charge
    point and a session that ended on it; OTHER with an admin key and a charge point of its own."""
    keys, key_ids = {}, {}
    for tenant in (TENANT, OTHER):
        assert runtime.api("POST", "/tenants", {"tenantId": tenant, "name": tenant.title()})[0] == 201
    for name, role, tenant in [*((role, role, TENANT) for role in ROLES), ("other", "admin", OTHER)]:
        status, made = runtime.api("POST", "/api-keys", {"name": name, "role": role, "tenantId": tenant})
        assert status == 201, made
        keys[name], key_ids[name] = made["key"], made["apiKeyId"]
    assert runtime.api("PUT", f"/charge-points/{CP}", {}, token=keys["admin"])[0] == 201
    assert runtime.api("PUT", f"/charge-points/{OTHER_CP}", {}, token=keys["other"])[0] == 201
    assert runtime.api("PUT", f"/id-tokens/{TAG}", {"status": "Accepted"}, token=keys["operator"])[0] == 201
    with online(runtime, CP, "1.6") as station:
        session = station.charge(TAG, [(1000, 7000), (1500, 7000), (2000, 7000)], end=True)
    return Tenancy(keys, key_ids, session)


@contextlib.contextmanager
def signed_in(browser: Any, runtime: Runtime, key: str, **options: Any) -> Iterator[Page]:
    """A tab of its own signed in with the key, on the fleet page; no script error on any page."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    try:
        sign_in(tab, runtime.api_url, key)
        expect(tab.get_by_role("heading", name="Fleet")).to_be_visible()
        yield tab
    finally:
        context.close()
    assert problems == [], problems


def open_tab(page: Page, runtime: Runtime, where: str) -> None:
    page.goto(f"{runtime.api_url}/console/#/{where}")


def form(page: Page, title: str) -> Any:
    return page.locator("form", has=page.get_by_role("heading", name=title, exact=True))


def test_each_control_needs_what_the_api_route_it_calls_needs(browser, runtime):
    """The console's one table of the routes its controls call is the API's ACCESS, route by route."""
    from functions.operator_api.routes import routers

    routers()  # every block's module imported, each with its ACCESS
    declared = {
        route: permission.value
        for name, module in list(sys.modules.items())
        if name.startswith("functions.operator_api.routes.")
        for route, permission in getattr(module, "ACCESS", {}).items()
    }
    context = browser.new_context()
    try:
        tab = context.new_page()
        tab.goto(f"{runtime.api_url}/console/")
        table = tab.evaluate("async () => (await import('./js/access.js')).ROUTES")
    finally:
        context.close()
    assert len(table) >= 10
    assert {route: declared.get(route) for route in table} == table


def test_a_viewer_reads_the_fleet_and_sessions_and_reads_why_it_may_change_nothing(browser, runtime, tenancy):
    with signed_in(browser, runtime, tenancy.keys["viewer"]) as page:
        who = page.locator("#who")
        expect(who).to_contain_text(f"Signed in as {tenancy.key_ids['viewer']}")
        expect(who).to_contain_text("Role viewer")
        expect(who).to_contain_text(f"Tenant {TENANT}")
        expect(fleet_row(page, CP)).to_be_visible()
        shoot(page, "roles-viewer-fleet")

        page.get_by_role("link", name="Sessions").click()
        sessions = page.get_by_role("table", name="Sessions")
        expect(sessions.get_by_role("link", name=tenancy.session, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Export CSV")).to_be_enabled()  # reading is the viewer's

        open_tab(page, runtime, f"charge-points/{CP}/commands")
        for title, reason in [
            ("Reset", "viewer may not reset stations"),
            ("Unlock", "viewer may not send commands"),
            ("Availability", "viewer may not send commands"),
            ("Remote start", "viewer may not start and stop sessions"),
            ("Remote stop", "viewer may not start and stop sessions"),
            ("Trigger a message", "viewer may not send commands"),
            ("Any command", "viewer may not send commands"),
        ]:
            expect(form(page, title).get_by_role("button", name=title)).to_be_disabled()
            expect(form(page, title)).to_contain_text(reason)
        shoot(page, "roles-viewer-commands")

        # A page that still offers what the API refuses (a role changed since) shows the 403's reason.
        reset = form(page, "Reset")
        reset.get_by_role("button", name="Reset").evaluate("(button) => { button.disabled = false; }")
        reset.get_by_role("button", name="Reset").click()
        expect(reset.get_by_role("alert")).to_have_text("403 viewer may not reset stations")

        page.get_by_role("tab", name="Configuration").click()
        for title in ("Read from the station", "Change a setting"):
            expect(form(page, title).get_by_role("button", name=title)).to_be_disabled()
            expect(form(page, title)).to_contain_text("viewer may not change configuration")

        page.get_by_role("link", name="Id tokens").click()
        expect(page.get_by_role("cell", name=TAG, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Save")).to_be_disabled()
        expect(page.get_by_text("viewer may not manage id tokens")).to_be_visible()
        expect(page.get_by_role("button", name=f"Block {TAG}")).to_have_count(0)
        shoot(page, "roles-viewer-id-tokens")


def test_a_technician_resets_a_station_but_may_not_add_id_tokens(browser, runtime, tenancy):
    with signed_in(browser, runtime, tenancy.keys["technician"]) as page:
        expect(page.locator("#who")).to_contain_text("Role technician")
        with online(runtime, CP, "1.6") as station:
            open_tab(page, runtime, f"charge-points/{CP}/commands")
            reset = form(page, "Reset")
            expect(reset.locator(".refused")).to_have_count(0)
            reset.get_by_role("button", name="Reset").click()
            expect(reset.get_by_text("Reset: answered")).to_be_visible(timeout=15_000)
            assert station.resets == [{"type": "Soft"}]
            expect(form(page, "Any command").get_by_role("button", name="Any command")).to_be_enabled()
            start = form(page, "Remote start")
            expect(start.get_by_role("button", name="Remote start")).to_be_disabled()
            expect(start).to_contain_text("technician may not start and stop sessions")
            shoot(page, "roles-technician-commands")

        page.get_by_role("link", name="Id tokens").click()
        expect(page.get_by_role("cell", name=TAG, exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Save")).to_be_disabled()
        expect(page.get_by_text("technician may not manage id tokens")).to_be_visible()
        expect(page.get_by_role("button", name=f"Block {TAG}")).to_have_count(0)


def test_an_operator_adds_and_blocks_an_id_token(browser, runtime, tenancy):
    operator = tenancy.keys["operator"]
    with signed_in(browser, runtime, operator) as page:
        expect(page.locator("#who")).to_contain_text("Role operator")
        page.get_by_role("link", name="Id tokens").click()
        expect(page.locator(".refused")).to_have_count(0)
        page.get_by_label("Id token", exact=True).fill("ROLES-NEW")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("status")).to_contain_text("ROLES-NEW saved.")
        page.get_by_role("button", name="Block ROLES-NEW").click()
        expect(page.get_by_role("status")).to_contain_text("ROLES-NEW blocked.")
        assert runtime.api("GET", "/id-tokens/ROLES-NEW", token=operator)[1]["status"] == "Blocked"
        shoot(page, "roles-operator-id-tokens")

        open_tab(page, runtime, f"charge-points/{CP}/commands")
        expect(form(page, "Remote start").get_by_role("button", name="Remote start")).to_be_enabled()
        expect(form(page, "Reset").get_by_role("button", name="Reset")).to_be_enabled()


def test_an_admin_meets_no_refusal_anywhere(browser, runtime, tenancy):
    with signed_in(browser, runtime, tenancy.keys["admin"]) as page:
        expect(page.locator("#who")).to_contain_text("Role admin")
        for where, heading in [
            (f"charge-points/{CP}/commands", "Any command"),
            (f"charge-points/{CP}/configuration", "Change a setting"),
            ("sessions", "Sessions"),
            ("id-tokens", "Add or replace a token"),
        ]:
            open_tab(page, runtime, where)
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            expect(page.locator("[data-refused], .refused")).to_have_count(0)
            expect(page.locator("main form button:disabled")).to_have_count(0)
        expect(page.get_by_role("button", name=f"Block {TAG}")).to_be_enabled()  # each row's, too
        shoot(page, "roles-admin-id-tokens")


def test_another_tenants_key_sees_none_of_the_tenants_stations(browser, runtime, tenancy):
    with signed_in(browser, runtime, tenancy.keys["other"]) as page:
        expect(page.locator("#who")).to_contain_text(f"Tenant {OTHER}")
        expect(fleet_row(page, OTHER_CP)).to_be_visible()
        expect(page.get_by_text("1 of 1 charge points shown")).to_be_visible()
        expect(fleet_row(page, CP)).to_have_count(0)
        shoot(page, "roles-other-tenant-fleet")
        page.get_by_role("link", name="Sessions").click()
        expect(page.get_by_text("No session matches.")).to_be_visible()
        open_tab(page, runtime, f"charge-points/{CP}")
        expect(page.get_by_role("alert")).to_contain_text("not found")
