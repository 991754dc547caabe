"""The operator console in a real Chromium against the local runtime, with `ocpp` clients of
every version as the stations: the fleet page shows a station coming online, a reset issued
from the page reaches the station and its answer shows, a session's energy is drawn, a bad
payload in the generic form shows the schema's message, sessions export as CSV, id tokens are
added and blocked, analytics draw the day's energy, and the cloud's sign-in (PKCE with the user
pool's hosted UI, stood in for) signs in and out. Each page is photographed under
build/test-output/console/ (CSMS_TEST_OUTPUT) for a reviewer to look at."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import csv
import hashlib
import io
import json
import os
import re
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import websockets
from ocpp.routing import on
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v21 import call as call21
from ocpp.v21 import call_result as result21
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201
from playwright.sync_api import Page, expect

from local.runtime.launch import ROOT
from local.tools.browser import sign_in
from tests.e2e.conftest import CLIENT_CLASSES, TOKEN, Runtime, start_runtime

pytestmark = pytest.mark.e2e

VERSIONS = ["1.6", "2.0.1", "2.1"]
CALLS = {"1.6": call16, "2.0.1": call201, "2.1": call21}
RESULTS = {"1.6": result16, "2.0.1": result201, "2.1": result21}
ENERGY, POWER = "Energy.Active.Import.Register", "Power.Active.Import"
# The pages poll every 5 s: what a station did shows within two rounds, whatever the moment.
expect.set_options(timeout=12_000)
SHOTS = Path(os.environ.get("CSMS_TEST_OUTPUT", ROOT / "build" / "test-output")) / "console"


class Station:
    """An `ocpp` client of one version on a thread of its own, so that the test's thread can
    drive the browser (Playwright's sync API) while the station listens and answers."""

    def __init__(self, runtime: Runtime, charge_point_id: str, version: str) -> None:
        self.version, self.calls = version, CALLS[version]
        self.resets: list[dict[str, Any]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.client = self.run(self._connect(runtime.ocpp_url(charge_point_id), charge_point_id))

    def run(self, work: Any, timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self.loop).result(timeout)

    async def _connect(self, url: str, charge_point_id: str) -> Any:
        self.ws = await websockets.connect(url, subprotocols=[f"ocpp{self.version}"])
        answers, resets = RESULTS[self.version], self.resets

        class Client(CLIENT_CLASSES[self.version]):  # type: ignore[misc,valid-type]
            @on("Reset")
            def on_reset(self, **request: Any) -> Any:
                resets.append(request)
                return answers.Reset(status="Accepted")

        client = Client(charge_point_id, self.ws)
        self.listener = asyncio.ensure_future(client.start())
        return client

    def call(self, message: Any) -> Any:
        return self.run(self.client.call(message))

    def boot(self) -> None:
        if self.version == "1.6":
            self.call(call16.BootNotification(charge_point_vendor="Acme", charge_point_model="Console-16"))
            self.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Available"))
            return
        model = f"Console-{self.version.replace('.', '')}"
        self.call(
            self.calls.BootNotification(
                charging_station={"vendor_name": "Acme", "model": model}, reason="PowerUp"
            )
        )
        self.call(
            self.calls.StatusNotification(
                timestamp=stamp(datetime.now(UTC)), connector_status="Available", evse_id=1, connector_id=1
            )
        )

    def charge(
        self,
        tag: str,
        readings: list[tuple[float, float]],
        end: bool = False,
        start: datetime | None = None,
        step: timedelta = timedelta(minutes=1),
    ) -> str:
        """A session whose meter reports (energy register Wh, power W) `step` apart, from
        `start` (by default, so as to end at now); its id."""
        start = start or datetime.now(UTC) - step * len(readings)
        moments = [start + step * n for n in range(len(readings))]

        def sampled(wh: float, w: float) -> list[dict[str, Any]]:
            if self.version == "1.6":
                return [
                    {"value": f"{wh:g}", "measurand": ENERGY, "unit": "Wh"},
                    {"value": f"{w:g}", "measurand": POWER, "unit": "W"},
                ]
            return [
                {
                    "value": wh,
                    "measurand": "Energy.Active.Import.Register",
                    "unit_of_measure": {"unit": "Wh"},
                },
                {"value": w, "measurand": "Power.Active.Import", "unit_of_measure": {"unit": "W"}},
            ]

        if self.version == "1.6":
            started = self.call(
                call16.StartTransaction(
                    connector_id=1, id_tag=tag, meter_start=int(readings[0][0]), timestamp=stamp(start)
                )
            )
            transaction_id = started.transaction_id
            for moment, (wh, w) in zip(moments, readings, strict=True):
                self.call(
                    call16.MeterValues(
                        connector_id=1,
                        transaction_id=transaction_id,
                        meter_value=[{"timestamp": stamp(moment), "sampled_value": sampled(wh, w)}],
                    )
                )
            if end:
                self.call(
                    call16.StopTransaction(
                        transaction_id=transaction_id,
                        meter_stop=int(readings[-1][0]),
                        timestamp=stamp(moments[-1]),
                        reason="EVDisconnected",
                    )
                )
            return str(transaction_id)
        transaction_id = f"tx-{self.client.id}-{len(readings)}-{end}"
        last = len(readings) - 1
        for seq, (moment, (wh, w)) in enumerate(zip(moments, readings, strict=True)):
            kind = "Started" if seq == 0 else "Ended" if end and seq == last else "Updated"
            extra: dict[str, Any] = {}
            if kind == "Started":
                extra = {
                    "evse": {"id": 1, "connector_id": 1},
                    "id_token": {"id_token": tag, "type": "ISO14443"},
                }
            self.call(
                self.calls.TransactionEvent(
                    event_type=kind,
                    timestamp=stamp(moment),
                    trigger_reason={"Started": "Authorized", "Ended": "EVCommunicationLost"}.get(
                        kind, "MeterValuePeriodic"
                    ),
                    seq_no=seq,
                    transaction_info={"transaction_id": transaction_id, "charging_state": "Charging"},
                    meter_value=[{"timestamp": stamp(moment), "sampled_value": sampled(wh, w)}],
                    **extra,
                )
            )
        return transaction_id

    def close(self) -> None:
        async def closing() -> None:
            self.listener.cancel()
            await self.ws.close()

        self.run(closing())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


@contextlib.contextmanager
def online(runtime: Runtime, cp_id: str, version: str) -> Iterator[Station]:
    """A station of this version, booted and reporting its connector Available, until the block ends."""
    station = Station(runtime, cp_id, version)
    try:
        station.boot()
        yield station
    finally:
        station.close()


def ended_session(
    runtime: Runtime,
    cp_id: str,
    version: str,
    tag: str,
    readings: list[tuple[float, float]],
    start: datetime | None = None,
    step: timedelta = timedelta(minutes=1),
) -> str:
    """A station boots, charges a driver whose token is accepted, ends and leaves: the session's id."""
    assert runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})[0] in (200, 201)
    with online(runtime, cp_id, version) as station:
        return station.charge(tag, readings, end=True, start=start, step=step)


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@pytest.fixture(scope="module")
def console_runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Runtime, Path]]:
    """A runtime of its own, with its data folder where the test can read the exports."""
    data = tmp_path_factory.mktemp("console-data")
    launched, runtime = start_runtime(data, "--data-dir", str(data), "--schedule-period", "1")
    yield runtime, data
    assert launched.stop() == 0, runtime.log.read_text()


