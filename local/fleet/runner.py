"""A fleet's run: issue the cards (and link them to drivers' accounts), bring the stations up
over a ramp, let the sessions found at boot start (the warm-up), let them live (with a reconnect
storm if asked), wind them down, and hold the CSMS's records against theirs."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ocpp import messages

from local.fleet import drivers as accounts
from local.fleet.api import ApiError, Check, OperatorApi, check_sessions
from local.fleet.plan import Life, StationSpec, tags_of
from local.fleet.sites import SitePlan, SiteWatch
from local.fleet.soap15 import SoapStation
from local.fleet.station import Station, Tls
from local.fleet.stats import Stats
from shared.manifest import SOAP_15_PATH

# The package validates in a thread pool by default; inline is five times cheaper per frame,
# and a thousand stations in one process feel it.
messages.ASYNC_VALIDATION = False

WIND_DOWN_PER_S = 5  # stations that finish each second at the end of a run


@dataclass
class Options:
    ocpp_url: str  # ws://host:port/ocpp: a station connects to {ocpp_url}/{id}
    api_url: str | None
    token: str | None
    specs: list[StationSpec]
    seed: int = 1
    life: Life = field(default_factory=Life)
    tag_prefix: str = "FLEET"
    tag_count: int = 20
    duration_s: float | None = None  # None: until stopped
    ramp_s: float = 0.0  # connections spread over this long
    # Then this long before the steady phase: the connectors found charging at boot start their
    # sessions together, a surge of starts that a network living its life does not see.
    warmup_s: float = 0.0
    storm_at_s: float | None = None  # every station drops its connection at this moment
    register: bool = False  # register the stations through the API first (registered-only CSMS)
    overrides: dict[str, str] = field(default_factory=dict)
    wind_down_s: float = 120.0
    csms_pid: int | None = None  # a CSMS process on this machine, whose CPU time the report gives
    max_p99_ms: float | None = None  # the p99 round trip, steady and in each window, above which a run fails
    window_s: float | None = None  # the steady phase is reported in windows this long (a soak)
    sites: list[SitePlan] = field(default_factory=list)  # the stations behind grid connections
    tls: Tls | None = None  # where the secure stations connect (StationSpec.secure)
    drivers: int = 0  # drivers' accounts holding the cards, each one's list checked at the end
    # Work beside the stations until the wind-down (an operator's, `make chaos`).
    beside: Callable[[list[Station]], Awaitable[None]] | None = None


@dataclass
class Outcome:
    stations: list[Station]
    stats: Stats
    check: Check | None
    undelivered: int
    ran_s: float
    steady_s: float
    steady_cpu_s: dict[str, float]  # CPU seconds of the steady phase: the fleet's, and the CSMS's if local
    sites: SiteWatch = field(default_factory=SiteWatch)


async def run(
    options: Options,
    stop: asyncio.Event | None = None,
    tick: Callable[[list[Station], Stats], None] | None = None,
) -> Outcome:
    stop = stop or asyncio.Event()
    stats = Stats()
    tags = tags_of(options.tag_prefix, options.tag_count)
    api = OperatorApi(options.api_url, options.token) if options.api_url else None
    try:
        drivers: list[accounts.Driver] = []
        if api is not None:
            await _prepare(api, options, tags)
            drivers = await accounts.make(api, options.drivers, tags, options.tag_prefix)
            stats.drivers = drivers
        since = (
            (datetime.now(UTC) - timedelta(seconds=5)).isoformat(timespec="seconds").replace("+00:00", "Z")
        )
        stations = [_station(spec, options, tags, stats) for spec in options.specs]
        stats.started = time.monotonic()
        watch = SiteWatch.of(options.sites)
        stats.sites = watch
        ticker = asyncio.create_task(_tick(stations, stats, tick))
        sampler = asyncio.create_task(_watch_sites(stations, watch))
        raiser = asyncio.create_task(_raise_to_profile_3(api, stations, options))
        beside = asyncio.create_task(options.beside(stations)) if options.beside else None
        steady_from = steady_to = time.monotonic()
        try:
            await _ramp(stations, options, stop)
            watch.sampling = True
            if options.warmup_s and not stop.is_set():
                stats.phase = "warm-up"
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), options.warmup_s)
            stats.phase, steady_from = "steady", time.monotonic()
            await _live(stations, options, stats, stop)
        finally:
            if beside is not None:
                beside.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await beside
            stats.phase, steady_to = "wind-down", time.monotonic()
            stats.event("winding down: every session stops, every queue is delivered")
            delivered = await _wind_down(stations, options)
            for task in (ticker, sampler, raiser):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        ran_s = stats.elapsed()
        stats.undelivered = sum(len(s.outbox) for s in stations)
        check = None
        if api is not None:
            check = await check_sessions(api, stations, since)
            if drivers:  # each with its own key, as a driver reads its account
                await accounts.check_drivers(api, drivers, stations, check)
        cpu_s: dict[str, float] = {}  # the steady phase's, the sum of its windows'
        for window in stats.windows:
            for who, seconds in window.cpu_s.items():
                cpu_s[who] = cpu_s.get(who, 0.0) + seconds
        return Outcome(
            stations, stats, check, delivered.count(False), ran_s, steady_to - steady_from, cpu_s, watch
        )
    finally:
        if api is not None:
            await api.close()


def _station(spec: StationSpec, options: Options, tags: list[str], stats: Stats) -> Station:
    """A WebSocket station, or for 1.5 a SOAP one, which posts to the CSMS's HTTP API."""
    kwargs = {
        "seed": options.seed,
        "life": options.life,
        "tags": tags,
        "stats": stats,
        "overrides": options.overrides,
        "tls": options.tls,
    }
    if spec.version != "1.5":
        return Station(spec, options.ocpp_url, **kwargs)  # type: ignore[arg-type]
    if options.api_url is None:
        raise ValueError("OCPP 1.5 stations post to the CSMS's HTTP API: give its --api-url")
    soap_url = options.api_url.rstrip("/") + SOAP_15_PATH
    return SoapStation(spec, options.ocpp_url, soap_url=soap_url, **kwargs)


