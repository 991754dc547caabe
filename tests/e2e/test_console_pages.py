"""The console's pages for sites, tariffs and CDRs, id tokens' import and export, and a station's
administration, in a real Chromium against a local runtime of this module's own, with the fleet
simulator's stations (the `ocpp` package's clients, answering every call of their version):
a site is made, given a member and a new limit, and draws its power against its limit; a
profile's schedule is drawn and the profile cleared; a reservation made and cancelled; a local
list sent and its difference gone; a password rotated and a site set; the inventory of
certificates asked and a root installed; a tariff refused with the API's reason, then saved,
its price previewed, edited and deleted; a CDR exported; id tokens imported from a CSV,
exported and deleted. Each effect is checked through the API; each destructive action is asked
about first; each page fits a phone and is used from the keyboard. Pages are photographed
under build/test-output/console/."""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local.fleet import plan
from local.fleet.runner import Options, run
from tests.e2e.conftest import TOKEN, Runtime, start_runtime
from tests.e2e.test_console import ended_session, shoot
from tests.e2e.test_console_accounts import confirm
from tests.e2e.test_console_roles import signed_in
from tests.e2e.test_maintenance import IDLE
from tests.e2e.test_tenants import tenant_key

pytestmark = pytest.mark.e2e

TENANT = "console-pages"
# Stations that start a session at once and keep it, metering every 5 s.
CHARGING = plan.Life(**{**vars(IDLE), "idle_s": (0.5, 0.5), "session_s": (10_000.0, 10_000.0)})


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    launched, started = start_runtime(tmp_path_factory.mktemp("console-pages"), "--schedule-period", "1")
    yield started
    assert launched.stop() == 0, started.log.read_text()


@pytest.fixture(scope="module")
def key(runtime: Runtime) -> str:
    """An admin key of a tenant of this module's: its stations, cards and local lists."""
    return str(tenant_key(runtime, TENANT))


@contextlib.contextmanager
def stations(
    runtime: Runtime, key: str, prefix: str, version: str, life: plan.Life = IDLE
) -> Iterator[list[str]]:
    """Fleet stations of `version`, registered in the tenant and online on a thread of their own
    (the test's thread drives the browser), until the block ends; their ids."""
    specs = plan.fleet(1, plan.parse_mix(version), prefix, connectors=2)
    options = Options(
        runtime.ws_url + "/ocpp",
        runtime.api_url,
        key,
        specs,
        life=life,
        wind_down_s=2,
        register=True,
        tag_prefix=f"{prefix}TAG",
        tag_count=3,
    )
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    running = asyncio.run_coroutine_threadsafe(run(options, stop), loop)

    def online() -> bool:
        return all(runtime.api("GET", f"/charge-points/{s.id}", token=key)[1].get("online") for s in specs)

    try:
        assert runtime.wait_for(online, 30), runtime.log.read_text()[-3000:]
        yield [s.id for s in specs]
    finally:
        loop.call_soon_threadsafe(stop.set)
        running.result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def panel(page: Page, runtime: Runtime, station: str, which: str) -> None:
    page.goto(f"{runtime.api_url}/console/#/charge-points/{station}/{which}")


def form(page: Page, title: str) -> Any:
    return page.locator("form", has=page.get_by_role("heading", name=title, exact=True))


