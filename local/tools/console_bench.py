"""`make console-bench`: how the console's fleet page holds up on a large fleet, in Chromium
against a local runtime with N registered charge points (5,000 by default): the time until the
whole fleet is listed, the rows actually in the page (the list draws only those in view), a
search, and the time a frame takes while scrolling.

    python -m local.tools.console_bench [--stations 5000]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import secrets
import sys
import tempfile
import time
from pathlib import Path

from local.runtime.launch import launch
from local.tools.browser import FLAGS, chromium, sign_in

SCROLL = """async () => {
  const list = document.querySelector('.fleet-list');
  const start = performance.now();
  for (let i = 0; i < 60; i++) {
    list.scrollTop += 3000;
    await new Promise((done) => requestAnimationFrame(done));
  }
  return (performance.now() - start) / 60;
}"""


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="python -m local.tools.console_bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--stations", type=int, default=5000)
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    token = secrets.token_urlsafe(18)
    data = Path(tempfile.mkdtemp(prefix="csms-console-bench-"))
    launched = launch(data / "runtime.log", "--data-dir", str(data), env={"CSMS_API_TOKEN": token})

    def register(n: int) -> None:
        launched.put(token, f"/charge-points/CP-{n:05d}", {"siteId": f"site-{n % 40}"})

    try:
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(register, range(args.stations)))
        print(
            f"{args.stations} charge points registered through the API in {time.monotonic() - started:.0f} s"
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium(), args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            started = time.monotonic()
            sign_in(page, launched.api_url, token)
            shown = f"{args.stations} of {args.stations} charge points shown"
            expect(page.get_by_text(shown)).to_be_visible(timeout=120_000)
            listed = time.monotonic() - started
            rows = page.locator(".fleet-list .fleet-row").count()
            started = time.monotonic()
            page.get_by_label("Search").fill(f"CP-{args.stations - 1:05d}")
            expect(page.get_by_text(f"1 of {args.stations} charge points shown")).to_be_visible()
            searched = time.monotonic() - started
            page.get_by_label("Search").fill("")
            frame_ms = page.evaluate(SCROLL)
            browser.close()
        print(f"Fleet page, sign-in to every station listed: {listed:.2f} s ({rows} rows in the page)")
        print(f"A search narrowing it to one: {searched * 1000:.0f} ms")
        print(f"Scrolling: {frame_ms:.1f} ms a frame")
        return 0
    finally:
        launched.stop()


if __name__ == "__main__":
    sys.exit(main())
