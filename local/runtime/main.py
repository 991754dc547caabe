"""`python -m local`: the whole CSMS on one machine, no AWS account needed.

Charge points connect to ws://HOST:WS_PORT/ocpp/{chargePointId}; the operator API listens on
http://HOST:HTTP_PORT; DynamoDB is a moto server. The Lambda handlers are the cloud's own,
fed the events API Gateway would send.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import os
import secrets
import signal
import ssl
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

from local.runtime.faults import parse_rates
from local.runtime.files import FILES_PREFIX


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    env = os.environ
    parser = argparse.ArgumentParser(prog="python -m local", description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=env.get("CSMS_LOCAL_HOST", "127.0.0.1"))
    parser.add_argument("--ws-port", type=int, default=int(env.get("CSMS_WS_PORT", "9000")))
    parser.add_argument("--http-port", type=int, default=int(env.get("CSMS_HTTP_PORT", "8000")))
    parser.add_argument(
        "--moto-port", type=int, default=int(env.get("CSMS_MOTO_PORT", "0")), help="0 picks a free port"
    )
    parser.add_argument(
        "--admission",
        choices=("auto-register", "registered"),
        default=env.get("CSMS_ADMISSION", "auto-register"),
        help="auto-register: unknown charge points are registered on first connect",
    )
    parser.add_argument(
        "--idle-timeout", type=float, default=600, help="seconds without a frame before close"
    )
    parser.add_argument(
        "--max-lifetime", type=float, default=7200, help="seconds before any connection is closed"
    )
    parser.add_argument("--max-message-bytes", type=int, default=128 * 1024)
    parser.add_argument(
        "--handshake-timeout",
        type=float,
        default=10,
        help="seconds a connection may take to send its request headers",
    )
    parser.add_argument(
        "--public-url",
        default=env.get("CSMS_PUBLIC_URL"),
        help="the HTTP API's address as charge points reach it, put into firmware and upload locations "
        "(default http://HOST:HTTP_PORT; give a LAN address for charge points on the network)",
    )
    parser.add_argument(
        "--ftp-port",
        type=int,
        default=int(env.get("CSMS_FTP_PORT", "2121")),
        help="the FTP upload target's port (0 picks a free port, -1 turns it off)",
    )
    parser.add_argument(
        "--schedule-period",
        type=float,
        default=None,
        help="run every schedule this often, in seconds (default: each at its own rate)",
    )
    parser.add_argument(
        "--wss-port",
        type=int,
        default=int(env.get("CSMS_WSS_PORT", "9443")),
        help="charge points over TLS, wss:// (security profiles 2 and 3; 0 picks a free port, -1: none)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(env.get("CSMS_DATA_DIR", ".csms")),
        help="where the runtime keeps its CA and certificates (made on first start)",
    )
    parser.add_argument(
        "--tls-cert", type=Path, help="the wss:// listener's certificate (default: made by the local CA)"
    )
    parser.add_argument("--tls-key", type=Path, help="its private key")
    parser.add_argument(
        "--client-ca",
        type=Path,
        action="append",
        default=[],
        help="a CA whose client certificates the wss:// listener accepts, besides the local CA (repeatable)",
    )
    parser.add_argument(
        "--count-usage",
        action="store_true",
        help="tally what each invocation would cost in the cloud, served at /@usage on the "
        "WebSocket port to this machine (for the cost model: python -m local.cost)",
    )
    parser.add_argument(
        "--openadr-credentials",
        action="append",
        default=[c for c in env.get("CSMS_OPENADR_CREDENTIALS", "").split(",") if c],
        metavar="NAME=CLIENT_ID:CLIENT_SECRET",
        help="an OpenADR VTN's client credentials, kept as the secret csms/openadr/NAME that a "
        "site's openadr.credentials names (repeatable; in the cloud, create the secret yourself)",
    )
    parser.add_argument(
        "--contract-provider-token",
        default=env.get("CSMS_CONTRACT_PROVIDER_TOKEN"),
        metavar="TOKEN",
        help="the bearer token of the contract-certificate provider at CSMS_CONTRACT_PROVIDER_URL, "
        "kept as the secret csms/contract-certificate-provider (in the cloud, create it yourself)",
    )
    parser.add_argument(
        "--faults",
        type=parse_rates,
        default=parse_rates(env.get("CSMS_FAULTS", "")),
        metavar="dynamodb=R,post=R,events=R,timeout=R",
        help="inject faults, each a rate between 0 and 1 (local/runtime/faults.py, docs/faults.md); "
        "what was injected is served at /@faults on the WebSocket port to this machine",
    )
    parser.add_argument("--faults-seed", type=int, default=int(env.get("CSMS_FAULTS_SEED", "0")))
    parser.add_argument(
        "--retry-delays",
        type=delays,
        default="60,120",  # local/runtime/bus.py's RETRY_DELAYS_S
        metavar="S,S",
        help="seconds before each retry of a failed asynchronous invocation (reactions, schedules; "
        "default Lambda's, about 60,120)",
    )
    return parser.parse_args(argv)


def delays(text: str) -> tuple[float, ...]:
    try:
        seconds = tuple(float(part) for part in text.split(",") if part)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: seconds, comma-separated") from None
    if any(s < 0 for s in seconds):
        raise argparse.ArgumentTypeError(f"{text!r}: seconds, 0 or more")
    return seconds


def keep_credentials(entries: list[str]) -> list[str]:
    """The secrets the VEN reads, in moto's Secrets Manager; the names kept."""
    from shared.aws.secrets import put_json_secret
    from shared.services.smart_charging.grid import OPENADR_FOLDER

    names = []
    for entry in entries:
        name, _, pair = entry.partition("=")
        client_id, _, client_secret = pair.partition(":")
        if not (name and client_id and client_secret):
            raise SystemExit(f"--openadr-credentials {entry!r}: NAME=CLIENT_ID:CLIENT_SECRET")
        put_json_secret(OPENADR_FOLDER + name, {"clientId": client_id, "clientSecret": client_secret})
        names.append(name)
    return names


