"""What a run measured, as a dict (written as JSON to compare runs) and as the text a person
reads at the end of `make load`, and the live view `make demo` keeps on screen."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any, TextIO

from local.fleet.runner import Options, Outcome
from local.fleet.station import Station
from local.fleet.stats import Stats, percentile


def build(options: Options, outcome: Outcome, target: str) -> dict[str, Any]:
    stats = outcome.stats
    phases = {phase: t.summary() for phase, t in stats.phases.items()}
    problems = []
    if stats.call_errors:
        problems.append(f"{stats.call_errors} CALLERRORs")
    if stats.timeouts:
        problems.append(f"{stats.timeouts} timeouts")
    steady_p99_ms = phases["steady"]["p99Ms"]
    windows = [window.summary() for window in stats.windows]
    if options.max_p99_ms is not None and steady_p99_ms > options.max_p99_ms:
        problems.append(f"steady p99 {steady_p99_ms:g} ms, over {options.max_p99_ms:g} ms")
    if options.max_p99_ms is not None and len(windows) > 1:
        over = [w for w in windows if w["p99Ms"] > options.max_p99_ms]
        if over:
            problems.append(
                f"p99 over {options.max_p99_ms:g} ms in {len(over)} of {len(windows)} windows "
                f"(first from {over[0]['fromSeconds']:g} s: {over[0]['p99Ms']:g} ms)"
            )
    if stats.crashes:
        problems.append(f"{stats.crashes} simulator faults, the first {stats.first_crash}")
    if outcome.undelivered or stats.undelivered:
        problems.append(
            f"{outcome.undelivered} stations could not deliver their queues in time "
            f"({stats.undelivered} messages left)"
        )
    if outcome.check is not None and not outcome.check.ok:
        problems.append("the CSMS's records differ from the fleet's")
    secure = [s for s in outcome.stations if s.tls is not None]
    uncertified = [s.id for s in secure if s.certificate is None]
    if uncertified:
        problems.append(f"{len(uncertified)} secure stations got no certificate (first: {uncertified[0]})")
    sites = [site.summary() for site in outcome.sites.sites]
    over = [s for s in sites if s["samplesOver"]]
    if over:
        problems.append(f"{len(over)} sites drew more than their limit (first: {over[0]['site']})")
    return {
        "target": target,
        "seed": options.seed,
        "stations": len(options.specs),
        "versions": dict(Counter(spec.version for spec in options.specs)),
        "connectors": options.specs[0].connectors if options.specs else 0,
        "ranSeconds": round(outcome.ran_s, 1),
        "meterIntervalSeconds": options.life.meter_interval_s,
        "heartbeatSeconds": sorted(Counter(s.heartbeat_s for s in outcome.stations)),
        "stormAtSeconds": options.storm_at_s,
        "maxP99Ms": options.max_p99_ms,
        "rampSeconds": options.ramp_s,
        "warmupSeconds": options.warmup_s,
        "steadySeconds": round(outcome.steady_s, 1),
        "messages": {label: t.summary() for label, t in sorted(stats.types.items())},
        "phases": phases,
        "steadyMessagesPerSecond": (
            round(stats.phases["steady"].sent / outcome.steady_s, 1) if outcome.steady_s else 0.0
        ),
        "steadyCpu": _cpu_figures(outcome, stats.phases["steady"].sent),
        "windowSeconds": options.window_s,
        "windows": windows,
        "commands": dict(stats.commands),
        "connections": {
            "opened": stats.connects,
            **_reconnect_peaks(stats),
            "drops": dict(stats.drops),
            "failedAttempts": dict(stats.connect_failures),
        },
        "sessions": {
            "started": stats.sessions_started,
            "completed": stats.sessions_completed,
            "refusedCards": stats.sessions_refused,
            "energyWh": stats.energy_wh,
            "orphanedMessages": stats.orphaned,
        },
        "csmsView": outcome.check.as_dict() if outcome.check is not None else None,
        "sites": sites,
        "security": {
            "secureStations": len(secure),
            "atProfile3": sum(1 for s in secure if s.profile >= 3),
            **dict(stats.security),
        },
        "ok": not problems,
        "problems": problems,
    }


# A storm's reconnects are over within this (a local runtime takes half a minute for 1,000
# stations); what comes later is the cuts after it, or the renewals that spread them.
STORM_S = 45


def _reconnect_peaks(stats: Stats) -> dict[str, Any]:
    """After a storm: the busiest second of its reconnects, and of every reconnect after it (the
    gateway's next cut, or the CSMS's renewals spreading it)."""
    if stats.storm_at is None:
        return {}
    storm, _ = stats.connect_peak(stats.storm_at, stats.storm_at + STORM_S)
    last = max(stats.connect_seconds, default=int(stats.storm_at))
    after, after_at = stats.connect_peak(stats.storm_at + STORM_S)
    return {
        "stormPeakPerSecond": storm,
        "laterPeakPerSecond": after,
        "laterPeakAtSeconds": None if after_at is None else round(after_at - stats.storm_at),
        "laterReconnects": sum(n for s, n in stats.connect_seconds.items() if s >= stats.storm_at + STORM_S),
        "perSecondFromStorm": [stats.connect_seconds.get(s, 0) for s in range(int(stats.storm_at), last + 1)],
    }


def _cpu_figures(outcome: Outcome, messages: int) -> dict[str, Any]:
    """Each process's share of a core in the steady phase, and CPU per station message."""
    return {
        who: {
            "seconds": round(seconds, 1),
            "coreShare": round(seconds / outcome.steady_s, 2) if outcome.steady_s else 0.0,
            "msPerMessage": round(seconds / messages * 1000, 2) if messages else 0.0,
        }
        for who, seconds in outcome.steady_cpu_s.items()
    }


