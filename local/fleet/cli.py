"""`python -m local.fleet demo|load|soak`: simulated charge points against the CSMS.

demo: the local runtime and a handful of stations charging, with a live view, until Ctrl-C.
load: a fleet for a bounded time, then a report (round trips per message type, errors) and a
check that the CSMS recorded every session once with the energy the fleet metered.
soak: a load run of an hour by default, reported window by window (round trips, CPU per
message, memory), for what only shows with time: a leak, a query that slows as data grows.
chaos: a short run against a local runtime that injects faults, an operator at work beside
the stations, then the checks of docs/faults.md (local/fleet/chaos.py).
Without --url both start their own local runtime; with it they drive any CSMS, deployed too.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import signal
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

from local.fleet import chaos, plan
from local.fleet.api import OperatorApi
from local.fleet.chaos import DEFAULT_FAULTS
from local.fleet.obeying import parse_overrides
from local.fleet.plan import Life
from local.fleet.report import LiveView, build, text
from local.fleet.runner import Options, run
from local.fleet.sites import plan_sites
from local.fleet.station import Tls
from local.runtime.faults import parse_rates

DEMO_LIFE = Life(
    meter_interval_s=5,
    session_s=(40, 150),
    idle_s=(5, 40),
    fault_chance=0.1,
    fault_s=(5, 15),
    unknown_tag_chance=0.1,
    offline_every_s=240,
    offline_s=(10, 25),
)

# A chaos run's stations live fast, so that a minute holds many sessions, commands and
# outages; a call unanswered is given up after 5 s (a post lost to a fault is no answer).
CHAOS_LIFE = Life(
    meter_interval_s=5,
    session_s=(15, 45),
    idle_s=(3, 15),
    fault_chance=0.1,
    fault_s=(3, 8),
    unknown_tag_chance=0.05,
    offline_every_s=90,
    offline_s=(3, 10),
    call_timeout_s=5,
)

WARMUP_S = 120.0
DEMO_DRIVERS = 3  # the demo's cards, ten, dealt among them


def bounded(duration_s: float, window_s: float | None) -> argparse.ArgumentParser:
    """The options of a bounded run, load or soak: a parser of its own for each, for argparse
    shares a parent's options among its children, defaults and all."""
    run = argparse.ArgumentParser(add_help=False)
    run.add_argument("--duration", type=float, default=duration_s, help="seconds of the steady phase")
    run.add_argument(
        "--window",
        type=float,
        default=window_s,
        help="report the steady phase in windows this long, to show drift (seconds)",
    )
    run.add_argument("--ramp", type=float, help="seconds over which the stations connect (default N/10)")
    run.add_argument(
        "--warmup",
        type=float,
        help="seconds between the ramp and the steady phase, for the sessions that begin at boot "
        "to settle (default 120)",
    )
    run.add_argument(
        "--storm-at", type=float, help="all stations drop and reconnect at this second of the steady phase"
    )
    run.add_argument(
        "--max-p99-ms",
        type=float,
        default=1000,
        help="the run fails if the p99 round trip of the steady phase, or of any window, is over this "
        "(default 1000; 0: no limit)",
    )
    run.add_argument("--json", type=Path, help="write the report here as JSON as well")
    run.add_argument(
        "--cost",
        action="store_true",
        help="count what each invocation would cost in the cloud and print dollars per charge "
        "point-month (the local runtime this command starts; see python -m local.cost)",
    )
    run.add_argument("--usage-out", type=Path, help="with --cost: keep the count here, as JSON")
    return run