def test_a_site_is_made_given_a_member_and_a_limit_and_draws_its_power_against_it(browser, runtime, key):
    with (
        stations(runtime, key, "PAGES-SITE-", "2.0.1", CHARGING) as [station],
        signed_in(browser, runtime, key) as page,
    ):
        page.get_by_role("link", name="Sites", exact=True).click()
        make = form(page, "Make a site")
        make.get_by_label("Site id").fill("depot-1")
        make.get_by_label("Limit", exact=True).fill("32")
        make.get_by_role("button", name="Make the site").click()
        expect(page.get_by_role("heading", name="Site depot-1")).to_be_visible()
        assert runtime.api("GET", "/sites/depot-1", token=key)[1]["limit"]["amps"] == 32

        add = form(page, "Add a station")
        add.get_by_label("Charge point").fill(station)
        add.get_by_role("button", name="Add to the site").click()
        expect(page.get_by_role("status").filter(has_text=f"{station} added to depot-1.")).to_be_visible()
        assert runtime.api("GET", "/sites/depot-1", token=key)[1]["chargePoints"] == [station]

        limits = form(page, "Limits")
        limits.get_by_label("Limit", exact=True).fill("20")
        limits.get_by_role("button", name="Save the limits").click()
        expect(page.get_by_role("status").filter(has_text="depot-1's limits saved.")).to_be_visible()
        site = runtime.api("GET", "/sites/depot-1", token=key)[1]
        assert (site["limit"]["amps"], site["chargePoints"]) == (20, [station])  # the members stay

        # The station's session gets a share, and its metered power is drawn under the limit.
        shares = page.get_by_role("table", name="Sessions' shares")
        expect(shares.get_by_role("cell", name=station, exact=True).first).to_be_visible(timeout=30_000)
        chart = page.locator("figure", has_text="depot-1: power against its limit")
        expect(chart.locator("svg polyline.series-0")).to_have_count(1)
        expect(chart.locator("svg polyline.series-2")).to_have_count(1, timeout=20_000)
        chart.get_by_text("Figures").click()
        expect(chart.get_by_role("rowheader", name="Limit in force").first).to_be_visible()
        expect(chart.get_by_role("rowheader", name="Drawn (metered)").first).to_be_visible()
        shoot(page, "site")

        page.get_by_role("button", name=f"Remove {station}").click()
        confirm(page, f"Remove {station} from depot-1?", "Cancel")
        assert runtime.api("GET", "/sites/depot-1", token=key)[1]["chargePoints"] == [station]
        page.get_by_role("button", name=f"Remove {station}").click()
        confirm(page, f"Remove {station} from depot-1?", "Remove")
        expect(page.get_by_role("status").filter(has_text=f"{station} removed from depot-1.")).to_be_visible()
        assert runtime.api("GET", "/sites/depot-1", token=key)[1]["chargePoints"] == []

        page.get_by_role("navigation", name="Pages").get_by_role("link", name="Sites").click()
        expect(page.get_by_role("table", name="Sites").get_by_role("link", name="depot-1")).to_be_visible()
        shoot(page, "sites")


PROFILE = {
    "evseId": 1,
    "profile": {
        "id": 7,
        "stackLevel": 1,
        "chargingProfilePurpose": "TxDefaultProfile",
        "chargingProfileKind": "Absolute",
        "chargingSchedule": [
            {
                "id": 1,
                "chargingRateUnit": "A",
                "chargingSchedulePeriod": [
                    {"startPeriod": 0, "limit": 16},
                    {"startPeriod": 1800, "limit": 8},
                ],
            }
        ],
    },
}


