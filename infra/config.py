"""The stack's settings, from CDK context (`cdk deploy -c key=value` or cdk.json), with the
defaults an operator gets without saying anything. Function settings are checked by the same
code the functions run, at synth time rather than at the first cold start."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from aws_cdk import aws_logs as logs
from constructs import Construct

from shared.settings import Settings, SettingsError

RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    3: logs.RetentionDays.THREE_DAYS,
    7: logs.RetentionDays.ONE_WEEK,
    14: logs.RetentionDays.TWO_WEEKS,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    180: logs.RetentionDays.SIX_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


@dataclass(frozen=True)
class StackConfig:
    # The WebSocket API's stage (part of the origin path only: charge points never see it).
    stage_name: str = "ocpp"
    # Seconds; BootNotification's interval. Under API Gateway's 10-minute idle timeout.
    heartbeat_interval: int = 540
    # "registered": only charge points registered through the API may connect.
    admission: str = "registered"
    # Seconds an operator command waits for its answer unless the request says otherwise.
    command_timeout: int = 30
    # Charge points' host name (a CNAME to the distribution) and its ACM certificate in us-east-1.
    domain_name: str | None = None
    certificate_arn: str | None = None
    # A CloudFront trust store for viewer mTLS (Security Profile 3), and "required" or "optional".
    trust_store_id: str | None = None
    viewer_mtls: str = "optional"
    # Which attribute of a client certificate's subject names the charge point: CN or serialNumber.
    certificate_identity: str = "CN"
    # Days a certificate the CSMS signs for a station (SignCertificate) is valid.
    certificate_days: int = 365
    # AWS Private CA signs stations' certificates (its key never leaves it) instead of the CA
    # the functions keep in Secrets Manager: arn:aws:acm-pca:REGION:ACCOUNT:certificate-authority/ID
    private_ca_arn: str | None = None
    # An ISO 15118 contract-certificate provider's endpoint (Get15118EVCertificate); its token
    # goes in the secret csms/contract-certificate-provider. None: answered Failed.
    contract_provider_url: str | None = None
    # Accept plain ws:// at the edge (Security Profile 1). Off: wss:// only.
    allow_unencrypted: bool = False
    # Operators' browser origins for CORS on the HTTP API.
    cors_origins: tuple[str, ...] = ("*",)
    # The Cognito hosted domain's prefix (unique in the region); default: <stack>-<account>.
    auth_domain_prefix: str | None = None
    # Requests per second (steady, burst) per API stage.
    api_rate_limit: int = 50
    api_burst_limit: int = 100
    ocpp_rate_limit: int = 1000
    ocpp_burst_limit: int = 2000
    # Where alarms are e-mailed, if anywhere (they always go to the SNS topic).
    alarm_email: str | None = None
    # Refused or unauthorized handshakes in 5 minutes that raise the alarm.
    denied_handshakes_alarm: int = 50
    log_retention_days: int = 30
    # Days AWS Backup keeps each daily backup of the durable tables (point-in-time recovery
    # covers the last 35 days besides, to the second).
    backup_days: int = 35
    # Days the diagnostics and log files charge points upload are kept.
    uploaded_log_days: int = 365
    # The optional FTP upload server (AWS Transfer Family, billed by the hour): off by default.
    # It lives in a VPC; `ftpHost` is the name or address charge points reach it at (a VPN, a
    # private APN), put into the locations they are given; `ftpAllowedCidr` may connect.
    ftp_uploads: bool = False
    ftp_host: str | None = None
    ftp_allowed_cidr: str = "10.0.0.0/8"
    log_level: str = "INFO"
    # X-Ray active tracing on every function, not only where the manifest says (`traced`): each
    # sampled invocation is a trace billed, about +$0.009 a quiet charge point-month (README, Cost).
    tracing: bool = False
    # Multi-factor authentication (TOTP) required in both user pools, operators' and drivers';
    # off, each user may turn it on.
    mfa_required: bool = False
    # Create the account-wide role API Gateway needs to write WebSocket logs. Turn off when the
    # account already has one (it is a per-region account setting).
    gateway_logging_role: bool = True
    # Who holds and moves drivers' money: "local" (a test mode kept in DynamoDB) or "stripe" (its
    # key and webhook secret in the secret csms/payment-provider). docs/payments.md.
    payment_provider: str = "local"

    @classmethod
    def from_context(cls, scope: Construct) -> StackConfig:
        values: dict[str, Any] = {}
        for field in fields(cls):
            key = _camel(field.name)
            raw = scope.node.try_get_context(key)
            if raw is None:
                continue
            values[field.name] = _coerce(key, raw, field.default)
        config = cls(**values)
        config.check()
        return config

    def check(self) -> None:
        if self.viewer_mtls not in ("required", "optional"):
            raise SettingsError(f"viewerMtls must be 'required' or 'optional', got {self.viewer_mtls!r}")
        if self.log_retention_days not in RETENTION:
            raise SettingsError(
                f"logRetentionDays must be one of {sorted(RETENTION)}, got {self.log_retention_days}"
            )
        if self.backup_days < 1:
            raise SettingsError(f"backupDays must be 1 or more, got {self.backup_days}")
        if bool(self.domain_name) != bool(self.certificate_arn):
            raise SettingsError("domainName and certificateArn go together")
        if self.private_ca_arn and not self.private_ca_arn.startswith("arn:aws:acm-pca:"):
            raise SettingsError(f"privateCaArn must be an AWS Private CA's ARN, got {self.private_ca_arn!r}")
        if self.ftp_uploads and not self.ftp_host:
            raise SettingsError("ftpUploads needs ftpHost: where charge points reach the FTP server")
        Settings.from_env(self.function_environment())

    def log_retention(self) -> logs.RetentionDays:
        return RETENTION[self.log_retention_days]

    def function_environment(self) -> dict[str, str]:
        """What every function reads, besides the names of the resources the stack makes."""
        return {
            "CSMS_HEARTBEAT_INTERVAL": str(self.heartbeat_interval),
            "CSMS_ADMISSION": self.admission,
            "CSMS_COMMAND_TIMEOUT": str(self.command_timeout),
            "CSMS_CERTIFICATE_IDENTITY": self.certificate_identity,
            "CSMS_CERTIFICATE_DAYS": str(self.certificate_days),
            "CSMS_PAYMENT_PROVIDER": self.payment_provider,
            **{
                variable: value
                for variable, value in (
                    ("CSMS_CONTRACT_PROVIDER_URL", self.contract_provider_url),
                    ("CSMS_PRIVATE_CA_ARN", self.private_ca_arn),
                )
                if value
            },
            "POWERTOOLS_LOG_LEVEL": self.log_level,
        }


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def _coerce(key: str, raw: Any, default: Any) -> Any:
    """Context given on the command line arrives as text."""
    if isinstance(default, bool):
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "false"):
            return str(raw).lower() == "true"
        raise SettingsError(f"{key} must be true or false, got {raw!r}")
    if isinstance(default, int):
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise SettingsError(f"{key} must be a whole number, got {raw!r}") from None
    if isinstance(default, tuple):
        return tuple(raw) if isinstance(raw, list) else tuple(s.strip() for s in str(raw).split(","))
    return str(raw)
