"""Certificate records: a charge point's signing requests and what it has installed, the trust
anchors operators install, and OCSP answers kept until their next update."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError, PutError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.data.dynamo import condition_failed, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.certificates import CertificateUse, Signing, SigningRequest, SigningStatus
from shared.domain.timestamps import format_timestamp


class _CertificateWork(GlobalSecondaryIndex["CertificateRecord"]):
    """Sparse: signing requests with work left (sign, send, resend), by when it is due."""

    class Meta:
        index_name = "due"
        projection = AllProjection()

    due = UnicodeAttribute(hash_key=True)
    due_at = UnicodeAttribute(range_key=True)


class _CurrentCertificates(GlobalSecondaryIndex["CertificateRecord"]):
    """Sparse: each station's certificate in use, per use, by when it expires (renewals)."""

    class Meta:
        index_name = "current"
        projection = AllProjection()

    current = UnicodeAttribute(hash_key=True)
    not_after_key = UnicodeAttribute(range_key=True)


class CertificateRecord(Model):
    """A charge point's certificates: each signing request (keyed by its CSR, so a resend is the
    same one) with the certificate signed from it and how the station took it; and the latest
    report of what it has installed (GetInstalledCertificateIds)."""

    class Meta(OnDemand, table="certificates"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # csr#<digest> | installed
    use = UnicodeAttribute(null=True)
    status = UnicodeAttribute(null=True)  # shared.domain.certificates.SigningStatus
    subject = UnicodeAttribute(null=True)
    csr = UnicodeAttribute(null=True)
    certificate = UnicodeAttribute(null=True)  # the chain sent, leaf first
    serial = UnicodeAttribute(null=True)
    not_after_key = UnicodeAttribute(null=True)
    command_id = UnicodeAttribute(null=True)  # the latest CertificateSigned
    attempts = NumberAttribute(default=0)
    reason = UnicodeAttribute(null=True)
    due = UnicodeAttribute(null=True)
    due_at = UnicodeAttribute(null=True)
    current = UnicodeAttribute(null=True)
    renewal_asked_at = UTCDateTimeAttribute(null=True)
    report = JSONAttribute(null=True)  # installed: the certificates' hash data by type
    requested_at = UTCDateTimeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()

    work = _CertificateWork()
    in_use = _CurrentCertificates()


class TrustAnchorRecord(Model):
    """A root certificate operators install on stations (CSMS, manufacturer, V2G, MO roots)."""

    class Meta(OnDemand, table="trust-anchors"): ...

    name = UnicodeAttribute(hash_key=True)
    certificate_type = UnicodeAttribute()
    certificate = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


class OcspResponseRecord(Model):
    """An OCSP responder's answer (or a CRL's word) about one certificate, kept until its next
    update (TTL)."""

    class Meta(OnDemand, table="ocsp-responses"): ...

    request_key = UnicodeAttribute(hash_key=True)  # the hash data, source and URL, hashed
    der = UnicodeAttribute(null=True)  # base64, as GetCertificateStatus relays it
    status = UnicodeAttribute()
    next_update = UTCDateTimeAttribute()
    expires_at = TTLAttribute()


_SIGNING = "csr#"
_INSTALLED = "installed"
_DUE = "due"


def record_request(charge_point_id: str, request: SigningRequest, now: datetime) -> tuple[Signing, bool]:
    """1 write (and 1 read for a resend): the request, due to be signed now; and whether it is
    new."""
    record = CertificateRecord(
        charge_point_id,
        _SIGNING + request.digest,
        use=request.use.value,
        status=SigningStatus.REQUESTED.value,
        subject=request.subject,
        csr=request.pem,
        due=_DUE,
        due_at=format_timestamp(now),
        requested_at=now,
        updated_at=now,
    )
    try:
        record.save(condition=CertificateRecord.key.does_not_exist())
    except PutError as error:
        if not condition_failed(error):
            raise
        found = find_signing(charge_point_id, request.digest)
        assert found is not None
        return found, False
    return _signing(record), True


def find_signing(charge_point_id: str, digest: str) -> Signing | None:
    """1 read."""
    try:
        return _signing(CertificateRecord.get(charge_point_id, _SIGNING + digest))
    except CertificateRecord.DoesNotExist:
        return None


def signings_of(charge_point_id: str) -> list[Signing]:
    """1 query: the station's requests, oldest key first."""
    query = CertificateRecord.query(charge_point_id, CertificateRecord.key.startswith(_SIGNING))
    return sorted((_signing(r) for r in query), key=lambda s: s.requested_at)


def mark_signed(signing: Signing, chain: str, serial: str, not_after: datetime, now: datetime) -> bool:
    """1 write, only from requested: two signers racing sign it once."""
    return _update(
        signing,
        CertificateRecord.status == SigningStatus.REQUESTED.value,
        status=SigningStatus.SIGNED.value,
        certificate=chain,
        serial=serial,
        not_after_key=format_timestamp(not_after),
        updated_at=now,
    )


def mark_sent(
    signing: Signing, command_id: str, due_at: datetime, now: datetime, reason: str | None = None
) -> bool:
    """1 write: the CertificateSigned sent, and when to look at its answer (with why the one
    before failed); only while the one sent before (if any) is still the latest, so that one
    failure is resent once."""
    attrs = CertificateRecord
    before = (
        attrs.command_id.does_not_exist()
        if signing.command_id is None
        else attrs.command_id == signing.command_id
    )
    return _update(
        signing,
        (attrs.status == SigningStatus.SIGNED.value) & before,
        command_id=command_id,
        attempts=signing.attempts + 1,
        due_at=format_timestamp(due_at),
        reason=reason,
        updated_at=now,
    )


def mark_accepted(signing: Signing, command_id: str, now: datetime) -> bool:
    """1 write: installed; it is the station's current certificate of its use from now on."""
    return _update(
        signing,
        CertificateRecord.command_id == command_id,
        status=SigningStatus.ACCEPTED.value,
        due=None,
        due_at=None,
        reason=None,
        current=f"{signing.use.value}",
        updated_at=now,
    )


def mark_refused(
    signing: Signing, command_id: str, reason: str, retry_at: datetime | None, now: datetime
) -> bool:
    """1 write: to be sent again at `retry_at`, or failed for good (None)."""
    if retry_at is None:
        return _update(
            signing,
            CertificateRecord.command_id == command_id,
            status=SigningStatus.FAILED.value,
            reason=reason,
            due=None,
            due_at=None,
            updated_at=now,
        )
    return _update(
        signing,
        CertificateRecord.command_id == command_id,
        reason=reason,
        due_at=format_timestamp(retry_at),
        updated_at=now,
    )


def postpone(signing: Signing, due_at: datetime, now: datetime) -> bool:
    """1 write: nothing to do before `due_at` (the station is offline, or its answer pending)."""
    return _update(signing, None, due_at=format_timestamp(due_at), updated_at=now)


def mark_revoked(signing: Signing, now: datetime) -> bool:
    """1 write: revoked, so neither sent again nor renewed."""
    return _update(
        signing, None, status=SigningStatus.REVOKED.value, current=None, due=None, due_at=None, updated_at=now
    )


def retire(signing: Signing, now: datetime) -> bool:
    """1 write: a newer certificate of its use replaced it; no longer renewed."""
    return _update(signing, None, current=None, updated_at=now)


def mark_renewal_asked(signing: Signing, now: datetime) -> bool:
    return _update(signing, None, renewal_asked_at=now, updated_at=now)


def renewal_asked_at(signing: Signing) -> datetime | None:
    """1 read."""
    try:
        return CertificateRecord.get(signing.charge_point_id, _SIGNING + signing.digest).renewal_asked_at
    except CertificateRecord.DoesNotExist:
        return None


def due_work(now: datetime, limit: int) -> list[Signing]:
    """1 query of the sparse work index."""
    query = CertificateRecord.work.query(_DUE, CertificateRecord.due_at <= format_timestamp(now), limit=limit)
    return [_signing(r) for r in query]


def expiring(use: CertificateUse, before: datetime, limit: int) -> list[tuple[Signing, datetime | None]]:
    """1 query: certificates in use that expire before then, with when renewal was last asked."""
    query = CertificateRecord.in_use.query(
        use.value, CertificateRecord.not_after_key <= format_timestamp(before), limit=limit
    )
    return [(_signing(r), r.renewal_asked_at) for r in query]


def record_installed(charge_point_id: str, report: dict[str, Any], now: datetime) -> None:
    """1 write: what the station said it has, by certificate type."""
    CertificateRecord(charge_point_id, _INSTALLED, report=report, updated_at=now).save()


def installed(charge_point_id: str) -> tuple[dict[str, Any] | None, datetime | None]:
    """1 read: the latest report, and when it came."""
    try:
        record = CertificateRecord.get(charge_point_id, _INSTALLED)
    except CertificateRecord.DoesNotExist:
        return None, None
    return record.report, record.updated_at


def _update(signing: Signing, condition: Condition | None, **fields: Any) -> bool:
    record = CertificateRecord(signing.charge_point_id, _SIGNING + signing.digest)
    exists = CertificateRecord.key.exists()
    actions = [set_or_remove(getattr(CertificateRecord, name), value) for name, value in fields.items()]
    try:
        record.update(actions=actions, condition=exists if condition is None else exists & condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def _signing(record: CertificateRecord) -> Signing:
    return Signing(
        charge_point_id=record.charge_point_id,
        digest=record.key.removeprefix(_SIGNING),
        use=CertificateUse(record.use),
        status=SigningStatus(record.status),
        subject=record.subject or "",
        csr=record.csr or "",
        requested_at=record.requested_at or record.updated_at,
        updated_at=record.updated_at,
        certificate=record.certificate,
        serial=record.serial,
        not_after=datetime.fromisoformat(record.not_after_key) if record.not_after_key else None,
        command_id=record.command_id,
        attempts=int(record.attempts or 0),
        reason=record.reason,
        current=record.current is not None,
    )


# --- Trust anchors ------------------------------------------------------------------------------


def put_anchor(name: str, certificate_type: str, certificate: str, now: datetime) -> bool:
    """1 read, 1 write; True when it is new."""
    existed = find_anchor(name) is not None
    TrustAnchorRecord(name, certificate_type=certificate_type, certificate=certificate, updated_at=now).save()
    return not existed


def find_anchor(name: str) -> TrustAnchorRecord | None:
    try:
        return TrustAnchorRecord.get(name)
    except TrustAnchorRecord.DoesNotExist:
        return None


def anchors() -> list[TrustAnchorRecord]:
    """A scan: a handful of roots."""
    return sorted(TrustAnchorRecord.scan(), key=lambda a: a.name)


def delete_anchor(name: str) -> bool:
    try:
        TrustAnchorRecord(name).delete(condition=TrustAnchorRecord.name.exists())
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    return True


# --- OCSP answers -------------------------------------------------------------------------------


def cached_ocsp(request_key: str, now: datetime) -> OcspResponseRecord | None:
    """1 read: a kept answer still before its next update."""
    try:
        record = OcspResponseRecord.get(request_key)
    except OcspResponseRecord.DoesNotExist:
        return None
    return record if now < record.next_update else None


def keep_ocsp(request_key: str, der_b64: str, status: str, next_update: datetime) -> None:
    """1 write; `der_b64` empty for what a CRL said."""
    OcspResponseRecord(
        request_key, der=der_b64 or None, status=status, next_update=next_update, expires_at=next_update
    ).save()