@pytest.fixture
def page(browser: Any, console_runtime: tuple[Runtime, Path]) -> Iterator[Page]:
    """A tab signed in with the API token, as an operator does once per tab."""
    runtime, _ = console_runtime
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(tab, runtime.api_url, TOKEN)
    expect(tab.get_by_role("heading", name="Fleet")).to_be_visible()
    yield tab
    context.close()
    assert problems == [], problems  # no script error on any page the test opened


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fleet_row(page: Page, charge_point_id: str) -> Any:
    return page.locator(f'.fleet-list .fleet-row[data-id="{charge_point_id}"]')


@pytest.mark.parametrize("version", VERSIONS)
def test_the_fleet_shows_a_station_online_within_seconds_of_its_boot(page, console_runtime, version):
    runtime, _ = console_runtime
    cp_id = f"CON-FLEET-{version.replace('.', '')}"
    page.get_by_label("Search", exact=True).fill(cp_id)
    expect(page.get_by_text("0 of")).to_be_visible()
    with online(runtime, cp_id, version):
        row = fleet_row(page, cp_id)
        expect(row).to_be_visible()  # the page polls, without a reload
        expect(row.get_by_text("online", exact=True)).to_be_visible()
        expect(row.get_by_text(version, exact=True)).to_be_visible()
        expect(row.get_by_text("Available")).to_be_visible()
        page.get_by_label("Search", exact=True).fill("")
        shoot(page, f"fleet-{version}")
    expect(row.get_by_text("offline", exact=True)).to_be_visible()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_reset_from_the_page_reaches_the_station_and_its_answer_shows(page, console_runtime, version):
    runtime, _ = console_runtime
    cp_id = f"CON-RESET-{version.replace('.', '')}"
    with online(runtime, cp_id, version) as station:
        page.goto(f"{runtime.api_url}/console/#/charge-points/{cp_id}/commands")
        reset = page.locator("form", has=page.get_by_role("heading", name="Reset", exact=True))
        reset.get_by_label("Kind", exact=True).select_option("true")
        reset.get_by_role("button", name="Reset").click()
        # A hard reset ends the sessions in progress: the page asks first
        page.get_by_role("dialog", name=f"Reset {cp_id} now?").get_by_role("button", name="Reset").click()
        expect(reset.get_by_text("Reset: answered")).to_be_visible(timeout=15_000)
        expect(reset.get_by_text('"status": "Accepted"')).to_be_visible()
        assert station.resets == [{"type": "Hard"} if version == "1.6" else {"type": "Immediate"}]
        shoot(page, f"commands-{version}")
        page.get_by_role("tab", name="Command history").click()
        history = page.get_by_role("table", name="Command history")
        expect(history.get_by_role("row").nth(1)).to_contain_text("Reset")
        expect(history.get_by_role("row").nth(1)).to_contain_text("completed")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_session_in_progress_shows_its_power_and_energy(page, console_runtime, version):
    runtime, _ = console_runtime
    cp_id, tag = f"CON-SESSION-{version.replace('.', '')}", "CONSOLE-TAG"
    assert runtime.api("PUT", f"/id-tokens/{tag}", {"status": "Accepted"})[0] in (200, 201)
    with online(runtime, cp_id, version) as station:
        station.charge(tag, [(1000, 7200), (1120, 7300), (1240, 7100), (1360, 7000)])
        page.goto(f"{runtime.api_url}/console/#/charge-points/{cp_id}/session")
        energy = page.get_by_role("figure").filter(has_text="Energy charged")
        expect(energy).to_be_visible()
        expect(energy.locator("svg polyline")).to_have_count(1)
        energy.get_by_text("Figures").click()
        # 360 Wh charged since the first reading, and 7.0 kW at the last
        expect(energy.locator("td").last).to_have_text("0.36")
        power = page.get_by_role("figure").filter(has_text="Power")
        power.get_by_text("Figures").click()
        expect(power.locator("td").last).to_have_text("7.00")
        shoot(page, f"session-{version}")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_bad_payload_in_the_generic_form_shows_the_schemas_message(page, console_runtime, version):
    runtime, _ = console_runtime
    cp_id = f"CON-GENERIC-{version.replace('.', '')}"
    with online(runtime, cp_id, version) as station:
        page.goto(f"{runtime.api_url}/console/#/charge-points/{cp_id}/commands")
        form = page.locator("form", has=page.get_by_role("heading", name="Any command"))
        form.get_by_label("Action", exact=True).select_option("Reset")
        expect(form.get_by_text("Required: type")).to_be_visible()
        form.get_by_label("Payload (JSON)", exact=True).fill(json.dumps({"type": "Sideways"}))
        form.get_by_role("button", name="Any command").click()
        alert = form.get_by_role("alert")
        expect(alert).to_contain_text(f"Reset payload is not valid for OCPP {version}")
        expect(alert).to_contain_text("'Sideways' is not one of")
        assert station.resets == []  # refused before it was sent
        form.get_by_label("Payload (JSON)", exact=True).fill("{not json")
        form.get_by_role("button", name="Any command").click()
        expect(form.get_by_role("alert")).to_contain_text("The payload is not JSON")


