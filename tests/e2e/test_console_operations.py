"""The console operating stations, in a real Chromium against a local runtime of this module's
own, with the simulated fleet's stations of every version (they start and stop sessions, unlock,
reset, download and install firmware, and upload logs as a station does): the command forms
offer only what the station's version has; a session is started and stopped from the charge
point's page and from the session's; a connector is unlocked and a hard reset asks first; an
image is uploaded to the catalogue through the presigned URL, sent to a station and rolled out
(paused, resumed, cancelled) and found in the page's list of the API's rollouts; a log is
asked for, followed and downloaded. Each effect is checked through the API; each page is
checked with axe-core at a phone's width, and photographed under build/test-output/console/."""

from __future__ import annotations

import asyncio
import hashlib
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from local.fleet import maintenance
from local.fleet.plan import StationSpec
from local.fleet.runner import Options, run
from local.runtime.launch import ROOT
from local.tools.browser import sign_in
from tests.e2e.conftest import TOKEN, Runtime, start_runtime
from tests.e2e.test_console import shoot
from tests.e2e.test_maintenance import IDLE

pytestmark = pytest.mark.e2e

STATIONS = {"1.6": "OPS-16", "2.0.1": "OPS-201", "2.1": "OPS-21"}
VERSIONS = list(STATIONS)
TAG = "OPS-TAG"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


class Fleet:
    """The simulated fleet's stations, on a thread of their own, until closed."""

    def __init__(self, runtime: Runtime, stations: dict[str, str] = STATIONS) -> None:
        specs = [
            StationSpec(cp_id, version, 1, index=i) for i, (version, cp_id) in enumerate(stations.items())
        ]
        self.options = Options(
            runtime.ws_url + "/ocpp", runtime.api_url, TOKEN, specs, life=IDLE, wind_down_s=5
        )
        self.ready = threading.Event()
        self.thread = threading.Thread(target=asyncio.run, args=(self._run(),), daemon=True)
        self.thread.start()
        assert self.ready.wait(10)

    async def _run(self) -> None:
        self.loop, self.stop = asyncio.get_running_loop(), asyncio.Event()
        self.ready.set()
        await run(self.options, self.stop)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(60)


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    launched, started = start_runtime(tmp_path_factory.mktemp("console-operations"), "--schedule-period", "1")
    assert started.api("PUT", f"/id-tokens/{TAG}", {"status": "Accepted"})[0] in (200, 201)
    fleet = Fleet(started)

    def online() -> bool:
        return all(
            started.api("GET", f"/charge-points/{cp_id}")[1].get("online") for cp_id in STATIONS.values()
        )

    assert started.wait_for(online, 30), "the fleet's stations did not come online"
    yield started
    fleet.close()
    assert launched.stop() == 0, started.log.read_text()