def test_a_stations_profiles_reservations_local_list_registration_and_certificates(browser, runtime, key):
    with stations(runtime, key, "PAGES-CP-", "2.0.1") as [station], signed_in(browser, runtime, key) as page:
        # Profiles: the schedule drawn, the profile cleared after asking.
        status, sent = runtime.api(
            "PUT", f"/charge-points/{station}/charging-profiles/7?wait=10", PROFILE, token=key
        )
        assert status == 200 and sent["response"]["status"] == "Accepted", sent
        panel(page, runtime, station, "profiles")
        chart = page.locator("figure", has_text="Profile 7: TxDefaultProfile, stack level 1")
        expect(chart.locator("svg polyline.series-0")).to_have_count(1)
        chart.get_by_text("Figures").click()
        expect(chart.get_by_role("cell", name="16", exact=True)).to_be_visible()
        expect(chart.get_by_role("cell", name="8", exact=True)).to_be_visible()
        shoot(page, "station-profiles")
        page.get_by_role("button", name="Clear profile 7").click()
        confirm(page, f"Clear profile 7 on {station}?", "Clear")
        expect(page.get_by_text("ClearChargingProfile: Accepted")).to_be_visible()
        assert runtime.wait_for(
            lambda: (
                not runtime.api("GET", f"/charge-points/{station}/charging-profiles", token=key)[1]["items"]
            )
        )

        # Reservations: an EVSE (the station is 2.x), made and cancelled.
        assert runtime.api("PUT", "/id-tokens/PAGES-RES", {"status": "Accepted"}, token=key)[0] == 201
        page.get_by_role("tab", name="Reservations").click()
        reserve = form(page, "Reserve")
        reserve.get_by_label("Id token").fill("PAGES-RES")
        expect(reserve.get_by_label("EVSE")).to_have_value("1")
        reserve.get_by_role("button", name="Reserve").click()
        expect(page.get_by_role("status").filter(has_text="Reservation")).to_contain_text("made")
        [made] = runtime.api("GET", f"/charge-points/{station}/reservations", token=key)[1]["items"]
        assert (made["idToken"], made["evseId"]) == ("PAGES-RES", 1)
        rows = page.get_by_role("table", name="Reservations")
        expect(rows.get_by_text("active")).to_be_visible()
        page.get_by_role("button", name=f"Cancel reservation {made['reservationId']}").click()
        confirm(page, f"Cancel reservation {made['reservationId']}?", "Cancel the reservation")
        assert runtime.wait_for(
            lambda: (
                runtime.api("GET", f"/reservations/{made['reservationId']}", token=key)[1]["state"]
                == "cancelled"
            ),
            10,
        )
        expect(rows.get_by_text("cancelled")).to_be_visible()
        shoot(page, "station-reservations")

        # The local list: out of step, sent whole, in step.
        page.get_by_role("tab", name="Local list").click()
        expect(page.get_by_text("Out of step")).to_be_visible()
        difference = page.get_by_role("table", name="Difference between the station's list and the id tokens")
        expect(difference.get_by_role("row", name="PAGES-RES missing Accepted")).to_be_visible()
        form(page, "Send the list").get_by_label("What").select_option("full")
        form(page, "Send the list").get_by_role("button", name="Send").click()
        expect(page.get_by_text("SendLocalList: Accepted").first).to_be_visible()
        expect(page.get_by_text("In step with the id-token list.")).to_be_visible()
        held = runtime.api("GET", f"/charge-points/{station}/local-list", token=key)[1]
        assert held["pendingChanges"] == 0 and "PAGES-RES" in {e["idToken"] for e in held["entries"]}
        shoot(page, "station-local-list")

        # Registration: a password rotation the station refuses (the simulator keeps no
        # SecurityCtrlr) says so, and no password is kept; a site set.
        assert runtime.api("PUT", "/sites/pages-reg", {"limit": {"amps": 40}}, token=key)[0] == 201
        page.get_by_role("tab", name="Registration").click()
        form(page, "Rotate the password").get_by_role("button", name="Rotate").click()
        expect(page.get_by_text("SetVariables: UnknownComponent")).to_be_visible(timeout=30_000)
        assert runtime.api("GET", f"/charge-points/{station}", token=key)[1]["hasPassword"] is False
        registration = form(page, "Registration")
        registration.get_by_label("Site").select_option("pages-reg")
        registration.get_by_role("button", name="Save").click()
        expect(page.get_by_text(f"{station}'s registration saved.")).to_be_visible()
        assert runtime.api("GET", f"/charge-points/{station}", token=key)[1]["siteId"] == "pages-reg"
        shoot(page, "station-registration")

        # Certificates: the inventory asked and answered; the CSMS's root installed.
        page.get_by_role("tab", name="Certificates").click()
        expect(page.get_by_text("Not asked yet")).to_be_visible()
        page.get_by_role("button", name="Ask for the inventory").click()
        expect(page.get_by_text("1 of 1 answered")).to_be_visible()
        assert runtime.api("GET", f"/charge-points/{station}/certificates", token=key)[1][
            "installedReportedAt"
        ]
        install = form(page, "Install a root")
        install.get_by_label("Kept root").select_option(index=1)
        install.get_by_role("button", name="Install").click()
        expect(page.get_by_text("InstallCertificate: Accepted")).to_be_visible()
        commands = runtime.api("GET", f"/charge-points/{station}/commands?limit=20", token=key)[1]["items"]
        assert any(c["action"] == "InstallCertificate" and c["status"] == "completed" for c in commands)
        shoot(page, "station-certificates")