def text(report: dict[str, Any]) -> str:
    versions = ", ".join(f"{v}: {n}" for v, n in sorted(report["versions"].items()))
    lines = [
        f"Fleet of {report['stations']} stations ({versions}), {report['connectors']} connectors each, "
        f"seed {report['seed']}, {report['ranSeconds']} s against {report['target']}",
        f"Meter values every {report['meterIntervalSeconds']:g} s; heartbeat every "
        f"{', '.join(f'{h:g}' for h in report['heartbeatSeconds'])} s (as the CSMS said)"
        + (
            f"; reconnect storm at {report['stormAtSeconds']:g} s"
            if report["stormAtSeconds"] is not None
            else ""
        ),
        "",
        f"{'Message':<28}{'sent':>8}{'answered':>10}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
        f"{'CALLERROR':>11}{'timeout':>9}{'resent':>8}",
    ]
    phases = report["phases"]
    rows = [
        *report["messages"].items(),
        ("All, steady", phases["steady"]),
        *(
            (label, phases[phase])
            for label, phase in (
                ("All, ramp (connect, boot)", "ramp"),
                ("All, warm-up (boot sessions)", "warm-up"),
                ("All, wind-down (all stop)", "wind-down"),
            )
            if phases[phase]["sent"]  # a demo has no warm-up
        ),
    ]
    for label, m in rows:
        lines.append(
            f"{label:<28}{m['sent']:>8}{m['answered']:>10}{m['p50Ms']:>9}{m['p95Ms']:>9}{m['p99Ms']:>9}"
            f"{m['maxMs']:>9}{sum(m['callErrors'].values()):>11}{m['timeouts']:>9}{m['interrupted']:>8}"
        )
    lines.append(
        f"{report['steadyMessagesPerSecond']} messages/s from the stations in the steady phase "
        "('resent': the connection dropped before the answer came)"
    )
    lines.append(
        "CPU in the steady phase: "
        + ", ".join(
            f"{who} {c['coreShare'] * 100:.0f}% of a core ({c['msPerMessage']} ms per message)"
            for who, c in report["steadyCpu"].items()
        )
    )
    lines += _windows(report["windows"])
    errors = Counter[str]()
    for m in phases.values():
        errors.update(m["callErrors"])
    if errors:
        lines.append("CALLERRORs: " + ", ".join(f"{code} {n}" for code, n in errors.most_common()))
    if report["commands"]:
        lines.append(
            "Commands answered: " + ", ".join(f"{a} {n}" for a, n in sorted(report["commands"].items()))
        )
    c = report["connections"]
    lines.append(
        f"Connections: {c['opened']} opened; dropped: "
        + (", ".join(f"{why} {n}" for why, n in c["drops"].items()) or "none")
        + (
            "; failed attempts: " + ", ".join(f"{k} {n}" for k, n in c["failedAttempts"].items())
            if c["failedAttempts"]
            else ""
        )
    )
    if "stormPeakPerSecond" in c:
        lines.append(
            f"Reconnects: {c['stormPeakPerSecond']} in the storm's busiest second; after it, "
            f"{c['laterReconnects']} more, at most {c['laterPeakPerSecond']} in one second"
            + (
                f" ({c['laterPeakAtSeconds']} s after the storm)"
                if c["laterPeakAtSeconds"] is not None
                else ""
            )
        )
    security = report["security"]
    if security["secureStations"]:
        lines.append(
            f"Security: {security['secureStations']} stations over wss://, {security['atProfile3']} moved to "
            "profile 3 with a certificate the CSMS issued; "
            + ", ".join(f"{k} {v}" for k, v in security.items() if k not in ("secureStations", "atProfile3"))
        )
    s = report["sessions"]
    lines.append(
        f"Sessions: {s['started']} started, {s['completed']} completed, {s['refusedCards']} cards refused, "
        f"{s['energyWh'] / 1000:.1f} kWh delivered"
    )
    view = report["csmsView"]
    if view is not None:
        lines.append(
            f"CSMS view: {view['found']} of {view['expected']} sessions found, "
            f"{len(view['missing'])} missing, "
            f"{len(view['duplicated'])} duplicated, {len(view['energyMismatch'])} with other energy, "
            f"{len(view['stillActive'])} still active; energy {view['csmsEnergyWh'] / 1000:.3f} kWh "
            f"(fleet {view['fleetEnergyWh'] / 1000:.3f} kWh); analytics "
            + (
                "agree"
                if not view["analyticsMismatch"]
                else f"differ for {len(view['analyticsMismatch'])} stations"
            )
        )
        for key in ("missing", "duplicated", "energyMismatch", "stillActive", "analyticsMismatch"):
            for item in view[key][:5]:
                lines.append(f"  {key}: {item}")
        lines += _drivers(view)
    lines += _sites(report["sites"])
    lines.append("Result: " + ("PASS" if report["ok"] else "FAIL: " + "; ".join(report["problems"])))
    return "\n".join(lines)


