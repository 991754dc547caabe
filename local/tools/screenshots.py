"""`make screenshots`: the README's pictures of the console, taken in Chromium against the local
runtime. Two weeks of history are sent first by `ocpp` clients as stations that were offline
(sessions and faults, back-dated), then a live fleet charges while the pages are photographed;
its stations are rolled out a firmware image, and the sites have limits and a tariff prices them.
Every page of the console is photographed once: the lists, the account pages (with tenants, keys
and a driver made first) and each tab of a live charge point's own page.

    python -m local.tools.screenshots [--out docs/images]   (Chromium: on PATH, or CSMS_CHROMIUM)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201

from functions.operator_api.routes.tariff_and_cost import EXAMPLE
from local.fleet.maintenance import firmware_image
from local.runtime.launch import ROOT, Launched, launch
from local.tools.browser import FLAGS, chromium, sign_in

SITES = {"depot": 6, "mall": 4, "hotel": 2}
DAYS = 14
# The API's own example tariff, everyone's, without its minimum price.
TARIFF = {**{k: v for k, v in EXAMPLE.items() if k != "minPrice"}, "assignedTo": {"default": True}}


def api(launched: Launched, token: str, method: str, path: str, body: Any = None) -> Any:
    """An operator API call with the bearer token; its JSON answer (None when it has none)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(launched.api_url + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        raw = answer.read()
    return json.loads(raw) if raw else None


def live_work(launched: Launched, token: str, history: set[str]) -> str | None:
    """An image of the live fleet's model uploaded to the catalogue and rolled out to its
    stations in waves of two (they download and install it, as the simulator's stations do);
    the live stations are the site "yard". Answers the rollout's first station, whose own
    tabs are photographed: it is asked for a log and given a reservation."""
    live = [
        cp
        for cp in api(launched, token, "GET", "/charge-points?limit=1000")["items"]
        if cp["id"] not in history
    ]
    if not live:
        return None
    model, vendor = live[0]["model"], live[0]["vendor"]
    body = firmware_image("4.3.0")
    image = api(launched, token, "POST", "/firmware", {"vendor": vendor, "model": model, "version": "4.3.0"})
    upload = urllib.request.Request(image["uploadUrl"], data=body, method="PUT")
    urllib.request.urlopen(upload, timeout=30).read()
    members = [cp["id"] for cp in live if cp["model"] == model][:6]
    # The live stations are a site's too: its chart draws their power against its limit.
    api(
        launched,
        token,
        "PUT",
        "/sites/yard",
        {"limit": {"amps": 48}, "chargePoints": [cp["id"] for cp in live]},
    )
    rollout = {"firmwareId": image["firmwareId"], "chargePoints": members, "waveSize": 2}
    api(launched, token, "POST", "/firmware-rollouts", rollout)
    station = members[0]
    attempt(launched, token, "POST", f"/charge-points/{station}/logs", {"type": "Diagnostics", "via": "http"})
    version = next(cp.get("ocppVersion") for cp in live if cp["id"] == station)
    where = "connectorId" if version in ("1.5", "1.6") else "evseId"
    until = stamp(datetime.now(UTC) + timedelta(hours=2))
    reservation = {"idToken": "DEMO-2", where: 0, "expiresAt": until}
    attempt(launched, token, "POST", f"/charge-points/{station}/reservations", reservation)
    return station


def attempt(launched: Launched, token: str, method: str, path: str, body: Any = None) -> Any:
    """An API call whose refusal only leaves a picture emptier: said, not raised."""
    try:
        return api(launched, token, method, path, body)
    except urllib.error.HTTPError as error:
        print(f"{method} {path}: {error.code} {error.read()[:200]!r}", file=sys.stderr)
        return None


def accounts(launched: Launched, token: str) -> str | None:
    """Tenants, API keys and a driver with a card, for the account pages' pictures; answers
    the driver's id."""
    for tenant, name in (("acme", "Acme Estates"), ("harbour", "Harbour Parking")):
        attempt(launched, token, "POST", "/tenants", {"tenantId": tenant, "name": name})
    for name, role in (("billing-export", "viewer"), ("depot-ops", "operator")):
        attempt(launched, token, "POST", "/api-keys", {"name": name, "role": role, "tenantId": "acme"})
    ada = {"name": "Ada Lovelace", "email": "ada@example.com"}
    driver = attempt(launched, token, "POST", "/drivers", ada)
    if driver is None:
        return None
    attempt(launched, token, "PUT", f"/drivers/{driver['driverId']}/id-tokens/DEMO-1")
    return str(driver["driverId"])


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


async def history(
    launched: Launched, station_id: str, version: str, seed: int, sent: list[str], done: threading.Event
) -> None:
    """Two weeks of one station's sessions and faults, sent at once as a station back online
    sends what it queued; then it stays connected until `done` (one in six is Faulted now)."""
    draw = random.Random(seed)
    url = f"{launched.ws_url}/ocpp/{station_id}"
    async with websockets.connect(url, subprotocols=[f"ocpp{version}"]) as ws:
        client: Any = (ChargePoint16 if version == "1.6" else ChargePoint201)(station_id, ws)
        listening = asyncio.ensure_future(client.start())
        model = f"{'AC-22' if draw.random() < 0.6 else 'DC-50'}-{version}"
        if version == "1.6":
            await client.call(
                call16.BootNotification(
                    charge_point_vendor="Acme", charge_point_model=model, firmware_version="4.2.0"
                )
            )
        else:
            station = {"vendor_name": "Acme", "model": model, "firmware_version": "4.2.0"}
            await client.call(call201.BootNotification(charging_station=station, reason="PowerUp"))
        register = draw.randint(10_000, 90_000)
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        for day in range(DAYS, 0, -1):
            start = today - timedelta(days=day) + timedelta(hours=draw.randint(6, 12))
            for n in range(draw.randint(0, 4)):
                begin = start + timedelta(hours=3 * n, minutes=draw.randint(0, 50))
                end = begin + timedelta(minutes=draw.randint(25, 150))
                wh = draw.randint(4_000, 38_000)
                if version == "1.6":
                    started = await client.call(
                        call16.StartTransaction(
                            connector_id=1, id_tag="DEMO-1", meter_start=register, timestamp=stamp(begin)
                        )
                    )
                    await client.call(
                        call16.StopTransaction(
                            transaction_id=started.transaction_id,
                            meter_stop=register + wh,
                            timestamp=stamp(end),
                            reason="EVDisconnected",
                        )
                    )
                else:
                    await _session_2x(client, f"{station_id}-{day}-{n}", begin, end, register, wh)
                register += wh
            if draw.random() < 0.12:
                await _fault(client, version, start - timedelta(hours=2))
        if seed % 6 == 5:
            await _fault(client, version, datetime.now(UTC) - timedelta(minutes=1), recovered=False)
            if version != "1.6":  # a critical security event too, for the alerts page
                event = call201.SecurityEventNotification(
                    type="TamperDetectionActivated", timestamp=stamp(datetime.now(UTC))
                )
                await client.call(event)
        sent.append(station_id)
        while not done.is_set():
            await asyncio.sleep(0.5)
        listening.cancel()


async def _session_2x(
    client: Any, transaction_id: str, begin: datetime, end: datetime, start: int, wh: int
) -> None:
    for seq, (kind, moment, register) in enumerate((("Started", begin, start), ("Ended", end, start + wh))):
        extra: dict[str, Any] = {}
        if kind == "Started":
            extra = {
                "evse": {"id": 1, "connector_id": 1},
                "id_token": {"id_token": "DEMO-1", "type": "ISO14443"},
            }
        await client.call(
            call201.TransactionEvent(
                event_type=kind,
                timestamp=stamp(moment),
                trigger_reason="Authorized" if kind == "Started" else "EVCommunicationLost",
                seq_no=seq,
                offline=True,
                transaction_info={"transaction_id": transaction_id},
                meter_value=[{"timestamp": stamp(moment), "sampled_value": [{"value": register}]}],
                **extra,
            )
        )


async def _fault(client: Any, version: str, at: datetime, recovered: bool = True) -> None:
    statuses = [("Faulted", at), ("Available", at + timedelta(minutes=40))]
    for status, moment in statuses if recovered else statuses[:1]:
        if version == "1.6":
            error = "GroundFailure" if status == "Faulted" else "NoError"
            await client.call(
                call16.StatusNotification(
                    connector_id=1, error_code=error, status=status, timestamp=stamp(moment)
                )
            )
        else:
            await client.call(
                call201.StatusNotification(
                    timestamp=stamp(moment), connector_status=status, evse_id=1, connector_id=1
                )
            )


def photograph(
    launched: Launched, token: str, out: Path, station: str | None, driver: str | None
) -> list[str]:
    """Each console page photographed into `out`; answers the pictures' names."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        sign_in(page, launched.api_url, token)
        expect(page.locator(".fleet-list .fleet-row").first).to_be_visible()
        page.wait_for_timeout(6000)  # a refresh with the live fleet's sessions under way
        page.screenshot(path=str(out / "console-fleet.png"))
        page.goto(launched.api_url + "/console/#/analytics")
        page.get_by_label("From").fill((datetime.now(UTC) - timedelta(days=DAYS)).date().isoformat())
        page.get_by_role("button", name="Show").click()
        expect(page.get_by_role("figure").filter(has_text="Faults per model")).to_be_visible(timeout=30_000)
        page.screenshot(path=str(out / "console-analytics.png"), full_page=True)
        live = page.evaluate("location.origin")
        page.goto(f"{live}/console/#/fleet")
        page.get_by_label("Show").select_option("charging")
        page.wait_for_timeout(6000)
        first = page.locator(".fleet-list .fleet-row").first.get_attribute("data-id")
        page.goto(f"{live}/console/#/charge-points/{first}/session")
        expect(page.get_by_role("figure").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "console-session.png"))
        page.goto(f"{live}/console/#/charge-points/{first}/profiles")
        expect(page.get_by_role("tab", name="Charging profiles", selected=True)).to_be_visible()
        page.wait_for_timeout(2000)
        page.screenshot(path=str(out / "console-profiles.png"))
        page.goto(f"{live}/console/#/firmware")
        expect(page.locator(".rollout progress").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "console-firmware.png"), full_page=True)
        page.goto(f"{live}/console/#/sites")
        expect(page.get_by_role("link", name="depot").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(out / "console-sites.png"))
        page.goto(f"{live}/console/#/sites/yard")
        expect(page.get_by_role("figure").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(6000)  # the chart of its power against its limit, a few points in
        page.screenshot(path=str(out / "console-site.png"), full_page=True)
        page.goto(f"{live}/console/#/tariffs")
        preview = page.locator("form", has=page.get_by_role("heading", name="Preview a session's price"))
        preview.get_by_label("Energy (kWh)").fill("22")
        preview.get_by_label("Length (minutes)").fill("180")
        preview.get_by_label("Idle at the end (minutes)").fill("60")
        preview.get_by_role("button", name="Preview").click()
        expect(preview.get_by_role("table")).to_be_visible()
        page.screenshot(path=str(out / "console-tariffs.png"), full_page=True)
        names = ["fleet", "analytics", "session", "profiles", "firmware", "sites", "site", "tariffs"]

        def shoot(route: str, name: str, full: bool = False) -> None:
            """One page, once its heading is in and its first reads answered."""
            page.goto(f"{live}/console/#/{route}")
            expect(page.locator("main h1").first).to_be_visible(timeout=30_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(2500)
            page.screenshot(path=str(out / f"console-{name}.png"), full_page=full)
            names.append(name)

        shoot("sessions", "sessions")
        shoot("id-tokens", "id-tokens")
        shoot("cdrs", "cdrs")
        shoot("alerts", "alerts")
        shoot(f"drivers/{driver}" if driver else "drivers", "drivers")
        shoot("api-keys", "api-keys", full=True)
        shoot("audit", "audit")
        shoot("tenants", "tenants", full=True)
        if station:
            for tab in (
                "overview", "commands", "maintenance", "reservations", "local-list", "registration",
                "certificates",
            ):  # fmt: skip
                full = tab in ("commands", "maintenance", "registration", "certificates")
                shoot(f"charge-points/{station}/{tab}", f"station-{tab}", full=full)
        browser.close()
        return names


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.tools.screenshots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # The history's clients answer what they are asked with "not implemented" (the sites'
    # allocator sends them profiles): the `ocpp` package's log of each is no news here.
    logging.getLogger("ocpp").setLevel(logging.CRITICAL)
    token = secrets.token_urlsafe(18)
    data = Path(tempfile.mkdtemp(prefix="csms-screenshots-"))
    launched = launch(data / "runtime.log", "--data-dir", str(data), env={"CSMS_API_TOKEN": token})
    fleet, done, sent = None, threading.Event(), []
    try:
        launched.put(token, "/id-tokens/DEMO-1", {"status": "Accepted"})
        launched.put(token, "/id-tokens/DEMO-2", {"status": "Accepted"})
        launched.put(token, "/tariffs/day-night", TARIFF)
        stations = []
        for site, count in SITES.items():
            members = [f"{site.upper()}-{n:02d}" for n in range(1, count + 1)]
            for n, station_id in enumerate(members, 1):
                launched.put(token, f"/charge-points/{station_id}", {"siteId": site})
                stations.append((station_id, "1.6" if n % 2 else "2.0.1"))
            launched.put(token, f"/sites/{site}", {"limit": {"amps": 16 * count}, "chargePoints": members})

        async def seed() -> None:
            await asyncio.gather(
                *(history(launched, s, v, i, sent, done) for i, (s, v) in enumerate(stations))
            )

        online = threading.Thread(target=asyncio.run, args=(seed(),), daemon=True)
        online.start()
        fleet = subprocess.Popen(
            [
                sys.executable, "-m", "local.fleet", "load", "--url", f"{launched.ws_url}/ocpp",
                "--api-url", launched.api_url, "--token", token, "--stations", "12", "--duration", "120",
                "--meter-interval", "5", "--secure", "0",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while len(sent) < len(stations) and time.monotonic() < deadline:
            time.sleep(1)
        station = live_work(launched, token, {station_id for station_id, _ in stations})
        driver = accounts(launched, token)
        time.sleep(20)  # the live fleet's sessions under way, the analytics caught up
        names = photograph(launched, token, args.out, station, driver)
        print(f"Written to {args.out}: {', '.join(f'console-{name}.png' for name in names)}")
        return 0
    finally:
        done.set()
        if fleet is not None:
            fleet.terminate()
            fleet.wait(30)
        launched.stop()


if __name__ == "__main__":
    sys.exit(main())