def test_a_tariff_is_refused_with_the_apis_reason_then_saved_edited_and_deleted(browser, runtime):
    with signed_in(browser, runtime, TOKEN, accept_downloads=True) as page:
        page.get_by_role("link", name="Tariffs", exact=True).click()
        tariff = form(page, "Make or edit a tariff")
        tariff.get_by_label("Tariff id").fill("day-night")
        tariff.get_by_label("Currency").fill("euro")
        tariff.get_by_role("button", name="Save the tariff").click()
        expect(tariff.get_by_role("alert")).to_contain_text("currency")  # the API's 422, by the form
        assert runtime.api("GET", "/tariffs/day-night")[0] == 404
        tariff.get_by_label("Currency").fill("EUR")
        tariff.get_by_label("Sites").fill("paris-1")
        tariff.get_by_role("button", name="Save the tariff").click()
        expect(page.get_by_role("status").filter(has_text="Tariff day-night saved.")).to_be_visible()
        saved = runtime.api("GET", "/tariffs/day-night")[1]
        assert (
            saved["currency"],
            saved["assignedTo"]["sites"],
            saved["elements"][0]["priceComponents"][0]["price"],
        ) == ("EUR", ["paris-1"], 0.35)

        # Its preview: 20 kWh by day at 0.35 and the 0.50 fee, 20 % VAT, priced by the API
        preview = form(page, "Preview a session's price")
        expect(preview.get_by_label("Tariff", exact=True)).to_have_value("day-night")
        preview.get_by_label("Energy (kWh)").fill("20")
        preview.get_by_label("Length (minutes)").fill("120")
        preview.get_by_label("Start").fill("2026-03-02T09:00")
        preview.get_by_role("button", name="Preview").click()
        start = page.evaluate("new Date('2026-03-02T09:00').toISOString()")
        body = {"energyWh": 20000, "durationMinutes": 120, "start": start}
        assert runtime.api("POST", "/tariffs/day-night/preview", body)[1]["cost"]["totalInclVat"] == 9.0
        expect(preview.get_by_text("9.00 EUR with 20 % VAT (7.50 EUR before tax)")).to_be_visible()
        expect(preview.get_by_role("table", name="The price of the session under day-night")).to_contain_text(
            "Session fee0.50 EUR"
        )
        preview.get_by_label("Idle at the end (minutes)").fill("500")
        preview.get_by_role("button", name="Preview").click()
        expect(preview.get_by_role("alert")).to_contain_text("longer than the session")
        shoot(page, "tariffs-preview")

        page.get_by_role("button", name="Edit day-night").click()
        expect(tariff.get_by_label("Tariff id")).to_have_value("day-night")
        tariff.get_by_label("VAT (%)").fill("5.5")
        tariff.get_by_role("button", name="Save the tariff").click()
        expect(page.get_by_role("table", name="Tariffs").get_by_text("5.5 %")).to_be_visible()
        assert runtime.api("GET", "/tariffs/day-night")[1]["vatRate"] == 5.5
        shoot(page, "tariffs")

        page.get_by_role("button", name="Delete day-night").click()
        confirm(page, "Delete the tariff day-night?", "Cancel")
        assert runtime.api("GET", "/tariffs/day-night")[0] == 200
        page.get_by_role("button", name="Delete day-night").click()
        confirm(page, "Delete the tariff day-night?", "Delete")
        expect(page.get_by_role("status").filter(has_text="Tariff day-night deleted.")).to_be_visible()
        assert runtime.api("GET", "/tariffs/day-night")[0] == 404


def test_cdrs_are_filtered_and_exported(browser, runtime):
    assert (
        runtime.api(
            "PUT",
            "/tariffs/cdr-flat",
            {
                "currency": "EUR",
                "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.4}]}],
                "assignedTo": {"default": True},
            },
        )[0]
        == 201
    )
    session = ended_session(runtime, "PAGES-CDR-16", "1.6", "PAGES-CDR", [(1000, 7000), (3000, 7000)])
    with signed_in(browser, runtime, TOKEN, accept_downloads=True) as page:
        page.goto(f"{runtime.api_url}/console/#/cdrs")
        page.get_by_label("Charge point").fill("PAGES-CDR-16")
        page.get_by_role("button", name="Show").click()
        rows = page.get_by_role("table", name="CDRs")
        expect(rows.get_by_role("row")).to_have_count(2)  # the heading's and the session's
        expect(rows).to_contain_text("2.00 kWh")
        shoot(page, "cdrs")
        with page.expect_download() as waiting:
            page.get_by_role("button", name="Export CSV").click()
        lines = list(csv.DictReader(io.StringIO(waiting.value.path().read_text())))
        assert [(line["session_id"], line["charge_point"], line["currency"]) for line in lines] == [
            (session, "PAGES-CDR-16", "EUR")
        ]
        assert float(lines[0]["total_cost_excl_vat"]) == pytest.approx(0.8)