def keep_authority(data_dir: Path) -> None:
    """The CSMS's CA, which signs what stations ask for with SignCertificate, is the local CA
    the wss:// listener trusts: a certificate the CSMS issued admits its station (profile 3)."""
    from local.runtime import tls
    from shared.aws.secrets import put_json_secret
    from shared.services.certificates.station_certificates import AUTHORITY_SECRET

    ca = tls.local_ca(data_dir)
    put_json_secret(
        AUTHORITY_SECRET, {"certificate": ca.certificate.read_text(), "key": ca.key.read_text(), "chain": ""}
    )


def configure_environment(args: argparse.Namespace) -> tuple[str, bool]:
    """The variables the CDK stack sets in the cloud, pointed at this machine."""
    from local.runtime.aws import free_port

    token = os.environ.get("CSMS_API_TOKEN") or ""
    generated = not token
    if generated:
        token = secrets.token_urlsafe(24)
    public_url = (args.public_url or f"http://{_reachable(args.host)}:{args.http_port}").rstrip("/")
    if args.wss_port == 0:
        args.wss_port = free_port(args.host)
    if args.ftp_port == 0:
        args.ftp_port = free_port(args.host)
    ftp_host = urlsplit(public_url).hostname or args.host
    os.environ.update(
        {
            "CSMS_PUBLIC_URL": public_url,
            "CSMS_FILES_PUBLIC_ENDPOINT": public_url + FILES_PREFIX,
            "CSMS_FTP_URL": f"ftp://{ftp_host}:{args.ftp_port}" if args.ftp_port > 0 else "",
        }
    )
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": os.environ.get("AWS_ACCESS_KEY_ID", "local"),
            "AWS_SECRET_ACCESS_KEY": os.environ.get("AWS_SECRET_ACCESS_KEY", "local"),
            "AWS_REGION": os.environ.get("AWS_REGION", "eu-west-1"),
            "AWS_DEFAULT_REGION": os.environ.get("AWS_REGION", "eu-west-1"),
            "CSMS_API_TOKEN": token,
            "CSMS_API_AUTH": "token",
            "CSMS_ADMISSION": args.admission,
            # The management API answers this machine only (local/runtime/websocket_api.py).
            "CSMS_CONNECTIONS_ENDPOINT": f"http://127.0.0.1:{args.ws_port}",
            "CSMS_MAX_MESSAGE_BYTES": str(args.max_message_bytes),
            # The stand-ins a station's URLs lead to (responders, CRLs) listen on this machine.
            "CSMS_OUTSIDE_PRIVATE": os.environ.get("CSMS_OUTSIDE_PRIVATE", "true"),
            "CSMS_SOAP_PRIVATE_ENDPOINTS": os.environ.get("CSMS_SOAP_PRIVATE_ENDPOINTS", "true"),
            "POWERTOOLS_METRICS_DISABLED": os.environ.get("POWERTOOLS_METRICS_DISABLED", "true"),
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_LOG_LEVEL": os.environ.get("POWERTOOLS_LOG_LEVEL", "WARNING"),
        }
    )
    return token, generated