def seconds_range(text: str) -> tuple[float, float]:
    """'120-600' (seconds, drawn uniformly between) or '300' (always that)."""
    low, _, high = text.partition("-")
    try:
        bounds = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: seconds, as MIN-MAX or one number") from None
    if not 0 < bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: MIN-MAX with 0 < MIN <= MAX")
    return bounds


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--url", help="the CSMS's OCPP base, e.g. wss://ocpp.example.com/ocpp (default: start one)"
    )
    common.add_argument("--api-url", help="its operator API (with --url)")
    common.add_argument("--token", default=os.environ.get("CSMS_API_TOKEN"), help="operator API bearer token")
    common.add_argument("--stations", type=int, help="how many")
    common.add_argument(
        "--mix",
        help=f"OCPP versions and weights (default {plan.DEFAULT_MIX}; for chaos {plan.WEBSOCKET_MIX})",
    )
    common.add_argument(
        "--prefix", help="station ids start with it (default: demo-, or load-XXXX- with a fresh XXXX per run)"
    )
    common.add_argument("--connectors", type=int, default=2, help="connectors (EVSEs) per station")
    common.add_argument("--seed", type=int, default=1, help="the same seed, the same lives")
    common.add_argument("--meter-interval", type=float, help="seconds between meter values")
    common.add_argument(
        "--session", type=seconds_range, metavar="MIN-MAX", help="seconds a driver charges (default 120-600)"
    )
    common.add_argument(
        "--idle",
        type=seconds_range,
        metavar="MIN-MAX",
        help="seconds a connector waits for its next driver (default 10-120; longer: a quieter site)",
    )
    common.add_argument("--offline-every", type=float, help="mean seconds between network outages; 0: none")
    common.add_argument(
        "--firmware-failures",
        type=share,
        help="share of firmware updates a station fails on purpose (download or install), 0-1",
    )
    common.add_argument(
        "--upload-failures", type=share, help="share of log uploads that fail on purpose, 0-1"
    )
    common.add_argument(
        "--password", help="HTTP Basic password every station presents (security profile 1/2)"
    )
    common.add_argument("--register", action="store_true", help="register the stations through the API first")
    common.add_argument(
        "--secure",
        type=share,
        help="share of stations that connect over wss:// at security profile 2, ask the CSMS for a "
        "certificate (SignCertificate) and are moved to profile 3, where it admits them (0-1; "
        "default 0, demo 1/3)",
    )
    common.add_argument("--ca", type=Path, help="the CA that secure stations trust (with --url)")
    common.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="ACTION=STATUS",
        help="answer a CSMS command so (e.g. Reset=Rejected, '*=error:NotSupported'); default Accepted",
    )
    common.add_argument(
        "--heartbeat", type=int, help="heartbeat interval of the runtime it starts, in seconds"
    )
    common.add_argument(
        "--max-lifetime",
        type=float,
        help="seconds the runtime it starts keeps a connection before it cuts it (the gateway's two hours)",
    )
    common.add_argument(
        "--renew",
        metavar="AFTER-SPREAD",
        help="the runtime it starts closes each connection itself between AFTER and AFTER+SPREAD "
        "seconds after it opened (CSMS_RENEW_AFTER, CSMS_RENEW_SPREAD; 0-0: never)",
    )
    common.add_argument(
        "--sites",
        type=int,
        help="put the stations on this many sites, each with a limit (default: none; demo: 1)",
    )
    common.add_argument(
        "--drivers",
        type=count,
        metavar="N",
        help="make N drivers' accounts, link the cards to them in turn, and check at the end what each "
        "driver's own key reads: its sessions, energy, and a few receipts (default 0; demo 3)",
    )
    common.add_argument(
        "--site-amps",
        type=float,
        default=None,
        help="each site's limit per phase, in A (default: 40 per 10 stations' worth of connectors)",
    )

    parser = argparse.ArgumentParser(prog="python -m local.fleet", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", parents=[common], help="a lively little network, until Ctrl-C")
    commands.add_parser(
        "load", parents=[common, bounded(120, None)], help="a bounded run, a report and a check"
    )
    commands.add_parser(
        "soak",
        parents=[common, bounded(3600, 300)],
        help="a long load run (an hour), reported in five-minute windows",
    )
    chaos = commands.add_parser(
        "chaos",
        parents=[common, bounded(float(os.environ.get("CHAOS_SECONDS", "60")), None)],
        help="a short run against a runtime injecting faults, then the checks of docs/faults.md",
    )
    chaos.add_argument(
        "--faults",
        type=parse_rates,
        default=parse_rates(os.environ.get("CHAOS_FAULTS") or DEFAULT_FAULTS),
        metavar="dynamodb=R,post=R,events=R,timeout=R",
        help=f"each a rate between 0 and 1 (default {DEFAULT_FAULTS})",
    )
    chaos.add_argument("--faults-seed", type=int, default=int(os.environ.get("CHAOS_SEED", "1")))
    args = parser.parse_args(argv)
    if args.prefix and len(args.prefix) > 36:
        parser.error("--prefix: at most 36 characters (an OCPP identity has 48, and the number follows)")
    if args.command == "chaos" and args.url:
        parser.error("chaos starts its own runtime, with faults: drop --url")
    if args.url and not args.api_url:
        parser.error("--url needs --api-url (the check and the cards go through the operator API)")
    if args.secure and args.url and not args.url.startswith("wss://"):
        parser.error("--secure needs a wss:// --url")
    return args


def count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"a whole number, 0 or more, got {text}")
    return value