def test_id_tokens_are_imported_from_a_csv_exported_and_deleted(browser, runtime, tmp_path):
    upload = tmp_path / "cards.csv"
    upload.write_text('idToken,status,parentIdToken\nPAGES-IMP-1,Accepted,FLEET-A\n"PAGES-IMP-2",Blocked,\n')
    with signed_in(browser, runtime, TOKEN, accept_downloads=True) as page:
        page.get_by_role("link", name="Id tokens").click()
        page.get_by_label("CSV file").set_input_files(str(upload))
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_text("2 of 2 imported.")).to_be_visible()
        assert runtime.api("GET", "/id-tokens/PAGES-IMP-1")[1]["parentIdToken"] == "FLEET-A"
        assert runtime.api("GET", "/id-tokens/PAGES-IMP-2")[1]["status"] == "Blocked"

        with page.expect_download() as waiting:
            page.get_by_role("button", name="Export CSV").click()
        exported = {
            row["idToken"]: row for row in csv.DictReader(io.StringIO(waiting.value.path().read_text()))
        }
        assert (
            exported["PAGES-IMP-2"]["status"] == "Blocked"
            and exported["PAGES-IMP-1"]["parentIdToken"] == "FLEET-A"
        )

        bad = tmp_path / "bad.csv"
        bad.write_text("idToken,status\nPAGES-IMP-3,Maybe\n")
        page.get_by_label("CSV file").set_input_files(str(bad))
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_role("alert")).to_contain_text("Row 2: status Maybe is not one of")
        assert runtime.api("GET", "/id-tokens/PAGES-IMP-3")[0] == 404

        page.get_by_role("button", name="Delete PAGES-IMP-1").click()
        confirm(page, "Delete PAGES-IMP-1?", "Delete")
        expect(page.get_by_role("status").filter(has_text="PAGES-IMP-1 deleted.")).to_be_visible()
        assert runtime.api("GET", "/id-tokens/PAGES-IMP-1")[0] == 404
        shoot(page, "id-tokens-import")


def test_the_pages_fit_a_phone_and_work_from_the_keyboard(browser, runtime, key):
    assert runtime.api("PUT", "/sites/phone-site", {"limit": {"watts": 22000}}, token=key)[0] == 201
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    with (
        stations(runtime, key, "PAGES-PHONE-", "1.6") as [station],
        signed_in(browser, runtime, key, **phone) as page,
    ):
        where = [
            "sites",
            "sites/phone-site",
            "tariffs",
            "cdrs",
            "id-tokens",
            *(
                f"charge-points/{station}/{p}"
                for p in ("profiles", "reservations", "local-list", "registration", "certificates")
            ),
        ]
        for place in where:
            page.goto(f"{runtime.api_url}/console/#/{place}")
            expect(page.locator("h1")).to_be_visible()
            page.wait_for_load_state("networkidle")
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{place} is {overflow}px wider than a phone"
            unlabelled = page.evaluate(
                """[...document.querySelectorAll('input, select, textarea')]
                    .filter((c) => !c.labels.length && !c.getAttribute('aria-label')).map((c) => c.name)"""
            )
            assert unlabelled == [], place
            shoot(page, f"phone-{place.replace('/', '-')}")

        # A 1.6 station's reservation is of a connector, made and cancelled from the keyboard alone.
        assert runtime.api("PUT", "/id-tokens/PAGES-KEY", {"status": "Accepted"}, token=key)[0] == 201
        panel(page, runtime, station, "reservations")
        reserve = form(page, "Reserve")
        expect(reserve.get_by_label("Connector")).to_have_value("1")
        reserve.get_by_label("Id token").focus()
        page.keyboard.type("PAGES-KEY")
        page.keyboard.press("Enter")
        expect(page.get_by_role("status").filter(has_text="Reservation")).to_contain_text("made")
        [made] = runtime.api("GET", f"/charge-points/{station}/reservations", token=key)[1]["items"]
        assert made["connectorId"] == 1
        cancel = page.get_by_role("button", name=f"Cancel reservation {made['reservationId']}")
        cancel.focus()
        page.keyboard.press("Enter")
        dialog = page.get_by_role("dialog", name=f"Cancel reservation {made['reservationId']}?")
        expect(dialog).to_be_visible()
        expect(dialog.get_by_role("button", name="Cancel", exact=True)).to_be_focused()  # the safe answer
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert runtime.wait_for(
            lambda: (
                runtime.api("GET", f"/reservations/{made['reservationId']}", token=key)[1]["state"]
                == "cancelled"
            ),
            10,
        )