def _cpu(csms_pid: int | None) -> dict[str, float]:
    """CPU seconds so far of this process and, where one is given, of the CSMS's (Linux)."""
    seconds = {"fleet": time.process_time()}
    if csms_pid is not None:
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{csms_pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds["csms"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return seconds


def _rss_mb(csms_pid: int | None) -> dict[str, float]:
    """Resident memory now of this process and of the CSMS's, where one is given (Linux)."""
    pids = {"fleet": os.getpid(), **({"csms": csms_pid} if csms_pid is not None else {})}
    megabytes = {}
    for who, pid in pids.items():
        with contextlib.suppress(OSError, StopIteration, ValueError):
            lines = Path(f"/proc/{pid}/status").read_text().splitlines()
            kilobytes = next(line for line in lines if line.startswith("VmRSS:")).split()[1]
            megabytes[who] = int(kilobytes) / 1024
    return megabytes


async def _prepare(api: OperatorApi, options: Options, tags: list[str]) -> None:
    """The cards the drivers carry, and (for a registered-only CSMS) the stations themselves."""
    limit = asyncio.Semaphore(8)

    async def limited(job: Awaitable[None]) -> None:
        async with limit:
            await job

    jobs = [api.issue_card(tag) for tag in tags]
    if options.register or options.sites:  # a site names registered charge points
        jobs += [api.register(spec.id, spec.password) for spec in options.specs if not spec.secure]
    jobs += [api.register(spec.id, spec.password, 2) for spec in options.specs if spec.secure]
    await asyncio.gather(*(limited(job) for job in jobs))
    await asyncio.gather(
        *(limited(api.request("PUT", f"/sites/{s.site_id}", s.body())) for s in options.sites)
    )


async def _ramp(stations: list[Station], options: Options, stop: asyncio.Event) -> None:
    """Stations start one after another over the ramp, then it waits until all are online."""
    gap = options.ramp_s / len(stations) if stations else 0
    for station in stations:
        station.start()
        if gap:
            await asyncio.sleep(gap)
        if stop.is_set():
            return
    deadline = time.monotonic() + 60
    while (
        not all(s.online.is_set() or not s.network.is_set() for s in stations) and time.monotonic() < deadline
    ):
        await asyncio.sleep(0.1)


async def _wind_down(stations: list[Station], options: Options) -> list[bool]:
    """Every station stops its sessions, delivers its queue and disconnects: five stations a
    second (or over the ramp's length, if longer), for a whole network ending every session
    in one instant is no load a CSMS meets, and it would measure nothing but the queue."""
    gap = max(options.ramp_s / len(stations), 1 / WIND_DOWN_PER_S) if stations else 0

    async def finish(position: int, station: Station) -> bool:
        await asyncio.sleep(position * gap)
        return await station.finish(options.wind_down_s)

    return await asyncio.gather(*(finish(i, s) for i, s in enumerate(stations)))


async def _live(stations: list[Station], options: Options, stats: Stats, stop: asyncio.Event) -> None:
    began = time.monotonic()
    window_from, cpu_from = began, _cpu(options.csms_pid)

    def close_window(now: float) -> None:
        nonlocal window_from, cpu_from
        cpu = _cpu(options.csms_pid)
        used = {who: cpu[who] - cpu_from[who] for who in cpu_from if who in cpu}
        stats.close_window(window_from - began, now - window_from, used, _rss_mb(options.csms_pid))
        window_from, cpu_from = now, cpu

    storm_pending = options.storm_at_s is not None
    while not stop.is_set():
        now = time.monotonic()
        elapsed = now - began
        if options.duration_s is not None and elapsed >= options.duration_s:
            break
        # Windows keep to a grid from the steady phase's start, however late the loop wakes.
        if options.window_s and elapsed >= (len(stats.windows) + 1) * options.window_s:
            close_window(now)
        if storm_pending and elapsed >= (options.storm_at_s or 0):
            storm_pending = False
            stats.storm_at = stats.elapsed()
            stats.event(f"reconnect storm: all {len(stations)} stations drop their connections at once")
            for station in stations:
                station.drop("reconnect storm")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)
    if stats.window.sent or time.monotonic() - window_from >= 1:  # not when stopped before it began
        close_window(time.monotonic())


async def _raise_to_profile_3(api: OperatorApi | None, stations: list[Station], options: Options) -> None:
    """The operator's side of a secure station's life: once it has a certificate from the CSMS,
    it is moved to profile 3 (POST /charge-points/{id}/security-profile)."""
    waiting = [s for s in stations if s.tls is not None]
    while api is not None and options.tls is not None and waiting:
        await asyncio.sleep(0.5)
        for station in [s for s in waiting if s.certificate is not None and s.online.is_set()]:
            body: dict[str, object] = {"securityProfile": 3}
            if station.dialect.schemas != "1.6":
                body |= {"configurationSlot": 2, "csmsUrl": options.tls.url.rstrip("/") + "/"}
            try:
                await api.request("POST", f"/charge-points/{station.id}/security-profile", body)
            except ApiError as error:  # not connected just now: asked again
                station.stats.event(f"{station.id}: raising its profile: {error}")
                continue
            waiting.remove(station)


async def _watch_sites(stations: list[Station], watch: SiteWatch) -> None:
    if not watch.sites:
        return
    by_id = {station.id: station for station in stations}
    while True:
        await asyncio.sleep(0.5)
        watch.sample(by_id)


async def _tick(
    stations: list[Station], stats: Stats, tick: Callable[[list[Station], Stats], None] | None
) -> None:
    if tick is None:
        return
    while True:
        await asyncio.sleep(1.0)
        tick(stations, stats)