@pytest.fixture
def page(browser: Any, runtime: Runtime) -> Iterator[Page]:
    """A tab signed in with the API token; no script error on any page the test opened."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(tab, runtime.api_url, TOKEN)
    expect(tab.get_by_role("heading", name="Fleet")).to_be_visible()
    yield tab
    context.close()
    assert problems == [], problems


def open_tab(page: Page, runtime: Runtime, where: str) -> None:
    page.goto(f"{runtime.api_url}/console/#/{where}")


def form(page: Page, title: str) -> Any:
    return page.locator("form", has=page.get_by_role("heading", name=title, exact=True))


def confirm(page: Page, question: str, answer: str) -> None:
    dialog = page.get_by_role("dialog", name=question)
    dialog.get_by_role("button", name=answer, exact=True).click()
    expect(dialog).to_have_count(0)


def active(runtime: Runtime, cp_id: str) -> list[dict[str, Any]]:
    return list(runtime.api("GET", f"/transactions?chargePointId={cp_id}&active=true")[1]["items"])


def sent(runtime: Runtime, cp_id: str, action: str) -> list[dict[str, Any]]:
    items = runtime.api("GET", f"/charge-points/{cp_id}/commands?limit=50")[1]["items"]
    return [c for c in items if c["action"] == action]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_forms_offer_only_the_calls_and_fields_of_the_stations_version(page, runtime, version):
    cp_id = STATIONS[version]
    open_tab(page, runtime, f"charge-points/{cp_id}/commands")
    trigger = form(page, "Trigger a message")
    expect(trigger).to_be_visible()
    schema = runtime.api("GET", f"/ocpp-versions/{version}/actions/TriggerMessage")[1]
    enum = schema["properties"]["requestedMessage"]
    if "$ref" in enum:
        enum = schema["definitions"][enum["$ref"].rsplit("/", 1)[1]]
    offered = trigger.get_by_label("Message", exact=True).locator("option").all_inner_texts()
    assert offered == enum["enum"]
    assert ("TransactionEvent" in offered) == (version != "1.6")
    actions = runtime.api("GET", f"/ocpp-versions/{version}/actions")[1]["actions"]
    generic = form(page, "Any command").get_by_label("Action", exact=True).locator("option").all_inner_texts()
    assert generic == actions
    evse_fields = page.get_by_label("EVSE", exact=True)
    if version == "1.6":
        expect(evse_fields).to_have_count(0)  # no form offers a 2.x field
        expect(form(page, "Remote start").get_by_label("Connector", exact=True)).to_be_visible()
    else:
        # Reset, Unlock, Availability, Remote start (EVSE only: RequestStartTransaction has no
        # connector), Trigger
        expect(evse_fields).to_have_count(5)
        expect(form(page, "Remote start").get_by_label("Connector", exact=True)).to_have_count(0)
    shoot(page, f"operations-commands-{version}")


@pytest.mark.parametrize("version", VERSIONS)
def test_a_session_is_started_and_stopped_from_the_charge_point_page(page, runtime, version):
    cp_id = STATIONS[version]
    open_tab(page, runtime, f"charge-points/{cp_id}/session")
    expect(page.get_by_text("No session in progress.")).to_be_visible()
    start = form(page, "Start a session")
    start.get_by_label("Id token", exact=True).fill(TAG)
    start.get_by_label("EVSE" if version != "1.6" else "Connector", exact=True).fill("1")
    start.get_by_role("button", name="Start a session").click()
    expect(start.get_by_text("answered")).to_be_visible()
    [session] = runtime.wait_for(lambda: active(runtime, cp_id), 15)
    assert session["idToken"] == TAG
    transaction_id = session["transactionId"]
    expect(page.get_by_role("heading", name=f"Session {transaction_id}")).to_be_visible()
    shoot(page, f"operations-session-{version}")
    page.get_by_role("button", name=f"Stop session {transaction_id}").click()
    confirm(page, f"Stop session {transaction_id}?", "Stop")
    assert runtime.wait_for(lambda: not active(runtime, cp_id), 15), "the session did not end"
    ended = runtime.api("GET", f"/transactions/{transaction_id}?chargePointId={cp_id}")[1]
    assert ended["active"] is False and ended["stoppedAt"]
    expect(page.get_by_text("No session in progress.")).to_be_visible()


def test_a_session_is_stopped_from_its_page_and_only_once_the_operator_says_so(page, runtime):
    cp_id = STATIONS["2.0.1"]
    status, _ = runtime.api(
        "POST", f"/charge-points/{cp_id}/remote-start?wait=25", {"idToken": TAG, "evseId": 1}
    )
    assert status == 200
    [session] = runtime.wait_for(lambda: active(runtime, cp_id), 15)
    transaction_id = session["transactionId"]
    stops = len(sent(runtime, cp_id, "RequestStopTransaction"))  # the tests before sent theirs
    open_tab(page, runtime, f"sessions/{cp_id}/{transaction_id}")
    stop = page.get_by_role("button", name=f"Stop session {transaction_id}")
    stop.click()
    confirm(page, f"Stop session {transaction_id}?", "Cancel")
    assert len(sent(runtime, cp_id, "RequestStopTransaction")) == stops and active(runtime, cp_id)
    shoot(page, "operations-session-page")
    stop.click()
    confirm(page, f"Stop session {transaction_id}?", "Stop")
    expect(page.get_by_text("RequestStopTransaction: answered")).to_be_visible()
    assert runtime.wait_for(lambda: not active(runtime, cp_id), 15), "the session did not end"
    expect(page.get_by_role("heading", name=f"Session {transaction_id} completed")).to_be_visible()
    expect(page.get_by_role("button", name=f"Stop session {transaction_id}")).to_have_count(0)


def test_a_connector_is_unlocked_and_a_hard_reset_asks_first(page, runtime):
    cp_id = STATIONS["1.6"]
    booted = runtime.api("GET", f"/charge-points/{cp_id}")[1]["lastBootAt"]
    open_tab(page, runtime, f"charge-points/{cp_id}")
    facts = page.locator("dl.facts > div")
    expect(facts.filter(has_text="OCPP")).to_contain_text("1.6")  # the value with its own term
    page.get_by_role("button", name="Unlock Connector 1").click()
    expect(page.get_by_text("UnlockConnector: answered")).to_be_visible()
    [unlock] = sent(runtime, cp_id, "UnlockConnector")
    assert (unlock["status"], unlock["payload"], unlock["response"]) == (
        "completed",
        {"connectorId": 1},
        {"status": "Unlocked"},
    )
    page.get_by_role("tab", name="Commands").click()
    reset = form(page, "Reset")
    reset.get_by_label("Kind", exact=True).select_option("true")
    reset.get_by_role("button", name="Reset").click()
    confirm(page, f"Reset {cp_id} now?", "Cancel")
    assert sent(runtime, cp_id, "Reset") == []
    reset.get_by_role("button", name="Reset").click()
    confirm(page, f"Reset {cp_id} now?", "Reset")
    expect(reset.get_by_text("Reset: answered")).to_be_visible()
    [hard] = sent(runtime, cp_id, "Reset")
    assert (hard["payload"], hard["status"]) == ({"type": "Hard"}, "completed")
    # The answer's JSON stays inside its card
    card, answer = reset.bounding_box(), reset.locator("pre.json").bounding_box()
    assert card and answer and answer["x"] + answer["width"] <= card["x"] + card["width"]

    def back() -> bool:  # the station rebooted, as a hard reset does, and is online again
        cp = runtime.api("GET", f"/charge-points/{cp_id}")[1]
        return bool(cp["online"] and cp["lastBootAt"] != booted)

    assert runtime.wait_for(back, 30), "the station did not boot again after its reset"


def test_an_image_is_uploaded_sent_to_a_station_and_rolled_out(page, runtime):
    version = "ops-2.0"
    image = maintenance.firmware_image(version)
    model = runtime.api("GET", f"/charge-points/{STATIONS['1.6']}")[1]["model"]
    page.get_by_role("link", name="Firmware", exact=True).click()
    register = form(page, "Register an image")
    register.get_by_label("Vendor", exact=True).fill("CSMS Fleet")
    register.get_by_label("Model", exact=True).fill(model)
    register.get_by_label("Version", exact=True).fill(version)
    register.get_by_label("File", exact=True).set_input_files(
        {"name": "ops.bin", "mimeType": "application/octet-stream", "buffer": image}
    )
    register.get_by_role("button", name="Register").click()
    said = f"CSMS Fleet {model} {version} is in the catalogue, its file uploaded"
    expect(page.get_by_text(said)).to_be_visible()
    [kept] = [i for i in runtime.api("GET", "/firmware")[1]["items"] if i["version"] == version]
    digest = hashlib.sha256(image).hexdigest()
    assert (kept["uploaded"], kept["size"], kept["sha256"]) == (True, len(image), digest)
    expect(page.get_by_role("table", name="Firmware catalogue")).to_contain_text(kept["firmwareId"])
    shoot(page, "operations-firmware")

    # One station, from its page
    cp_id = STATIONS["1.6"]
    open_tab(page, runtime, f"charge-points/{cp_id}/maintenance")
    update = form(page, "Update firmware")
    update.get_by_label("Image", exact=True).select_option(kept["firmwareId"])
    update.get_by_role("button", name="Update firmware").click()
    expect(page.get_by_text(re.compile(r"Update \d+ asked"))).to_be_visible()

    def installed() -> Any:
        items = runtime.api("GET", f"/charge-points/{cp_id}/firmware-updates")[1]["items"]
        return items and items[0]["outcome"] == "succeeded" and items[0]

    done = runtime.wait_for(installed, 30)
    assert done and done["firmwareVersionAfter"] == version, done
    row = page.get_by_role("table", name="Firmware updates").get_by_role("row").nth(1)
    expect(row).to_contain_text("succeeded")
    expect(row).to_contain_text("Installed")
    shoot(page, "operations-firmware-update")

    # The other two, in waves of one: paused, resumed, cancelled
    page.get_by_role("link", name="Firmware", exact=True).click()
    start = form(page, "Start a rollout")
    start.get_by_label("Image", exact=True).select_option(kept["firmwareId"])
    start.get_by_label("Charge points", exact=True).fill(f"{STATIONS['2.0.1']}, {STATIONS['2.1']}")
    start.get_by_label("Wave size", exact=True).fill("1")
    start.get_by_label("Update charge points of another model all the same").check()
    start.get_by_role("button", name="Start the rollout").click()
    expect(page.get_by_text("started over 2 charge points")).to_be_visible()
    rollout_id = page.get_by_role("status").filter(has_text="Rollout").inner_text().split()[1]

    def state() -> str:
        return str(runtime.api("GET", f"/firmware-rollouts/{rollout_id}")[1]["state"])

    page.get_by_role("button", name=f"Pause rollout {rollout_id}").click()
    expect(page.get_by_role("button", name=f"Resume rollout {rollout_id}")).to_be_visible()
    assert state() == "paused"
    shoot(page, "operations-rollout")
    page.get_by_role("button", name=f"Resume rollout {rollout_id}").click()
    expect(page.get_by_role("button", name=f"Pause rollout {rollout_id}")).to_be_visible()
    assert state() == "running"
    page.get_by_role("button", name=f"Cancel rollout {rollout_id}").click()
    confirm(page, f"Cancel rollout {rollout_id}?", "Cancel the rollout")
    expect(page.get_by_role("heading", name=f"Rollout {rollout_id} cancelled")).to_be_visible()
    assert state() == "cancelled"
    members = runtime.api("GET", f"/firmware-rollouts/{rollout_id}")[1]["members"]
    assert sorted(m["chargePointId"] for m in members) == [STATIONS["2.0.1"], STATIONS["2.1"]]
    # The page lists the rollouts the API has, newest first, of the state asked for
    page.reload()
    expect(page.get_by_role("heading", name=f"Rollout {rollout_id} cancelled")).to_be_visible()
    page.get_by_label("State", exact=True).select_option("running")
    expect(page.get_by_text("No running rollout.")).to_be_visible()
    page.get_by_label("State", exact=True).select_option("cancelled")
    expect(page.get_by_role("heading", name=f"Rollout {rollout_id} cancelled")).to_be_visible()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_log_is_asked_for_followed_and_downloaded(page, runtime, version):
    cp_id = STATIONS[version]
    open_tab(page, runtime, f"charge-points/{cp_id}/maintenance")
    ask = form(page, "Request a log")
    ask.get_by_label("Log", exact=True).select_option("Diagnostics")
    ask.get_by_role("button", name="Request the log").click()
    expect(page.get_by_text("its progress shows below")).to_be_visible()
    logs = page.get_by_role("table", name="Logs")
    link = logs.get_by_role("link", name="Download")
    expect(link).to_be_visible()
    expect(logs.get_by_role("row").nth(1)).to_contain_text("Uploaded")
    got = page.request.get(link.get_attribute("href") or "")
    assert got.ok and got.body() == maintenance.log_file(cp_id, "diagnostics")
    [log] = runtime.api("GET", f"/charge-points/{cp_id}/logs")[1]["items"][:1]
    assert (log["outcome"], log["status"]) == ("succeeded", "Uploaded")
    shoot(page, f"operations-logs-{version}")


def test_the_operations_pages_fit_a_phone_and_have_no_serious_accessibility_violation(browser, runtime):
    """axe-core (npm, pinned in package.json) in the page; the console's CSP is bypassed only
    so that the test can put axe's script in."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, bypass_csp=True)
    tab = context.new_page()
    try:
        sign_in(tab, runtime.api_url, TOKEN)
        expect(tab.get_by_role("heading", name="Fleet")).to_be_visible()
        cp_id = STATIONS["2.0.1"]
        for where, ready in [
            ("firmware", "Catalogue"),
            (f"charge-points/{cp_id}", "Connectors"),
            (f"charge-points/{cp_id}/session", None),
            (f"charge-points/{cp_id}/commands", "Any command"),
            (f"charge-points/{cp_id}/maintenance", "Logs"),
        ]:
            open_tab(tab, runtime, where)
            if ready:
                expect(tab.get_by_role("heading", name=ready, exact=True)).to_be_visible()
            tab.wait_for_load_state("networkidle")
            overflow = tab.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{where} is {overflow}px wider than a phone"
            tab.add_script_tag(path=str(AXE))
            violations = tab.evaluate(
                """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                    .filter((v) => ['serious', 'critical'].includes(v.impact))
                    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""
            )
            assert violations == [], where
            shoot(tab, f"phone-{where.replace('/', '-')}")
    finally:
        context.close()