async def serve(args: argparse.Namespace, token: str, generated: bool, moto_endpoint: str) -> None:
    from aiohttp import web

    from local.runtime import faults
    from local.runtime.files import ftp_server
    from local.runtime.lambdas import Invoker
    from local.runtime.operator_api import operator_api_app
    from local.runtime.schedules import running
    from local.runtime.usage import UsageCounter
    from local.runtime.websocket_api import Limits, WebSocketApi
    from shared.aws.clients import session
    from shared.manifest import ALL_FUNCTIONS, OCPI, OCPP_SOAP, OPERATOR_API, OPERATOR_AUTHORIZER, UPLOADS
    from shared.settings import get_settings

    counter = UsageCounter() if args.count_usage else None
    # The operator API waits for answers; the SOAP front door for the station a command it
    # sends is posted to (a 1.5 station answers within the exchange).
    invoker = Invoker(counter=counter, waiting=(OPERATOR_API, OCPP_SOAP), faults=faults.active())
    limits = Limits(args.max_message_bytes, args.idle_timeout, args.max_lifetime)
    gateway = WebSocketApi(invoker, limits, public_host=f"{args.host}:{args.ws_port}")
    # Registered before any handler makes its client (a client copies the session's hooks).
    poster = gateway.poster(asyncio.get_running_loop(), get_settings().connections_endpoint or "")
    session().register("before-send.apigatewaymanagementapi.PostToConnection", poster)
    invoker.preload(ALL_FUNCTIONS)
    usage = contextlib.ExitStack()
    if counter is not None:
        usage.enter_context(counter.installed())

    # A charge point's connection that has not sent its handshake's headers within the timeout
    # is closed (aiohttp's keep-alive timer runs from the start of a connection until its first
    # request); the operator API keeps idle connections as long as a web server usually does.
    runners = [
        web.AppRunner(gateway.app(), access_log=None, keepalive_timeout=args.handshake_timeout),
        web.AppRunner(
            operator_api_app(
                invoker,
                OPERATOR_API,
                UPLOADS,
                moto_endpoint,
                get_settings().max_upload_bytes,
                authorizer=OPERATOR_AUTHORIZER,
                soap=OCPP_SOAP,
                ocpi=OCPI,
            ),
            keepalive_timeout=75,
        ),
    ]
    for runner in runners:
        await runner.setup()
    # The bus's rules and the exports' feeders run before the front doors open: an event put on
    # the bus by the first request reaches its targets.
    background = contextlib.AsyncExitStack()
    await background.enter_async_context(
        running(
            invoker, args.schedule_period, exports=args.data_dir / "exports", retry_delays=args.retry_delays
        )
    )
    await web.TCPSite(runners[0], args.host, args.ws_port).start()
    if not _reaches_loopback(args.host):  # the handlers reach the management API on loopback
        await web.TCPSite(runners[0], "127.0.0.1", args.ws_port).start()
    await web.TCPSite(runners[1], args.host, args.http_port).start()
    tls_line = ""
    if args.wss_port > 0:
        context, ca = tls_context(args)
        await web.TCPSite(runners[0], args.host, args.wss_port, ssl_context=context).start()
        tls_line = (
            f"  Over TLS       wss://{args.host}:{args.wss_port}/ocpp/{{chargePointId}}  (profiles 2 and 3: "
            f"trust {ca}; a client certificate: python -m local.runtime.tls client ID)\n"
        )

    base = f"http://{args.host}:{args.http_port}"
    credentials = keep_credentials(args.openadr_credentials)
    keep_authority(args.data_dir)
    if args.contract_provider_token:
        from shared.aws.secrets import put_json_secret
        from shared.services.certificates.plug_and_charge import PROVIDER_SECRET

        put_json_secret(PROVIDER_SECRET, {"token": args.contract_provider_token})
    ftp = contextlib.ExitStack()
    if args.ftp_port > 0:
        ftp.enter_context(ftp_server(args.host, args.ftp_port))
    settings = get_settings()
    print(
        "CSMS local runtime\n"
        f"  Console        {base}/  (sign in with the API token)\n"
        f"  Driver pages   {base}/driver/  (sign in with a driver's key, from POST /drivers)\n"
        f"  Charge points  ws://{args.host}:{args.ws_port}/ocpp/{{chargePointId}}"
        "  (ocpp2.1, ocpp2.0.1, ocpp1.6, ocpp2.0)\n"
        f"  Operator API   {base}  (Swagger UI {base}/docs, OpenAPI {base}/openapi.json)\n"
        + tls_line
        + f"  API token      {token}"
        + ("  (generated; set CSMS_API_TOKEN to choose one)" if generated else "")
        + "\n"
        f"  DynamoDB       {moto_endpoint}  (moto)\n"
        f"  Event bus      {settings.event_bus} on {moto_endpoint}  (moto EventBridge)\n"
        f"  Exports        {args.data_dir / 'exports'}  (ended sessions and the audit trail as JSON lines, "
        "as Firehose writes them to S3)\n"
        f"  Files          {settings.files_bucket} on {moto_endpoint}  (moto S3), presigned as "
        f"{settings.files_public_endpoint}\n"
        f"  Log uploads    {settings.public_url}/uploads/{{token}}"
        + (f", and {settings.ftp_url}" if settings.ftp_url else "")
        + "\n"
        f"  Admission      {args.admission}\n"
        + (f"  OpenADR        credentials {', '.join(credentials)}\n" if credentials else "")
        + (
            f"  Faults         {args.faults}, seed {args.faults_seed}  (counted at /@faults)\n"
            if args.faults.any
            else ""
        )
        + "Ctrl-C stops it.",
        flush=True,
    )

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    print("Stopping...", flush=True)
    await background.aclose()
    await gateway.close_all()
    for runner in runners:
        await runner.cleanup()
    ftp.close()
    invoker.shutdown()
    usage.close()