DRIVER_KEYS = (
    "driverMissing",
    "driverForeign",
    "driverDuplicated",
    "driverEnergyMismatch",
    "receiptMismatch",
)


def _drivers(view: dict[str, Any]) -> list[str]:
    """What each driver's own key read, against the sessions the fleet ran with its cards."""
    if not view["drivers"]:
        return []
    lines = [
        f"Drivers: {view['drivers']} accounts, each read with its own key: {view['driverFound']} of "
        f"{view['driverExpected']} sessions of their cards shown, {len(view['driverMissing'])} missing, "
        f"{len(view['driverForeign'])} not theirs, {len(view['driverDuplicated'])} shown twice, "
        f"{len(view['driverEnergyMismatch'])} with other energy; {view['receiptsChecked']} receipts, "
        f"{len(view['receiptMismatch'])} with another total incl. VAT"
    ]
    for key in DRIVER_KEYS:
        lines += [f"  {key}: {item}" for item in view[key][:5]]
    return lines


def _sites(sites: list[dict[str, Any]]) -> list[str]:
    """Each site's highest power against its limit, and how long it was at the limit."""
    if not sites:
        return []
    top = max(sites, key=lambda s: s["peakKw"] / s["limitKw"] if s["limitKw"] else 0)
    share = sum(s["atLimitShare"] for s in sites) / len(sites)
    lines = [
        f"Sites: {len(sites)}; the highest power seen {top['peakKw']:g} kW against a limit of "
        f"{top['limitKw']:g} kW ({top['site']}); at the limit (95% or more) {share:.0%} of the time on "
        f"average; samples over a limit: {sum(s['samplesOver'] for s in sites)}"
    ]
    if len(sites) <= 10:
        lines += [
            f"  {s['site']}: {s['stations']} stations, peak {s['peakKw']:g} of {s['limitKw']:g} kW, "
            f"at the limit {s['atLimitShare']:.0%}"
            for s in sites
        ]
    return lines


