"""Which handler serves which route and schedule: read by the CDK stack and the local runtime
alike, so that the two cannot drift."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Function:
    name: str
    handler: str  # module.function
    description: str
    memory_mb: int = 256
    timeout_s: int = 10
    # The use cases it hosts (modules of shared/services/, a package for all of its modules'
    # GRANTS, `module:NAME` for one operation's): it may reach what they declare
    # (shared/grants.py: tables, the bus, connections, files, secrets), and nothing else.
    uses: tuple[str, ...] = ()
    # Traced by X-Ray (it builds a tracer, decision 0017): each sampled invocation is a trace
    # billed, so only a function that records subsegments turns tracing on (decision 0027).
    traced: bool = False


# What hosts use cases by the block: the OCPP router every block charge points talk to (an
# action's handler, the answers to the CSMS's calls), the operator API every block.
STATION_BLOCKS = (
    "answers",
    "authorization",
    "availability",
    "certificates",
    "commands",
    "configuration",
    "der",
    "diagnostics",
    "display_messages",
    "domain_events",
    "firmware_management",
    "local_lists",
    "maintenance",
    "provisioning",
    "remote_control",
    "reservations",
    "security.passwords",
    "security.security_profiles",
    "smart_charging",
    "station_events",
    "station_tenant",
    "tariff_and_cost",
    "transactions",
    "payments.tokens",  # a paid session's id token
    "payments.limits",  # a paid session stopped at its hold
    "payments.terminal",  # a 2.1 terminal's settlement
    "payments.receipts",  # its receipt's address
    "payments.history",  # its PaymentChanged
)
OPERATOR_BLOCKS = (
    *STATION_BLOCKS,
    "soap_stations",
    "accounts",
    "accounts.audit:LISTING",
    "firmware_management.rollouts:LISTING",
    "station_events:LISTING",
    "analytics",
    "drivers",
    "idempotency",
    "payments",
    "roaming.partners",
)
# The operations some of those blocks' modules run only in these hosts (shared/grants.py).
STATION_OPERATIONS = (
    "commands:SENDS",
    "provisioning:CLOSES",  # a renewed connection
    "certificates.plug_and_charge:PROVIDER",
)
OPERATOR_OPERATIONS = (
    "commands:SENDS",
    "provisioning:CLOSES",  # a deregistered station's
    "provisioning:LOOKS",
    "certificates.station_certificates:AUTHORITY",  # the CSMS's root, among the trust anchors
    "certificates.station_certificates:CLOSES",  # a revoked certificate's station
    "firmware_management.firmware:CATALOGUE",
    "diagnostics.logs:DOWNLOADS",
)
# What a command ending without an answer hands its record to (`@answers.ends`): a lost
# connection and a timeout end them.
COMMAND_ENDINGS = ("firmware_management.firmware", "diagnostics.logs", "reservations")

AUTHORIZER = Function(
    "authorizer",
    "functions.authorizer.handler.lambda_handler",
    "Admits charge points at the WebSocket handshake",
    uses=("security.handshake",),
)
CONNECT = Function(
    "connect",
    "functions.connect.handler.lambda_handler",
    "Records a new charge point connection",
    uses=("domain_events", "provisioning", "provisioning:CLOSES"),  # closes an older connection
)
DISCONNECT = Function(
    "disconnect",
    "functions.disconnect.handler.lambda_handler",
    "Records a closed connection",
    uses=("domain_events", "provisioning", "commands", *COMMAND_ENDINGS),
)
# OCPP 1.5 stations POST SOAP envelopes to this path of the HTTP API, without the operators'
# token: a function of its own that answers each in the same exchange (decision 0043).
SOAP_15_PATH = "/ocpp/soap/1.5"
OCPP_SOAP = Function(
    "ocpp-soap",
    "functions.ocpp_router.soap.lambda_handler",
    "Answers OCPP 1.5 stations' SOAP calls",
    256,
    29,
    uses=(*STATION_BLOCKS, "soap_stations", "security.handshake"),
)
# Roaming partners (eMSPs, hubs) call the CSMS's OCPI 2.2.1 interface under this path of the HTTP
# API, without the operators' token: a function of its own that admits each call by the
# partner's OCPI token (decision 0047).
OCPI_PATH = "/ocpi"
OCPI = Function(
    "ocpi",
    "functions.ocpi.handler.lambda_handler",
    "The OCPI 2.2.1 interface roaming partners call",
    512,
    29,
    uses=("roaming", "tariff_and_cost"),
)
# Memory: the smallest size whose cold-start import stays within 1.5 s at its CPU share, with
# room for what the function holds (make cost prints the figures; decision 0027).
OCPP_ROUTER = Function(
    "ocpp-router",
    "functions.ocpp_router.handler.lambda_handler",
    "Validates and dispatches OCPP frames",
    256,
    uses=(*STATION_BLOCKS, *STATION_OPERATIONS),
)
OPERATOR_API = Function(
    "operator-api",
    "functions.operator_api.handler.lambda_handler",
    "The operator HTTP API",
    768,
    29,
    traced=True,
    uses=(*OPERATOR_BLOCKS, *OPERATOR_OPERATIONS),
)
# The operator API's Lambda authorizer: who a request's Authorization header names (API
# Gateway keeps each answer 60 s per header value).
OPERATOR_AUTHORIZER = Function(
    "operator-authorizer",
    "functions.operator_authorizer.handler.lambda_handler",
    "Resolves operator API callers: Cognito tokens and API keys",
    uses=("accounts.principals",),
)
# The operators' user pool's post-authentication trigger: sign-ins kept in the audit trail.
SIGN_INS = Function(
    "sign-ins",
    "functions.sign_ins.handler.lambda_handler",
    "Keeps operators' sign-ins in the audit trail",
    uses=("accounts.audit",),
)
UPLOADS = Function(
    "uploads",
    "functions.uploads.handler.lambda_handler",
    "Takes the diagnostics and log files charge points upload",
    256,
    29,
    uses=("domain_events", "diagnostics.uploads", "diagnostics.uploads:STORES"),
)

# The operator console: static files (the repository's console/ folder) under this path, from
# S3 behind the CloudFront distribution in the cloud and from the HTTP API's port locally, with
# its config.json beside them.
CONSOLE_PATH = "/console/"
# The drivers' pages (the repository's driver/ folder), served alike; the operator API's
# `/driver/...` routes share the prefix, so only the pages' own files are served under it.
DRIVER_PATH = "/driver/"

# The operator API's paths served without a token: its documentation.
OPERATOR_API_PUBLIC_PATHS = frozenset({"/docs", "/openapi.json"})
# ...and, on its own routes, the ad hoc pay page: a driver with no contract and no account pays
# there (AFIR Art. 5). API Gateway routes these without the authorizer.
PAY_PATH = "/pay/"
PAY_ROUTES = (
    ("GET", "/pay/{chargePointId}/{evseId}"),
    ("POST", "/pay/{chargePointId}/{evseId}"),
    ("GET", "/pay/receipts/{paymentId}/{receiptToken}"),
)


def is_public(path: str) -> bool:
    """Whether the operator API serves this path (or route rule) without a token."""
    return path in OPERATOR_API_PUBLIC_PATHS or path.startswith(PAY_PATH)


# On the same HTTP API, without a token (the single-use upload token is in the path): where
# charge points upload files, with PUT or POST, at /uploads/{token} or /uploads/{token}/{file}.
UPLOAD_PATH = "/uploads"
UPLOAD_METHODS = ("PUT", "POST")

# WebSocket route key -> function. Every OCPP frame is a JSON array, which a route selection
# expression cannot look into, so all frames arrive on $default.
WEBSOCKET_ROUTES: dict[str, Function] = {
    "$connect": CONNECT,
    "$default": OCPP_ROUTER,
    "$disconnect": DISCONNECT,
}


@dataclass(frozen=True)
class Schedule:
    name: str
    function: Function
    rate_minutes: int


COMMAND_TIMEOUTS = Function(
    "command-timeouts",
    "functions.command_timeouts.handler.lambda_handler",
    "Times out operator commands that got no answer",
    uses=("domain_events", "commands", "commands:SENDS", *COMMAND_ENDINGS),
)

# With the stack's optional FTP server (context ftpUploads): it lets charge points in with their
# upload tokens, and hands what they put to the log requests.
FTP_IDENTITY = Function(
    "ftp-identity",
    "functions.ftp_identity.handler.lambda_handler",
    "Lets charge points into the FTP upload server with their upload tokens",
    uses=("diagnostics.uploads",),
)
FTP_RECEIVED = Function(
    "ftp-received",
    "functions.ftp_received.handler.lambda_handler",
    "Hands the files charge points put on the FTP server to their log requests",
    512,
    60,
    uses=("domain_events", "diagnostics.uploads", "diagnostics.uploads:FROM_FTP"),
)
FTP_FUNCTIONS: tuple[Function, ...] = (FTP_IDENTITY, FTP_RECEIVED)
# Where that server stores files in the files bucket, each user in a folder of its own.
FTP_INCOMING = "ftp-incoming/"

FIRMWARE_ROLLOUTS = Function(
    "firmware-rollouts",
    "functions.firmware_rollouts.handler.lambda_handler",
    "Sends firmware rollouts' next waves, and pauses those failing too often",
    timeout_s=60,
    uses=(
        "commands",
        "commands:SENDS",
        "firmware_management",
        "firmware_management.firmware:LOCATES",
        "maintenance",
    ),
)

RESERVATION_EXPIRY = Function(
    "reservation-expiry",
    "functions.reservation_expiry.handler.lambda_handler",
    "Ends reservations past their expiry",
    uses=("domain_events", "reservations", "commands"),
)


@dataclass(frozen=True)
class Reaction:
    """A function run on domain events of these types (an EventBridge rule on the bus)."""

    name: str
    function: Function
    detail_types: tuple[str, ...]


SITE_ALLOCATOR = Function(
    "site-allocator",
    "functions.site_allocator.handler.lambda_handler",
    "Shares each site's limit among its charging sessions",
    timeout_s=30,
    uses=("smart_charging.sites", "commands", "commands:SENDS"),
)

SITE_LIMITS = Function(
    "site-limits",
    "functions.site_limits.handler.lambda_handler",
    "Polls sites' OpenADR 3 programs and shares again when a limit or a departure changes",
    timeout_s=50,
    uses=(
        "smart_charging.grid",
        "smart_charging.grid:VTN",
        "smart_charging.sites",
        "commands",
        "commands:SENDS",
    ),
)

CERTIFICATES = Function(
    "certificates",
    "functions.certificates.handler.lambda_handler",
    "Signs stations' certificates, sends them until installed, and asks for renewals",
    timeout_s=60,
    uses=(
        "domain_events",
        "certificates.station_certificates",
        "certificates.station_certificates:AUTHORITY",
        "commands",
        "commands:SENDS",
    ),
)

ANALYTICS = Function(
    "analytics",
    "functions.analytics.handler.lambda_handler",
    "Adds ended sessions and faults to the console's figures, and keeps connectors' status history",
    uses=("analytics",),
)

PAYMENTS = Function(
    "payments",
    "functions.payments.handler.lambda_handler",
    "Captures paid sessions' costs as they end, and lets go holds no session followed",
    timeout_s=30,
    uses=(
        "payments.settlement",
        "payments.providers",
        "payments.history",
        "tariff_and_cost",
        "domain_events",
    ),
)

REACTIONS: tuple[Reaction, ...] = (
    Reaction(
        "site-allocation",
        SITE_ALLOCATOR,
        (
            "SessionStarted",
            "SessionEnded",
            "SiteChanged",
            "EVChargingNeeds",
            "ChargePointBooted",
            "SiteSharesLowered",
        ),
    ),
    Reaction("certificate-signing", CERTIFICATES, ("CertificateRequested",)),
    Reaction("analytics", ANALYTICS, ("SessionEnded", "ConnectorStatusChanged")),
    Reaction("payments", PAYMENTS, ("SessionStarted", "SessionEnded")),
)


# On the audit table's stream: each new entry into the audit export's Firehose stream.
AUDIT_EXPORT = Function(
    "audit-export",
    "functions.audit_export.handler.lambda_handler",
    "Hands each entry the audit trail keeps to the audit export",
    # No table: the stream, which its event source grants.
)


@dataclass(frozen=True)
class Export:
    """What is kept as JSON lines for analysis outside the CSMS: in the cloud a Firehose stream
    into the exports bucket under `prefix`, read by Athena through a Glue table; locally the same
    lines under the data folder. It takes the domain events of `detail_types`, by a rule on the
    bus; or, with `stream_of` (a table's name, as its record declares it), each item the table
    adds, handed to Firehose by `function` from the table's stream (the audit trail, which is
    no domain event: decision 0039)."""

    name: str
    detail_types: tuple[str, ...]
    prefix: str
    stream_of: str = ""
    function: Function | None = None


EXPORTS: tuple[Export, ...] = (
    Export("sessions", ("SessionEnded",), "sessions/"),
    Export("audit", (), "audit/", stream_of="audit", function=AUDIT_EXPORT),
)
# The objects' keys: Hive-style partitions Athena's partition projection reads (the stack's
# Firehose prefix says the same in its own expression language).
EXPORT_PARTITIONS = "year={year}/month={month}/day={day}/"


def export_key(export: Export, moment: datetime) -> str:
    """Where the local runtime writes an event that was put on the bus at this moment."""
    partition = EXPORT_PARTITIONS.format(
        year=f"{moment.year:04d}", month=f"{moment.month:02d}", day=f"{moment.day:02d}"
    )
    return f"{export.prefix}{partition}{export.name}-{moment.hour:02d}.jsonl"


SCHEDULES: tuple[Schedule, ...] = (
    Schedule("command-timeouts", COMMAND_TIMEOUTS, rate_minutes=1),
    Schedule("firmware-rollouts", FIRMWARE_ROLLOUTS, rate_minutes=1),
    Schedule("reservation-expiry", RESERVATION_EXPIRY, rate_minutes=1),
    Schedule("site-limits", SITE_LIMITS, rate_minutes=1),
    Schedule("certificates", CERTIFICATES, rate_minutes=5),
    Schedule("payments", PAYMENTS, rate_minutes=1),
)

# Each once (a function may run on a schedule and on events both).
ALL_FUNCTIONS: tuple[Function, ...] = tuple(
    dict.fromkeys(
        (
            AUTHORIZER,
            *WEBSOCKET_ROUTES.values(),
            OPERATOR_API,
            OPERATOR_AUTHORIZER,
            SIGN_INS,
            UPLOADS,
            OCPP_SOAP,
            OCPI,
            *(schedule.function for schedule in SCHEDULES),
            *(reaction.function for reaction in REACTIONS),
            *(export.function for export in EXPORTS if export.function),
        )
    )
)
