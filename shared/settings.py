"""Settings of every function, typed and read once from the environment.

The CDK stack and the local runtime set the same variables; nothing else reads os.environ.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from types import MappingProxyType
from typing import Literal

from shared.domain.client_certificates import IdentityAttribute

# API Gateway closes a WebSocket connection that is idle for 10 minutes, so a heartbeat
# interval must stay under that with room for a late heartbeat. The default, 540 s, leaves a
# minute: a heartbeat and its answer are most of a quiet station's bill (decision 0027).
GATEWAY_IDLE_TIMEOUT_S = 600
# ...and any connection after two hours.
GATEWAY_MAX_LIFETIME_S = 7200

AdmissionPolicy = Literal["registered", "auto-register"]
ApiAuth = Literal["token", "gateway"]
PaymentProviderName = Literal["local", "stripe"]


def table_variable(suffix: str) -> str:
    """The variable that names a table (the CDK stack sets it to the table it made), from the
    name the table has after CSMS_TABLE_PREFIX when it is unset (locally): charge-points is
    CSMS_CHARGE_POINTS_TABLE. Each record declares that name (shared.data.tables)."""
    return f"CSMS_{suffix.replace('-', '_').upper()}_TABLE"


class SettingsError(ValueError):
    """A setting is missing or out of range; raised at start-up, not on first use."""


@dataclass(frozen=True)
class Settings:
    region: str
    # A table is named by its variable when set (the stack's), else by the prefix and the name
    # its record declares (shared.data.tables): table() says which.
    table_prefix: str
    table_names: Mapping[str, str] = field(hash=False)  # the variables that name tables, as set
    dynamodb_endpoint: str | None
    # The EventBridge bus for domain events, and an endpoint for it locally (moto).
    event_bus: str
    events_endpoint: str | None
    # Management API endpoint; None in the cloud, where each WebSocket event names its own.
    connections_endpoint: str | None
    # The Firehose stream of the audit trail's export (decision 0039).
    audit_export_stream: str
    heartbeat_interval_s: int
    admission: AdmissionPolicy
    # Shared secret the edge adds to every handshake; empty locally (there is no edge).
    origin_secret: str
    # Which attribute of a client certificate's subject names the charge point (profile 3).
    certificate_identity: IdentityAttribute
    # How long the password before a rotation stays good once the station took the new one.
    password_grace_s: int
    api_auth: ApiAuth
    # The bootstrap platform-admin token (locally); empty in the cloud, where there is none.
    api_token: str
    # The operators' Cognito user pool and the app clients whose tokens the operator API takes
    # (the cloud's; None locally, where callers bring the token or an API key).
    user_pool_id: str | None
    user_pool_clients: frozenset[str] = field(hash=False)
    # The drivers' own user pool and its app clients (the drivers' pages), likewise.
    drivers_pool_id: str | None
    drivers_pool_clients: frozenset[str] = field(hash=False)
    max_message_bytes: int
    # How long a command waits for its answer unless the operator says otherwise
    command_timeout_s: int
    # Firmware images and uploaded logs. `files_endpoint`: where S3 is reached (moto locally);
    # `files_public_endpoint`: the address put into presigned URLs, where charge points and
    # operators reach it (locally the runtime's own proxy; None in the cloud: S3 itself).
    files_bucket: str
    files_endpoint: str | None
    files_public_endpoint: str | None
    # The base of the upload locations the CSMS hands out; None: the operator API's own address
    public_url: str | None
    max_upload_bytes: int
    # An FTP server that takes uploads with the same tokens (locally the runtime's; in the cloud
    # the optional Transfer Family server); None: uploads over HTTP only.
    ftp_url: str | None
    # The role the cloud's FTP server writes to the bucket with (its identity function names it)
    ftp_role_arn: str
    # A session's running cost goes to its charge point at most once per interval, and only when
    # it grew by the step since the last one sent.
    cost_update_interval_s: int
    cost_update_step: Decimal
    # Who the CSMS is in OCPI records (CDRs, tariffs): ISO 3166 alpha-2 country and party id.
    ocpi_country_code: str
    # Who issues drivers' receipts: the operator's name, address lines (";" between them in
    # the environment) and VAT id.
    operator_name: str
    operator_address: tuple[str, ...]
    operator_vat_id: str | None
    ocpi_party_id: str
    # The name partners see in the CSMS's OCPI credentials (business_details.name).
    ocpi_business_name: str
    # The CSMS closes each connection itself somewhere in [after, after + spread] seconds after
    # it opened (a moment of its own), before the gateway's cut at two hours would close every
    # connection of a reconnect storm together again (decision 0026). 0: never.
    renew_after_s: int
    renew_spread_s: int
    # Days a certificate the CSMS signs for a station is valid (it is asked to renew 30 before).
    certificate_days: int
    # AWS Private CA signs stations' certificates instead of the key in Secrets Manager.
    private_ca_arn: str | None
    # Where ISO 15118 contract certificates come from (Get15118EVCertificate): a provider's
    # endpoint, with its token in the secret csms/contract-certificate-provider; None: none.
    contract_provider_url: str | None
    # How long the CSMS waits for that provider or an OCSP responder: a station's call must be
    # answered within its own timeout, and the router's 10 s.
    outside_timeout_s: float
    # Whether a URL a station names may lead to a private or loopback address: the local runtime's
    # stand-ins listen on this machine; in the cloud, never (the CSMS is no way into its network).
    outside_private_allowed: bool
    # OCPP 1.5 SOAP stations: how long the CSMS waits for a station's answer to its call, and
    # whether a station's endpoint may be a private or loopback address (stations behind a
    # private APN or VPN, reached from a VPC-attached function; the local runtime's on loopback).
    soap_call_timeout_s: float
    soap_private_endpoints: bool
    # Who holds and moves drivers' money (docs/payments.md): `local`, a test-mode provider whose
    # state is in DynamoDB, or `stripe` (its key and webhook secret in csms/payment-provider).
    payment_provider: PaymentProviderName
    # How long a paid hold waits for its session to start before it is let go.
    payment_start_within_s: int
    # The largest hold a driver may ask for, in the tariff currency's minor units.
    payment_max_hold: int
    # What signs the `local` provider's notifications (Stripe's own is in the secret).
    payment_webhook_secret: str

    @classmethod
    def from_env(cls, env: dict[str, str] | os._Environ[str] = os.environ) -> Settings:
        prefix = env.get("CSMS_TABLE_PREFIX", "csms-")
        interval = _int(env, "CSMS_HEARTBEAT_INTERVAL", 540)
        if not 1 <= interval < GATEWAY_IDLE_TIMEOUT_S:
            raise SettingsError(
                f"CSMS_HEARTBEAT_INTERVAL must be 1..{GATEWAY_IDLE_TIMEOUT_S - 1} s "
                f"(under the gateway's idle timeout), got {interval}"
            )
        admission = env.get("CSMS_ADMISSION", "registered")
        if admission not in ("registered", "auto-register"):
            raise SettingsError(f"CSMS_ADMISSION must be 'registered' or 'auto-register', got {admission!r}")
        api_auth = env.get("CSMS_API_AUTH", "token")
        if api_auth not in ("token", "gateway"):
            raise SettingsError(f"CSMS_API_AUTH must be 'token' or 'gateway', got {api_auth!r}")
        api_token = env.get("CSMS_API_TOKEN", "")
        renew_after = _int(env, "CSMS_RENEW_AFTER", 90 * 60)
        renew_spread = _int(env, "CSMS_RENEW_SPREAD", 20 * 60)
        if (
            renew_after < 0
            or renew_spread < 0
            or renew_after + renew_spread + interval >= GATEWAY_MAX_LIFETIME_S
        ):
            raise SettingsError(
                "CSMS_RENEW_AFTER + CSMS_RENEW_SPREAD + CSMS_HEARTBEAT_INTERVAL must come before the "
                f"gateway's cut at {GATEWAY_MAX_LIFETIME_S} s, and none be negative"
            )
        payment_provider = env.get("CSMS_PAYMENT_PROVIDER", "local")
        if payment_provider not in ("local", "stripe"):
            raise SettingsError(
                f"CSMS_PAYMENT_PROVIDER must be 'local' or 'stripe', got {payment_provider!r}"
            )
        start_within = _int(env, "CSMS_PAYMENT_START_WITHIN", 180)
        max_hold = _int(env, "CSMS_PAYMENT_MAX_HOLD", 30000)
        if start_within < 1 or max_hold < 1:
            raise SettingsError("CSMS_PAYMENT_START_WITHIN and CSMS_PAYMENT_MAX_HOLD must be 1 or more")
        return cls(
            region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "eu-west-1",
            table_prefix=prefix,
            table_names=MappingProxyType(
                {
                    name: value
                    for name, value in env.items()
                    if name.startswith("CSMS_") and name.endswith("_TABLE")
                }
            ),
            dynamodb_endpoint=env.get("CSMS_DYNAMODB_ENDPOINT") or None,
            event_bus=env.get("CSMS_EVENT_BUS", f"{prefix}events"),
            events_endpoint=env.get("CSMS_EVENTS_ENDPOINT") or None,
            connections_endpoint=env.get("CSMS_CONNECTIONS_ENDPOINT") or None,
            audit_export_stream=env.get("CSMS_AUDIT_EXPORT_STREAM", f"{prefix}audit"),
            heartbeat_interval_s=interval,
            admission=admission,  # type: ignore[arg-type]
            origin_secret=env.get("CSMS_ORIGIN_SECRET", ""),
            certificate_identity=_certificate_identity(env.get("CSMS_CERTIFICATE_IDENTITY", "CN")),
            password_grace_s=_int(env, "CSMS_PASSWORD_GRACE", 86400),
            api_auth=api_auth,  # type: ignore[arg-type]
            api_token=api_token,
            user_pool_id=env.get("CSMS_USER_POOL_ID") or None,
            user_pool_clients=frozenset(filter(None, env.get("CSMS_USER_POOL_CLIENTS", "").split(","))),
            drivers_pool_id=env.get("CSMS_DRIVERS_POOL_ID") or None,
            drivers_pool_clients=frozenset(filter(None, env.get("CSMS_DRIVERS_POOL_CLIENTS", "").split(","))),
            max_message_bytes=_int(env, "CSMS_MAX_MESSAGE_BYTES", 128 * 1024),
            command_timeout_s=_int(env, "CSMS_COMMAND_TIMEOUT", 30),
            files_bucket=env.get("CSMS_FILES_BUCKET", f"{prefix}files"),
            files_endpoint=env.get("CSMS_FILES_ENDPOINT") or None,
            files_public_endpoint=env.get("CSMS_FILES_PUBLIC_ENDPOINT") or None,
            public_url=(env.get("CSMS_PUBLIC_URL") or "").rstrip("/") or None,
            # A Lambda request carries 6 MB at most, base64 included.
            max_upload_bytes=_int(env, "CSMS_MAX_UPLOAD_BYTES", 4 * 1024 * 1024),
            ftp_url=(env.get("CSMS_FTP_URL") or "").rstrip("/") or None,
            ftp_role_arn=env.get("CSMS_FTP_ROLE_ARN", ""),
            cost_update_interval_s=_int(env, "CSMS_COST_UPDATE_INTERVAL", 60),
            cost_update_step=_decimal(env, "CSMS_COST_UPDATE_STEP", Decimal("0.01")),
            ocpi_country_code=env.get("CSMS_OCPI_COUNTRY_CODE", "NL")[:2].upper(),
            operator_name=env.get("CSMS_OPERATOR_NAME", "Charge point operator"),
            operator_address=tuple(
                line.strip() for line in env.get("CSMS_OPERATOR_ADDRESS", "").split(";") if line.strip()
            ),
            operator_vat_id=env.get("CSMS_OPERATOR_VAT_ID") or None,
            ocpi_party_id=env.get("CSMS_OCPI_PARTY_ID", "CSM")[:3].upper(),
            ocpi_business_name=env.get("CSMS_OCPI_BUSINESS_NAME", "CSMS")[:100],
            renew_after_s=renew_after,
            renew_spread_s=renew_spread,
            certificate_days=_int(env, "CSMS_CERTIFICATE_DAYS", 365),
            private_ca_arn=env.get("CSMS_PRIVATE_CA_ARN") or None,
            contract_provider_url=env.get("CSMS_CONTRACT_PROVIDER_URL") or None,
            outside_timeout_s=float(_int(env, "CSMS_OUTSIDE_TIMEOUT", 5)),
            outside_private_allowed=env.get("CSMS_OUTSIDE_PRIVATE", "false").lower() == "true",
            soap_call_timeout_s=float(_int(env, "CSMS_SOAP_CALL_TIMEOUT", 10)),
            soap_private_endpoints=env.get("CSMS_SOAP_PRIVATE_ENDPOINTS", "false").lower() == "true",
            payment_provider=payment_provider,  # type: ignore[arg-type]
            payment_start_within_s=start_within,
            payment_max_hold=max_hold,
            payment_webhook_secret=env.get("CSMS_PAYMENT_WEBHOOK_SECRET", "whsec_local"),
        )

    def table(self, suffix: str) -> str:
        """A table's name here: its variable's value, or the prefix and the declared suffix."""
        return self.table_names.get(table_variable(suffix), f"{self.table_prefix}{suffix}")

    def require_api_token(self) -> None:
        """The operator API's own check, at its cold start: token auth needs a real token."""
        if self.api_auth == "token" and len(self.api_token) < 16:
            raise SettingsError("CSMS_API_TOKEN must be set (16 characters or more) when CSMS_API_AUTH=token")


def _int(env: dict[str, str] | os._Environ[str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _decimal(env: dict[str, str] | os._Environ[str], name: str, default: Decimal) -> Decimal:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise SettingsError(f"{name} must be a number of 0 or more, got {raw!r}")
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()


def _certificate_identity(value: str) -> IdentityAttribute:
    try:
        return IdentityAttribute(value)
    except ValueError:
        raise SettingsError(f"CSMS_CERTIFICATE_IDENTITY must be CN or serialNumber, got {value!r}") from None