def test_sessions_are_listed_filtered_opened_and_exported_as_csv(page, console_runtime):
    runtime, _ = console_runtime
    cp_id, tag = "CON-CSV-16", "CSV-TAG"
    tariff = {  # this charge point's only: 0.30 EUR/kWh and 2 EUR a session, 20 % VAT
        "currency": "EUR",
        "vatRate": 20,
        "elements": [{"priceComponents": [{"type": "ENERGY", "price": 0.3}, {"type": "FLAT", "price": 2}]}],
        "assignedTo": {"chargePoints": [cp_id]},
    }
    assert runtime.api("PUT", "/tariffs/console-csv", tariff)[0] in (200, 201)
    transaction_id = ended_session(runtime, cp_id, "1.6", tag, [(5000, 11000), (5500, 11000), (6000, 11000)])
    page.get_by_role("link", name="Sessions").click()
    page.get_by_label("Charge point", exact=True).fill(cp_id)
    page.get_by_label("Id token", exact=True).fill(tag)
    page.get_by_role("button", name="Show").click()
    rows = page.get_by_role("table", name="Sessions").get_by_role("row")
    expect(rows).to_have_count(2)  # the heading and the one session
    expect(rows.nth(1)).to_contain_text("1.00 kWh")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    lines = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [
        (line["transactionId"], line["energyWh"], line["idToken"], line["currency"], line["costInclVat"])
        for line in lines
    ] == [(transaction_id, "1000", tag, "EUR", "2.76")]
    shoot(page, "sessions")
    # The charge point's page links to its sessions, the filter filled in
    page.goto(f"{runtime.api_url}/console/#/charge-points/{cp_id}/session")
    page.get_by_role("link", name="Its past sessions").click()
    # exact: the charge point page's tablist, "Charge point pages", would match a prefix
    expect(page.get_by_label("Charge point", exact=True)).to_have_value(cp_id)
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("link", name=transaction_id, exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(rf"^Session {transaction_id}\b"))).to_be_visible()
    expect(
        page.get_by_role("figure").filter(has_text="Energy charged").locator("svg polyline")
    ).to_have_count(1)
    shoot(page, "session-ended")