def tls_context(args: argparse.Namespace) -> tuple[ssl.SSLContext, Path]:
    """The wss:// listener's: the given certificate, or one the local CA makes; client
    certificates from the local CA or a --client-ca verified when presented."""
    from local.runtime import tls

    ca = tls.local_ca(args.data_dir)
    if args.tls_cert and args.tls_key:
        served = tls.Issued(args.tls_cert, args.tls_key)
    else:
        served = tls.server_certificate([_reachable(args.host)], args.data_dir)
    return tls.server_context(served, [ca.certificate, *args.client_ca]), ca.certificate.resolve()


def _reachable(host: str) -> str:
    """The address to hand out for a server bound to `host`."""
    return "127.0.0.1" if host in ("", "0.0.0.0", "::") else host


def _reaches_loopback(host: str) -> bool:
    """Whether a server bound to `host` also answers on 127.0.0.1."""
    if host in ("", "0.0.0.0", "::", "localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Locally metrics are off, so "nothing to publish" is no news.
    warnings.filterwarnings("ignore", "No application metrics to publish")
    from local.runtime import botocore_patches, grants, powertools_patches
    from local.runtime.aws import LocalAws
    from local.runtime.faults import injecting
    from local.runtime.heap import survivors_frozen

    aws = LocalAws("127.0.0.1", args.moto_port)  # this machine only: it holds every table
    aws.start()
    try:
        with (
            injecting(args.faults, args.faults_seed),  # before any botocore session is made
            aws.in_process(passthrough=[f"http://127.0.0.1:{args.ws_port}/"]),
            powertools_patches.applied(),
            botocore_patches.applied(),
            grants.enforced(),
            survivors_frozen(),
        ):
            token, generated = configure_environment(args)
            from shared.settings import SettingsError, get_settings

            try:
                get_settings()  # before anything imports the models, which read the settings too
            except SettingsError as error:
                print(f"Configuration error: {error}", file=sys.stderr)
                return 2
            from local.runtime.aws import create_resources

            create_resources()
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(serve(args, token, generated, aws.endpoint))
    finally:
        aws.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
