"""The certificate lifecycle of a charge point (security profile 3, ISO 15118; decision 0028).

1. SignCertificate: the CSR is checked and stored, then answered Accepted (or Rejected, with
   a security event kept). A CertificateRequested event brings the `certificates` function.
2. It signs the CSR with the CSMS's CA and sends CertificateSigned through the command path.
3. The answer settles it: Accepted makes it the station's certificate of that use (and the
   one to renew); Rejected, a CALLERROR or no answer sends it again later, up to
   MAX_ATTEMPTS. The function's schedule finds what is due: a lost event, a resend, an
   offline station.
4. Thirty days before a certificate in use expires, the station is asked for a new CSR
   (TriggerMessage SignChargingStationCertificate; 1.6: ExtendedTriggerMessage), once a day
   until it sends one.

The CA is the secret csms/certificate-authority (certificate, key, chain as PEM): made on first
use unless an operator put their own (sub-)CA there first. Locally the runtime puts its local
CA there, the one its wss:// listener trusts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from shared.aws.event_bus import DomainEvent
from shared.aws.secrets import CERTIFICATE_AUTHORITY as AUTHORITY_SECRET
from shared.aws.secrets import SecretMissing, create_json_secret, json_secret
from shared.data import certificates, charge_points
from shared.domain.certificates import (
    MAX_ATTEMPTS,
    RENEW_BEFORE,
    CertificateUse,
    CsrRejected,
    Facts,
    Installed,
    RootKind,
    Signing,
    SigningRequest,
    SigningStatus,
    retry_after,
)
from shared.domain.client_certificates import serial_hex
from shared.domain.commands import Command, CommandStatus
from shared.domain.errors import BadRequest, CommandRefused, InvalidCertificate, NotConnected, NotFound
from shared.domain.station_events import EventKind, StationEvent
from shared.domain.timestamps import format_timestamp
from shared.grants import grants
from shared.observability import logger, metrics
from shared.protocol.certificates import certificates_codec
from shared.protocol.common import status_reason
from shared.protocol.versions import profile_for
from shared.services import answers, commands
from shared.services.domain_events import publish
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("certificates", "charge-points", "trust-anchors"),
    writes=("certificates", "charge-points", "trust-anchors"),
    indexes=("certificates/current", "certificates/due"),
)
# Signing with the CSMS's CA (made on first use), or with AWS Private CA when the stack has one.
AUTHORITY = grants(secrets=(AUTHORITY_SECRET,), secrets_made=(AUTHORITY_SECRET,), private_ca=True)
# A revoked certificate's station is disconnected.
CLOSES = grants(connections=("close",))

if TYPE_CHECKING:
    from shared.domain.x509 import Authority

AUTHORITY_NAME = "CSMS certificate authority"
# An offline station's certificate is tried again this often.
OFFLINE_RETRY = timedelta(minutes=5)
# A station that has not sent a new CSR is asked again after this long.
RENEWAL_REMINDER = timedelta(days=1)
# Work items and renewals looked at per run of the schedule.
BATCH = 100
CSMS_BUILT_IN_ANCHOR = "csms"


# --- The CA -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def authority() -> Authority:
    """The CSMS's CA, made and kept on first use; cached for the container's life."""
    from shared.domain.timestamps import utc_now
    from shared.domain.x509 import authority_from_pem, authority_to_pem, new_authority

    try:
        return authority_from_pem(json_secret(AUTHORITY_SECRET))
    except SecretMissing:
        pass
    made = new_authority(AUTHORITY_NAME, utc_now())
    if create_json_secret(AUTHORITY_SECRET, authority_to_pem(made)):
        logger.info("Certificate authority created", extra={"secret": AUTHORITY_SECRET})
        return made
    return authority_from_pem(json_secret(AUTHORITY_SECRET))


# --- SignCertificate ------------------------------------------------------------------------


def requested(charge_point_id: str, csr: str, use: CertificateUse, now: datetime) -> str | None:
    """A station's CSR: None when it is stored to be signed, else why it is refused. 1 write
    (and a security event when refused); a resend of the same CSR is the same request."""
    from shared.domain.x509 import check_csr

    try:
        request = check_csr(csr, use, charge_point_id, get_settings().certificate_identity)
    except CsrRejected as error:
        metrics.add_metric(name="CsrRejected", unit="Count", value=1)
        security_event(charge_point_id, "InvalidCsr", str(error), now)
        return str(error)
    signing, new = certificates.record_request(charge_point_id, request, now)
    if new:  # a resend changes nothing; were the event lost, the schedule signs it
        publish(
            DomainEvent.CERTIFICATE_REQUESTED,
            {"charge_point_id": charge_point_id, "request": signing.digest, "use": use.value},
        )
    return None


def sign(charge_point_id: str, digest: str, now: datetime) -> Signing | None:
    """Sign a stored request (once, however many callers race) and send it, unless it was sent
    already: a second delivery of the event sends nothing (resends are the schedule's)."""
    signing = certificates.find_signing(charge_point_id, digest)
    if signing is None:
        return None
    if signing.status is SigningStatus.REQUESTED:
        chain, seen = _signed(signing, now)
        if certificates.mark_signed(signing, chain, seen.serial, seen.not_after, now):
            metrics.add_metric(name="CertificatesSigned", unit="Count", value=1)
            signing = replace(
                signing,
                status=SigningStatus.SIGNED,
                certificate=chain,
                serial=seen.serial,
                not_after=seen.not_after,
            )
        else:
            signing = certificates.find_signing(charge_point_id, digest) or signing
    if signing.status is SigningStatus.SIGNED and signing.command_id is None:
        _send(signing, now)
    return signing


def _signed(signing: Signing, now: datetime) -> tuple[str, Facts]:
    """The chain CertificateSigned carries (leaf first), and the leaf's facts: from AWS Private
    CA where one is configured, else from the CA in Secrets Manager."""
    from shared.domain.x509 import chain_pem, facts, issue, load, without_root

    days = get_settings().certificate_days
    if get_settings().private_ca_arn:
        from shared.aws import private_ca

        leaf, above = private_ca.issue(signing.csr, days, signing.use.v2g, signing.digest)
        return without_root(leaf, above), facts(load(leaf))
    ca = authority()
    certificate = issue(SigningRequest(signing.csr, signing.use, signing.subject, ""), ca, now, days)
    return chain_pem(certificate, ca), facts(certificate)


def _send(signing: Signing, now: datetime, reason: str | None = None) -> bool:
    """CertificateSigned through the command path; an offline station's waits. Whether it went."""
    charge_point = charge_points.find_charge_point(signing.charge_point_id)
    if charge_point is None or not charge_point.connected:
        certificates.postpone(signing, now + OFFLINE_RETRY, now)
        return False
    assert signing.certificate is not None
    intent = certificates_codec(commands.profile_of(charge_point)).certificate_signed(
        signing.certificate, signing.use
    )
    command_id = commands.new_command_id()
    # Looked at again once the command has surely settled, whatever becomes of it.
    look_again = now + timedelta(seconds=get_settings().command_timeout_s + 60)
    if not certificates.mark_sent(signing, command_id, look_again, now, reason):
        return False  # another caller sent it
    try:
        commands.submit_to(charge_point, intent, None, now, command_id)
    except (CommandRefused, NotConnected) as error:  # the schedule finds no command and resends
        logger.warning("CertificateSigned not sent", extra={"reason": str(error)})
        return False
    return True


@answers.keeps("CertificateSigned")
def signed_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """CertificateSigned's answer: installed, or to be sent again later."""
    signing = _signing_of(command)
    if signing is None:
        return
    if response.get("status") == "Accepted":
        _installed(signing, command.command_id, now)
    else:
        _refused(signing, command.command_id, f"the station answered {status_reason(response)}", now)


def _signing_of(command: Command) -> Signing | None:
    for signing in certificates.signings_of(command.charge_point_id):
        if signing.command_id == command.command_id:
            return signing
    return None


def _installed(signing: Signing, command_id: str, now: datetime) -> None:
    if not certificates.mark_accepted(signing, command_id, now):
        return
    for older in certificates.signings_of(signing.charge_point_id):
        if older.current and older.use is signing.use and older.digest != signing.digest:
            certificates.retire(older, now)
    logger.info("Certificate installed", extra={"serial": signing.serial, "use": signing.use.value})
    publish(
        DomainEvent.CERTIFICATE_INSTALLED,
        {
            "charge_point_id": signing.charge_point_id,
            "use": signing.use.value,
            "subject": signing.subject,
            "serial": signing.serial,
            "not_after": signing.not_after,
        },
    )


def _refused(signing: Signing, command_id: str, reason: str, now: datetime) -> None:
    attempts = signing.attempts
    retry_at = now + retry_after(attempts) if attempts < MAX_ATTEMPTS else None
    if not certificates.mark_refused(signing, command_id, reason, retry_at, now):
        return
    metrics.add_metric(name="CertificateSignedFailures", unit="Count", value=1)
    if retry_at is None:
        security_event(
            signing.charge_point_id,
            "CertificateNotInstalled",
            f"certificate {signing.serial} not installed after {attempts} attempts: {reason}",
            now,
        )


# --- The schedule ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepResult:
    signed: int = 0
    resent: int = 0
    renewals_asked: int = 0


def sweep(now: datetime) -> SweepResult:
    """Work that is due (a request not signed yet, a certificate to send again), then the
    renewals. A failure with one item is logged and counted, and the others still go."""
    signed = resent = asked = 0
    for signing in certificates.due_work(now, BATCH):
        try:
            if signing.status is SigningStatus.REQUESTED:
                signed += sign(signing.charge_point_id, signing.digest, now) is not None
            elif signing.status is SigningStatus.SIGNED:
                resent += _look_again(signing, now)
        except Exception:
            logger.exception("Certificate work failed", extra={"request": signing.digest})
            metrics.add_metric(name="CertificateWorkFailures", unit="Count", value=1)
    for use in CertificateUse:
        for signing, asked_at in certificates.expiring(use, now + RENEW_BEFORE, BATCH):
            if asked_at is not None and now - asked_at < RENEWAL_REMINDER:
                continue
            try:
                asked += _ask_renewal(signing, now)
            except Exception:
                logger.exception("Asking for a renewal failed", extra={"request": signing.digest})
                metrics.add_metric(name="CertificateWorkFailures", unit="Count", value=1)
    return SweepResult(signed, resent, asked)


def _look_again(signing: Signing, now: datetime) -> bool:
    """A sent CertificateSigned whose answer should be in: sent again unless it was accepted
    (or is still awaited), up to MAX_ATTEMPTS."""
    from shared.data import commands as stored_commands

    command = stored_commands.find_command(signing.command_id) if signing.command_id else None
    if command is not None and not command.status.final:
        certificates.postpone(signing, now + timedelta(seconds=command.timeout_s), now)
        return False
    answered = command is not None and command.status is CommandStatus.COMPLETED
    if answered and command is not None and (command.response or {}).get("status") == "Accepted":
        _installed(signing, command.command_id, now)  # kept here if keeping it failed then
        return False
    reason = signing.reason
    if command is not None and command.error:
        reason = f"{command.error.get('code')}: {command.error.get('description')}"
    if signing.attempts >= MAX_ATTEMPTS and signing.command_id is not None:
        _refused(signing, signing.command_id, reason or "no answer", now)
        return False
    return _send(signing, now, reason)


def _ask_renewal(signing: Signing, now: datetime) -> bool:
    charge_point = charge_points.find_charge_point(signing.charge_point_id)
    if charge_point is None or not charge_point.connected:
        return False
    intent = certificates_codec(commands.profile_of(charge_point)).renewal_trigger(signing.use)
    if intent is None:
        return False
    certificates.mark_renewal_asked(signing, now)
    commands.submit_to(charge_point, intent, None, now)
    logger.info("Renewal asked", extra={"serial": signing.serial, "not_after": signing.not_after})
    return True


# --- What a station has --------------------------------------------------------------------------


@dataclass(frozen=True)
class Inventory:
    issued: list[Signing]
    installed: list[Installed] | None  # None: never reported
    installed_reported_at: datetime | None


def inventory(charge_point_id: str) -> Inventory:
    """2 reads and 1 query."""
    charge_points.registered_charge_point(charge_point_id)
    report, at = certificates.installed(charge_point_id)
    listed = None
    if report is not None:
        listed = [
            Installed(kind, dict(entry["hashData"]), tuple(entry.get("children") or ()))
            for kind, entries in sorted(report.items())
            for entry in entries
        ]
    return Inventory(list(reversed(certificates.signings_of(charge_point_id))), listed, at)


def refresh(charge_point_id: str, now: datetime) -> list[Command]:
    """Ask the station what it has installed (1.6: one query per root type)."""
    charge_point = commands.connected(charge_point_id)
    queries = certificates_codec(commands.profile_of(charge_point)).installed_certificate_queries()
    return [commands.submit_to(charge_point, query, None, now) for query in queries]


def install(
    charge_point_id: str, kind: RootKind, pem: str | None, anchor: str | None, now: datetime
) -> Command:
    """InstallCertificate of a root: given as PEM, or a trust anchor by name."""
    if (pem is None) == (anchor is None):
        raise BadRequest("Give either certificate (PEM) or trustAnchor (a name), not both")
    if anchor is not None:
        found = trust_anchor(anchor)
        kind, pem = found.kind, found.pem
    assert pem is not None
    _root_facts(pem)
    charge_point = commands.connected(charge_point_id)
    intent = certificates_codec(commands.profile_of(charge_point)).install_certificate(kind, pem)
    return commands.submit_to(charge_point, intent, None, now)


def delete(charge_point_id: str, serial: str, now: datetime) -> Command:
    """DeleteCertificate of one the station reported, named by its serial number (hex)."""
    listed = inventory(charge_point_id).installed or []
    wanted = serial.lower().lstrip("0")
    matches = [i for i in listed if i.hash_data.get("serialNumber", "").lower().lstrip("0") == wanted]
    if not matches:
        raise NotFound(f"Certificate {serial} among those {charge_point_id} reported (refresh them first)")
    charge_point = commands.connected(charge_point_id)
    intent = certificates_codec(commands.profile_of(charge_point)).delete_certificate(matches[0].hash_data)
    return commands.submit_to(charge_point, intent, None, now)


def revoke(charge_point_id: str, serial: str, now: datetime) -> None:
    """A client certificate of the station admits it no longer: kept on its registration (the
    handshake reads it there, no extra read), the certificate the CSMS issued marked, a
    security event kept, and the open connection closed (it may have been made with it)."""
    from shared.aws.connections import connections_at, endpoint_for

    charge_point = charge_points.registered_charge_point(charge_point_id)
    named = serial_hex(serial)
    charge_points.revoke_serial(charge_point_id, named)
    for signing in certificates.signings_of(charge_point_id):
        if signing.serial is not None and serial_hex(signing.serial) == named:
            certificates.mark_revoked(signing, now)
    security_event(charge_point_id, "CertificateRevoked", f"client certificate {named} revoked", now)
    if charge_point.connection_id:
        connections_at(endpoint_for()).close(charge_point.connection_id)


@answers.keeps("GetInstalledCertificateIds")
def installed_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """GetInstalledCertificateIds: what it lists replaces what was known of the types asked."""
    answer = certificates_codec(profile_for(command.ocpp_version)).installed_certificates(command, response)
    if answer is None:
        return
    types, listed = answer
    report, _ = certificates.installed(command.charge_point_id)
    kept: dict[str, Any] = {}
    if types is not None:  # 1.6 asks one type at a time: the others stay as they were
        kept = {kind: entries for kind, entries in (report or {}).items() if kind not in types}
    for kind in types or ():
        kept[kind] = []  # known now, even with none
    for found in listed:
        entry = {"hashData": found.hash_data, "children": list(found.children)}
        kept.setdefault(found.certificate_type, []).append(entry)
    certificates.record_installed(command.charge_point_id, kept, now)


@answers.keeps("InstallCertificate", "DeleteCertificate")
def changed_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """InstallCertificate and DeleteCertificate: the inventory is asked for again when the
    station changed it; a failed installation is a security event."""
    if response.get("status") == "Accepted":
        refresh(command.charge_point_id, now)
    elif command.action == "InstallCertificate":
        security_event(
            command.charge_point_id,
            "CertificateInstallationFailed",
            f"{command.payload.get('certificateType')}: {status_reason(response)}",
            now,
        )


# --- Trust anchors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrustAnchor:
    name: str
    kind: RootKind
    pem: str
    facts: Facts
    built_in: bool = False


def trust_anchors() -> list[TrustAnchor]:
    """The CSMS's own root first (the one its station certificates chain to), then the others."""
    from shared.domain.x509 import facts, load, pem_of, root_of

    if get_settings().private_ca_arn:
        from shared.aws import private_ca

        root = root_of(*private_ca.ca_certificates())
    else:
        root = authority().root
    own = TrustAnchor(CSMS_BUILT_IN_ANCHOR, RootKind.CSMS, pem_of(root), facts(root), built_in=True)
    kept = [
        # As stored: checked when it was put, and listed even if an earlier rule let more in
        TrustAnchor(a.name, RootKind(a.certificate_type), a.certificate, facts(load(a.certificate)))
        for a in certificates.anchors()
    ]
    return [own, *kept]


def trust_anchor(name: str) -> TrustAnchor:
    for anchor in trust_anchors():
        if anchor.name == name:
            return anchor
    raise NotFound(f"Trust anchor {name}")


def put_trust_anchor(name: str, kind: RootKind, pem: str, now: datetime) -> tuple[TrustAnchor, bool]:
    if name == CSMS_BUILT_IN_ANCHOR:
        raise BadRequest(f"{name!r} is the CSMS's own root; choose another name")
    seen = _root_facts(pem)
    created = certificates.put_anchor(name, kind.value, pem.strip() + "\n", now)
    return TrustAnchor(name, kind, pem, seen), created


def delete_trust_anchor(name: str) -> None:
    if name == CSMS_BUILT_IN_ANCHOR or not certificates.delete_anchor(name):
        raise NotFound(f"Trust anchor {name}")


def _root_facts(pem: str) -> Facts:
    """The first certificate's facts, when every certificate of the PEM is a CA's (422 otherwise)."""
    from shared.domain.x509 import ca_certificates, facts

    try:
        return facts(ca_certificates(pem)[0])
    except ValueError as error:
        raise InvalidCertificate(f"certificate must hold CA certificates only: {error}") from None


# --- Security events the CSMS records ---------------------------------------------------------


def security_event(charge_point_id: str, kind: str, detail: str, now: datetime) -> None:
    """Kept with the station's own security events, marked as the CSMS's."""
    from shared.services import station_events  # only when there is one to keep

    at = format_timestamp(now)
    body = {"type": kind, "timestamp": at, "techInfo": detail[:255], "critical": False, "source": "csms"}
    event = StationEvent(EventKind.SECURITY, f"{at}#{kind}", now, body)
    station_events.reported(charge_point_id, event, now)
    logger.warning("Certificate security event", extra={"type": kind, "detail": detail})