def test_a_csv_export_leaves_no_cell_a_spreadsheet_would_run_as_a_formula(page):
    """An id token (or any text a station or an operator chose) such as =HYPERLINK(...) is
    exported as text: a cell that starts with = + - @, a tab or a carriage return is led by a quote."""
    hostile = {
        "idToken": '=HYPERLINK("https://evil.example","open")',
        "chargePointId": "+CP-1",
        "stopReason": "@SUM(A1)",
        "tariffId": "-2+3",
        "ocppVersion": "\tcmd",
        "transactionId": "\r=1",
    }
    text = page.evaluate(
        "async (items) => (await import('./js/views/sessions.js')).toCsv(items)",
        [{**hostile, "energyWh": -5, "meterStartWh": 1000}],
    )
    [line] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {name: line[name] for name in hostile} == {name: f"'{value}" for name, value in hostile.items()}
    assert (line["energyWh"], line["meterStartWh"]) == ("-5", "1000")  # numbers stay numbers


def test_id_tokens_are_added_blocked_and_expired(page, console_runtime):
    runtime, _ = console_runtime
    page.get_by_role("link", name="Id tokens").click()
    page.get_by_label("Id token", exact=True).fill("CONSOLE-NEW")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("CONSOLE-NEW saved.")
    assert runtime.api("GET", "/id-tokens/CONSOLE-NEW")[1]["status"] == "Accepted"
    page.get_by_role("button", name="Block CONSOLE-NEW").click()
    expect(page.get_by_role("status")).to_contain_text("CONSOLE-NEW blocked.")
    assert runtime.api("GET", "/id-tokens/CONSOLE-NEW")[1]["status"] == "Blocked"
    page.get_by_role("button", name="Expire CONSOLE-NEW").click()
    expect(page.get_by_role("status")).to_contain_text("CONSOLE-NEW expired.")
    entry = runtime.api("GET", "/id-tokens/CONSOLE-NEW")[1]
    assert entry["status"] == "Expired" and entry["expiryDate"]
    shoot(page, "id-tokens")