def _windows(windows: list[dict[str, Any]]) -> list[str]:
    """Drift over a long run, window by window; for one window, just the memory at its end."""
    if not windows:
        return []
    if len(windows) == 1:
        rss = windows[0]["rssMb"]
        return [
            "Memory at the end of the steady phase: " + ", ".join(f"{w} {mb:g} MB" for w, mb in rss.items())
        ]
    processes = list(windows[0]["cpuMsPerMessage"])
    lines = [
        "Steady phase window by window:",
        f"  {'from s':>8}{'msgs/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}{'timeouts':>10}"
        + "".join(f"{who + ' ms/msg':>15}{who + ' MB':>10}" for who in processes),
    ]
    for w in windows:
        lines.append(
            f"  {w['fromSeconds']:>8g}{w['messagesPerSecond']:>9}{w['p50Ms']:>9}{w['p99Ms']:>9}"
            f"{w['maxMs']:>9}{sum(w['callErrors'].values()):>8}{w['timeouts']:>10}"
            + "".join(
                f"{w['cpuMsPerMessage'].get(who, 0.0):>15}{w['rssMb'].get(who, 0.0):>10}" for who in processes
            )
        )
    return lines


def _driver_lines(stats: Stats) -> list[str]:
    """The demo's drivers, with the keys that read their accounts (GET /driver/sessions)."""
    return [f"Driver     {d.driver_id}  cards {', '.join(d.tags)}  key {d.key}" for d in stats.drivers[:5]]


def _site_lines(stats: Stats) -> list[str]:
    """Each site's power now against its limit, as a bar."""
    return [
        f"Site       {site.plan.site_id}: {site.now_w / 1000:5.1f} of {site.plan.limit_w / 1000:g} kW  "
        + "#" * int(20 * min(site.now_w / site.plan.limit_w, 1.0))
        for site in (stats.sites.sites[:5] if stats.sites else [])
    ]


class LiveView:
    """Redrawn in place on a terminal; a line every ten seconds otherwise (a CI log, a pipe)."""

    def __init__(self, header: list[str], out: TextIO = sys.stdout) -> None:
        self.header = header
        self.out = out
        self.tty = out.isatty()
        self._ticks = 0
        self._told_drivers = False

    def __call__(self, stations: list[Station], stats: Stats) -> None:
        self._ticks += 1
        if not self.tty and self._ticks % 10:
            return
        online = sum(s.online.is_set() for s in stations)
        active = sum(len(s.active) for s in stations)
        rate = stats.frames_per_second()  # since the previous line
        p99 = percentile(stats.recent_latencies(), 0.99) * 1000
        summary = (
            f"{stats.elapsed():6.0f} s  online {online}/{len(stations)}  sessions active {active}, "
            f"done {stats.sessions_completed}  energy {stats.energy_wh / 1000:.1f} kWh  "
            f"{rate:.0f} frames/s  p99 {p99:.0f} ms  "
            f"CALLERRORs {stats.call_errors}  timeouts {stats.timeouts}"
        )
        if stats.sites and stats.sites.sites:
            top = max(stats.sites.sites, key=lambda site: site.now_w / site.plan.limit_w)
            summary += f"  busiest site {top.now_w / top.plan.limit_w:.0%} of its limit"
        if not self.tty:
            if stats.drivers and not self._told_drivers:  # once: a log keeps it
                print("\n".join(_driver_lines(stats)), file=self.out, flush=True)
                self._told_drivers = True
            print(summary, file=self.out, flush=True)
            return
        by_version = Counter(s.spec.version for s in stations if s.online.is_set())
        lines = [
            *self.header,
            "",
            f"Stations   {online} of {len(stations)} online  ("
            + ", ".join(f"{v}: {n}" for v, n in sorted(by_version.items()))
            + ")",
            f"Sessions   {active} charging, {stats.sessions_completed} completed, "
            f"{stats.sessions_refused} cards refused",
            f"Energy     {stats.energy_wh / 1000:.2f} kWh delivered",
            f"Messages   {rate:.1f} frames/s, p99 round trip {p99:.0f} ms, "
            f"{stats.call_errors} CALLERRORs, {stats.timeouts} timeouts",
            "Commands   " + (", ".join(f"{a} {n}" for a, n in stats.commands.most_common(6)) or "none yet"),
            *_site_lines(stats),
            *_driver_lines(stats),
            "",
            "Latest",
            *(f"  {event}" for event in stats.events),
        ]
        self.out.write("\x1b[H\x1b[J" + "\n".join(lines) + "\n")
        self.out.flush()