def share(text: str) -> float:
    value = float(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a share from 0 to 1, got {text}")
    return value


def options_from(
    args: argparse.Namespace,
    ocpp_url: str,
    api_url: str,
    token: str | None,
    csms_pid: int | None = None,
    tls: Tls | None = None,
) -> Options:
    demo, faulted = args.command == "demo", args.command == "chaos"
    life = DEMO_LIFE if demo else CHAOS_LIFE if faulted else Life()
    given = {
        "meter_interval_s": args.meter_interval,
        "session_s": args.session,
        "idle_s": args.idle,
        "offline_every_s": args.offline_every,
        "firmware_failure_chance": args.firmware_failures,
        "upload_failure_chance": args.upload_failures,
    }
    life = Life(**{**vars(life), **{k: v for k, v in given.items() if v is not None}})
    count = args.stations or (6 if demo else 12 if faulted else 100)
    nonce = secrets.token_hex(2)
    prefix = args.prefix or ("demo-" if demo else f"load-{nonce}-")
    secure = args.secure if args.secure is not None else (1 / 3 if demo else 0.0)
    mix = plan.parse_mix(args.mix or (plan.WEBSOCKET_MIX if faulted else plan.DEFAULT_MIX))
    specs = plan.fleet(count, mix, prefix, args.connectors, args.password, secure)
    site_count = args.sites if args.sites is not None else (1 if demo else 2 if faulted else 0)
    per_site = -(-count // site_count) if site_count else 0
    amps = args.site_amps or max(16.0, 2.0 * per_site * args.connectors)
    return Options(
        ocpp_url=ocpp_url,
        api_url=api_url,
        token=token,
        specs=specs,
        seed=args.seed,
        life=life,
        tag_prefix="DEMO" if demo else f"L{nonce.upper()}",
        tag_count=max(10, min(count, 1000)),
        duration_s=None if demo else args.duration,
        ramp_s=0 if demo else (args.ramp if args.ramp is not None else count / 10),
        warmup_s=0 if demo else (args.warmup if args.warmup is not None else 5.0 if faulted else WARMUP_S),
        storm_at_s=None if demo else args.storm_at,
        register=args.register,
        overrides=parse_overrides(args.answer, sorted({s.version for s in specs})),
        csms_pid=csms_pid,
        # Under faults a round trip may wait for its retries: chaos checks outcomes, not speed.
        max_p99_ms=None if demo or faulted or not args.max_p99_ms else args.max_p99_ms,
        window_s=None if demo else args.window,
        sites=plan_sites(specs, site_count, prefix, amps),
        tls=tls,
        drivers=args.drivers if args.drivers is not None else (DEMO_DRIVERS if demo else 0),
    )


async def main_async(args: argparse.Namespace) -> int:
    launched = None
    token = args.token
    cost = getattr(args, "cost", False)
    if args.url:
        if cost:
            raise ValueError("--cost counts in the local runtime that this command starts: drop --url")
        ocpp_url, api_url = args.url, args.api_url
        tls = (
            Tls(args.url, args.ca, Path(tempfile.mkdtemp(prefix="csms-fleet-")))
            if args.url.startswith("wss://")
            else None
        )
    else:
        from local.runtime.launch import launch

        token = token or secrets.token_urlsafe(18)
        log = Path(tempfile.gettempdir()) / f"csms-fleet-runtime-{os.getpid()}.log"
        heartbeat = args.heartbeat or (30 if args.command == "demo" else 60)
        if args.command != "demo":  # the demo's first line is the console's address
            print(f"Starting the local runtime (log: {log}) ...", flush=True)
        env = {"CSMS_API_TOKEN": token, "CSMS_HEARTBEAT_INTERVAL": str(heartbeat)}
        if args.renew:
            after, _, spread = args.renew.partition("-")
            env |= {"CSMS_RENEW_AFTER": after, "CSMS_RENEW_SPREAD": spread or "0"}
        runtime_args = ["--max-lifetime", f"{args.max_lifetime:g}"] if args.max_lifetime else []
        if args.command == "chaos":
            runtime_args += ["--faults", str(args.faults), "--faults-seed", str(args.faults_seed)]
            runtime_args += chaos.RUNTIME_ARGS
            env |= chaos.RUNTIME_ENV
        data_dir = Path(
            tempfile.mkdtemp(prefix="csms-fleet-")
        )  # the runtime's CA, the stations' certificates
        runtime_args += ["--data-dir", str(data_dir)]
        if cost:  # at the stack's log level, for the log bytes to be the cloud's
            runtime_args.append("--count-usage")
            env["POWERTOOLS_LOG_LEVEL"] = "INFO"
        launched = await asyncio.to_thread(launch, log, *runtime_args, env=env)
        ocpp_url, api_url = launched.ocpp_url, launched.api_url
        tls = Tls(f"{launched.wss_url}/ocpp", data_dir / "ca.pem", data_dir)
    try:
        csms_pid = launched.process.pid if launched is not None else None
        options = options_from(args, ocpp_url, api_url, token, csms_pid, tls)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        header = [
            f"Console          {api_url}/  (sign in with the API token below)",
            f"CSMS fleet: {len(options.specs)} stations, seed {options.seed}",
            f"  Charge points  {ocpp_url}/{{chargePointId}}",
            f"  Operator API   {api_url}  (Swagger UI {api_url}/docs)",
            f"  API token      {token}" if token else "  API token      (none)",
            "Ctrl-C winds the fleet down and stops." if args.command == "demo" else "",
        ]
        if args.command == "demo":
            if not sys.stdout.isatty():  # the live view redraws the header on a terminal only
                print("\n".join(header[:5]), flush=True)
        else:
            print("\n".join(header[1:4]), flush=True)
            print(
                f"Running: {options.ramp_s:g} s of ramp, {options.warmup_s:g} s of warm-up, "
                f"{options.duration_s:g} s steady"
                + (f" (in windows of {options.window_s:g} s)" if options.window_s else "")
                + ", then the wind-down ...",
                flush=True,
            )
        if args.command == "chaos":
            assert launched is not None
            return await _chaos(args, options, stop, launched.ws_url)
        outcome = await run(options, stop, LiveView(header))
        report = build(options, outcome, ocpp_url)
        print(text(report), flush=True)
        if getattr(args, "json", None):
            args.json.write_text(json.dumps(report, indent=2) + "\n")
            print(f"Report written to {args.json}")
        if cost and launched is not None:
            await _price(launched.ws_url.replace("ws://", "http://", 1) + "/@usage", args.usage_out)
        return 0 if report["ok"] or args.command == "demo" else 1
    finally:
        if launched is not None and await asyncio.to_thread(launched.stop) != 0:
            print(f"The local runtime did not stop cleanly; its log: {launched.log}", file=sys.stderr)


async def _chaos(args: argparse.Namespace, options: Options, stop: asyncio.Event, ws_url: str) -> int:
    """The run with an operator beside the stations, then the checks, and the report."""
    assert options.api_url is not None
    api = OperatorApi(options.api_url, options.token)
    try:
        operator = chaos.Operator(api, plan.tags_of(options.tag_prefix, options.tag_count), options.seed)
        options.beside = operator.run
        outcome = await run(options, stop)
        found = await chaos.checks(api, operator, outcome)
        faults = await asyncio.to_thread(chaos.faults_report, ws_url)
        print(chaos.text(faults, outcome, api, found), flush=True)
        if args.json:
            report = {
                "faults": faults,
                "checks": [vars(check) for check in found],
                "load": build(options, outcome, options.ocpp_url),
            }
            args.json.write_text(json.dumps(report, indent=2) + "\n")
            print(f"Report written to {args.json}")
        return 0 if all(check.ok for check in found) else 1
    finally:
        await api.close()


async def _price(url: str, keep: Path | None) -> None:
    from local.cost.pricing import price

    def fetch() -> dict[str, Any]:
        with urllib.request.urlopen(url, timeout=30) as response:
            usage: dict[str, Any] = json.load(response)
            return usage

    usage = await asyncio.to_thread(fetch)
    if keep is not None:
        keep.write_text(json.dumps(usage, indent=1) + "\n")
        print(f"Count written to {keep}")
    print("\n" + await asyncio.to_thread(price, usage), flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        with contextlib.suppress(KeyboardInterrupt):
            return asyncio.run(main_async(args))
    except ValueError as error:
        print(f"python -m local.fleet: {error}", file=sys.stderr)
        return 2
    return 130