def test_analytics_draw_the_days_energy_from_ended_sessions_and_the_export_holds_them(page, console_runtime):
    runtime, data = console_runtime
    cp_id, idle = "CON-ANALYTICS-201", "A-IDLE-STATION"  # idle: first among those at zero
    assert runtime.api("PUT", f"/charge-points/{idle}", {})[0] in (200, 201)
    transaction_id = ended_session(
        runtime, cp_id, "2.0.1", "ANALYTICS-TAG", [(0, 7000), (2500, 7000), (7500, 7000)]
    )
    today = datetime.now(UTC).date().isoformat()

    def counted() -> bool:
        query = f"/analytics/breakdown?from={today}&to={today}"
        items = runtime.api("GET", query)[1]["items"]
        return any(item["key"] == cp_id and item["energyWh"] == 7500 for item in items)

    assert runtime.wait_for(counted, timeout=15), "the analytics reaction did not count the session"
    page.get_by_role("link", name="Analytics").click()
    daily = page.get_by_role("figure").filter(has_text="Energy per day")
    expect(daily.locator("svg rect.bar")).to_have_count(30)  # the last 30 days, by default
    top = page.get_by_role("figure").filter(has_text="Top charge points by energy")
    expect(top.get_by_role("img").get_by_text(cp_id, exact=True)).to_be_visible()
    top.get_by_text("Figures").click()
    expect(top.get_by_role("row").filter(has_text=cp_id).get_by_role("cell")).to_have_text("7.50")
    bottom = page.get_by_role("figure").filter(has_text="Bottom charge points by energy")
    expect(bottom.get_by_role("img").get_by_text(idle, exact=True)).to_be_visible()  # at zero, not left out
    expect(page.get_by_role("figure").filter(has_text="Utilisation per connector")).to_be_visible()
    shoot(page, "analytics")

    def exported() -> list[dict[str, Any]]:
        lines = [
            json.loads(line)
            for file in (data / "exports" / "sessions").rglob("*.jsonl")
            for line in file.read_text().splitlines()
        ]
        return [line for line in lines if line["transactionId"] == transaction_id]

    [line] = runtime.wait_for(exported, timeout=10)
    assert (line["chargePointId"], line["energyWh"], line["active"]) == (cp_id, 7500, False)


def test_the_console_fits_a_phone_and_labels_every_control(browser, console_runtime):
    runtime, _ = console_runtime
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = context.new_page()
    try:
        tab.goto(runtime.api_url + "/")
        tab.get_by_label("API token", exact=True).fill(TOKEN)
        tab.keyboard.press("Enter")  # signs in from the keyboard alone
        expect(tab.get_by_role("heading", name="Fleet")).to_be_visible()
        for where in ("#/fleet", "#/sessions", "#/id-tokens", "#/analytics"):
            tab.goto(f"{runtime.api_url}/console/{where}")
            tab.wait_for_load_state("networkidle")
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{where} is {overflow}px wider than a phone"
            unlabelled = tab.evaluate(
                """[...document.querySelectorAll('input, select, textarea')]
                    .filter((c) => !c.labels.length && !c.getAttribute('aria-label')).map((c) => c.name)"""
            )
            assert unlabelled == [], where
            shoot(tab, f"phone-{where[2:]}")
    finally:
        context.close()


