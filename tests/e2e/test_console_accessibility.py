"""Every page of the console checked with axe-core, in a real Chromium against a local runtime of
this module's own: signed in with the platform's token, the test walks each route (the fleet,
sessions and one session, id tokens, analytics, firmware, sites and one site, tariffs, CDRs,
drivers, API keys, the audit trail, tenants, alerts) and every tab of the charge point page of a 1.6
and of a 2.0.1 station (the fleet simulator's, online), at a desktop's width and at a phone's
390 px, and fails on any violation of serious or critical impact, and at the phone's width on a
page wider than the screen. The pages are photographed under build/test-output/console/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from local.tools.browser import sign_in
from tests.e2e.conftest import TOKEN, Runtime, start_runtime
from tests.e2e.test_console import ended_session, shoot
from tests.e2e.test_console_operations import AXE, Fleet

pytestmark = pytest.mark.e2e

STATIONS = {"1.6": "A11Y-16", "2.0.1": "A11Y-201"}
SITE, TARIFF = "a11y-site", "a11y-tariff"
TABS = [
    "overview",
    "session",
    "configuration",
    "commands",
    "history",
    "maintenance",
    "security",
    "profiles",
    "reservations",
    "local-list",
    "registration",
    "certificates",
]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, str]]:
    """A runtime with something on every page: a site, a tariff, an ended and priced session (so
    a CDR), a driver, a tenant with a key, and a 1.6 and a 2.0.1 station online; the session's
    route."""
    launched, started = start_runtime(tmp_path_factory.mktemp("console-a11y"), "--schedule-period", "1")
    assert started.api("PUT", f"/sites/{SITE}", {"limit": {"amps": 32}})[0] in (200, 201)
    tariff = {
        "currency": "EUR",
        "vatRate": 20,
        "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.3}]}],
        "assignedTo": {"chargePoints": ["A11Y-SESSION"]},
    }
    assert started.api("PUT", f"/tariffs/{TARIFF}", tariff)[0] in (200, 201)
    assert started.api("POST", "/drivers", {"name": "Ada", "email": "ada@a11y.example"})[0] == 201
    assert started.api("POST", "/tenants", {"tenantId": "a11y", "name": "A11y"})[0] == 201
    key = {"name": "a11y", "role": "viewer", "tenantId": "a11y"}
    assert started.api("POST", "/api-keys", key)[0] == 201
    session = ended_session(started, "A11Y-SESSION", "1.6", "A11Y-TAG", [(4000, 11000), (4500, 11000)])
    fleet = Fleet(started, STATIONS)

    def online() -> bool:
        return all(
            started.api("GET", f"/charge-points/{cp_id}")[1].get("online") for cp_id in STATIONS.values()
        )

    assert started.wait_for(online, 30), "the fleet's stations did not come online"
    yield started, f"sessions/A11Y-SESSION/{session}"
    fleet.close()
    assert launched.stop() == 0, started.log.read_text()


def routes(session: str) -> list[tuple[str, str]]:
    """Each route and the heading that says its page is drawn."""
    pages = [
        ("fleet", "Fleet"),
        ("sessions", "Sessions"),
        (session, "Session"),
        ("id-tokens", "Id tokens"),
        ("analytics", "Analytics"),
        ("firmware", "Firmware"),
        ("sites", "Sites"),
        (f"sites/{SITE}", SITE),
        ("tariffs", "Tariffs"),
        ("cdrs", "Charge detail records"),
        ("drivers", "Drivers"),
        ("api-keys", "API keys"),
        ("audit", "Audit"),
        ("tenants", "Tenants"),
        ("alerts", "Alerts"),
    ]
    for cp_id in STATIONS.values():
        pages += [(f"charge-points/{cp_id}/{tab}", cp_id) for tab in TABS]
    return pages


@pytest.mark.parametrize("width", list(WIDTHS))
def test_no_page_has_a_serious_accessibility_violation(browser: Any, runtime, width: str) -> None:
    """axe-core (npm, pinned in package.json) in the page; the console's CSP is bypassed only so
    that the test can put axe's script in."""
    started, session = runtime
    phone = width == "phone"
    context = browser.new_context(viewport=WIDTHS[width], is_mobile=phone, has_touch=phone, bypass_csp=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    found: dict[str, list[str]] = {}
    try:
        sign_in(tab, started.api_url, TOKEN)
        expect(tab.get_by_role("heading", name="Fleet")).to_be_visible()
        for where, heading in routes(session):
            tab.goto(f"{started.api_url}/console/#/{where}")
            expect(tab.get_by_role("heading", level=1).first).to_contain_text(heading)
            tab.wait_for_load_state("networkidle")
            problems = []
            if phone:
                overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                if overflow > 0:
                    problems.append(f"{overflow}px wider than a phone")
            tab.add_script_tag(path=str(AXE))
            problems += tab.evaluate(
                """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                    .filter((v) => ['serious', 'critical'].includes(v.impact))
                    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""
            )
            if problems:
                found[where] = problems
            shoot(tab, f"a11y-{width}-{where.replace('/', '-')}")
    finally:
        context.close()
    assert found == {}, found
    assert errors == [], errors