class HostedUi:
    """Cognito's hosted UI and token endpoint as the console meets them (Playwright answers the
    requests; nothing leaves the machine): an authorization code for PKCE, handed back only for
    the verifier of the challenge it was asked with. The access token it gives is a credential
    of the local API (its token, or a driver's key for the pages at /driver/), so that the
    runtime takes the calls made with it."""

    DOMAIN, CLIENT, CODE = "https://auth.csms.example", "console-client", "code-0123"

    def __init__(
        self, runtime: Runtime, token_status: int = 200, path: str = "/console/", access_token: str = TOKEN
    ) -> None:
        self.path, self.access_token = path, access_token
        self.redirect = f"{runtime.api_url}{path}"
        self.config = {
            "auth": "cognito",
            "apiUrl": runtime.api_url,
            "cognitoDomain": self.DOMAIN,
            "clientId": self.CLIENT,
            "redirectUri": self.redirect,
        }
        self.token_status = token_status
        self.asked: dict[str, str] = {}
        self.exchanged: dict[str, str] = {}
        self.logouts: list[dict[str, str]] = []

    def serve(self, context: Any) -> None:
        context.route(f"**{self.path}config.json", lambda route: route.fulfill(json=self.config))
        context.route(f"{self.DOMAIN}/**", self.answer)

    def answer(self, route: Any) -> None:
        request = route.request
        url = urllib.parse.urlsplit(request.url)
        query = dict(urllib.parse.parse_qsl(url.query))
        if url.path == "/oauth2/authorize":
            self.asked = query
            back = urllib.parse.urlencode({"code": self.CODE, "state": query["state"]})
            route.fulfill(status=302, headers={"Location": f"{query['redirect_uri']}?{back}"})
        elif url.path == "/oauth2/token":
            self.exchanged = dict(urllib.parse.parse_qsl(request.post_data or ""))
            verifier = self.exchanged.get("code_verifier", "").encode()
            challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
            good = self.exchanged.get("code") == self.CODE and challenge == self.asked.get("code_challenge")
            status = self.token_status if good else 400
            body = {
                "access_token": self.access_token,
                "id_token": "id",
                "token_type": "Bearer",
                "expires_in": 3600,
            }
            route.fulfill(
                status=status,
                json=body if status == 200 else {"error": "invalid_grant"},
                headers={"Access-Control-Allow-Origin": "*"},
            )
        elif url.path == "/logout":
            self.logouts.append(query)
            route.fulfill(status=302, headers={"Location": query["logout_uri"]})
        else:
            route.fulfill(status=404)


def test_signing_in_with_the_user_pool_by_pkce_and_out_again(browser, console_runtime):
    """The cloud's sign-in, as the stack's config.json sets it up: the hosted UI asked for a
    code with an S256 challenge, the code exchanged with its verifier, the API called with the
    access token; signing out goes through the hosted UI's logout and back."""
    runtime, _ = console_runtime
    assert runtime.api("PUT", "/id-tokens/COGNITO-TAG", {"status": "Accepted"})[0] in (200, 201)
    hosted = HostedUi(runtime)
    context = browser.new_context()
    hosted.serve(context)
    tab = context.new_page()
    try:
        tab.goto(f"{runtime.api_url}/console/#/id-tokens")
        tab.get_by_role("button", name="Sign in").click()
        # Back on the page it started from, signed in: the API answered with the access token
        expect(tab.get_by_role("heading", name="Id tokens")).to_be_visible()
        expect(tab.get_by_role("cell", name="COGNITO-TAG", exact=True)).to_be_visible()
        assert tab.evaluate("location.search") == ""  # the code is gone from the address
        asked = hosted.asked
        assert (asked["response_type"], asked["client_id"], asked["redirect_uri"]) == (
            "code",
            HostedUi.CLIENT,
            hosted.redirect,
        )
        assert asked["code_challenge_method"] == "S256" and "openid" in asked["scope"].split()
        assert (hosted.exchanged["grant_type"], hosted.exchanged["client_id"]) == (
            "authorization_code",
            HostedUi.CLIENT,
        )
        assert hosted.exchanged["redirect_uri"] == hosted.redirect
        tab.get_by_role("button", name="Sign out").click()
        expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
        assert hosted.logouts == [{"client_id": HostedUi.CLIENT, "logout_uri": hosted.redirect}]
        assert tab.evaluate("sessionStorage.getItem('csms.token')") is None
    finally:
        context.close()


def test_a_sign_in_that_does_not_match_or_is_refused_says_so(browser, console_runtime):
    runtime, _ = console_runtime
    hosted = HostedUi(runtime, token_status=400)
    context = browser.new_context()
    hosted.serve(context)
    tab = context.new_page()
    try:
        tab.goto(f"{runtime.api_url}/console/?code=stolen&state=forged")  # not a sign-in this tab began
        expect(tab.get_by_role("alert")).to_contain_text("Sign-in state does not match")
        assert hosted.exchanged == {}  # the code was never exchanged
        tab.get_by_role("button", name="Sign in").click()
        expect(tab.get_by_role("alert")).to_contain_text("Sign-in failed: 400")
        assert tab.evaluate("sessionStorage.getItem('csms.token')") is None
    finally:
        context.close()
