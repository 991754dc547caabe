"""Roaming partners and the tokens they call the CSMS with. A partner carries its tenant (the
operator's who made it); a token is kept as its SHA-256 only, one item per token so that a
call's token is found by a strongly consistent read of its key, and the partner's token B
(the CSMS's to call it) is in Secrets Manager, named on the partner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data import tenancy
from shared.data.dynamo import cancelled_by_condition, condition_failed, connection
from shared.data.tables import OnDemand
from shared.domain.accounts import DEFAULT_TENANT
from shared.domain.errors import Conflict, NotFound
from shared.domain.roaming import Partner, PartnerRole, PartnerStatus, TokenKind


class PartnerRecord(Model):
    """An eMSP or hub, what it told at registration, and its current token's hash."""

    class Meta(OnDemand, table="roaming-partners"): ...

    partner_id = UnicodeAttribute(hash_key=True)
    name = UnicodeAttribute()
    country_code = UnicodeAttribute()
    party_id = UnicodeAttribute()
    role = UnicodeAttribute()
    status = UnicodeAttribute()
    token_hash = UnicodeAttribute(null=True)  # the token it calls with now (A, then C)
    versions_url = UnicodeAttribute(null=True)
    endpoints = JSONAttribute(null=True)
    roles = JSONAttribute(null=True)
    token_b_secret = UnicodeAttribute(null=True)
    last_error = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute(null=True)
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's


class PartnerTokenRecord(Model):
    """A token a partner may call with, by its hash: whose it is and which it is."""

    class Meta(OnDemand, table="roaming-tokens"): ...

    token_hash = UnicodeAttribute(hash_key=True)
    partner_id = UnicodeAttribute()
    kind = UnicodeAttribute()


def partner_of(record: PartnerRecord) -> Partner:
    return Partner(
        partner_id=record.partner_id,
        name=record.name,
        country_code=record.country_code,
        party_id=record.party_id,
        role=PartnerRole(record.role),
        status=PartnerStatus(record.status),
        created_at=record.created_at,
        tenant_id=record.tenant_id,
        versions_url=record.versions_url,
        endpoints=tuple(record.endpoints or ()),
        roles=tuple(record.roles or ()),
        token_b_secret=record.token_b_secret,
        last_error=record.last_error,
        updated_at=record.updated_at,
    )


def create_partner(partner: Partner, token_a_hash: str) -> None:
    """2 writes in a transaction: the partner, stamped with the scope's tenant, and its token A."""
    record = PartnerRecord(
        partner.partner_id,
        name=partner.name,
        country_code=partner.country_code,
        party_id=partner.party_id,
        role=partner.role.value,
        status=partner.status.value,
        token_hash=token_a_hash,
        created_at=partner.created_at,
        updated_at=partner.created_at,
        tenant_id=None if tenancy.scope() in (None, DEFAULT_TENANT) else tenancy.scope(),
    )
    with TransactWrite(connection=connection()) as transaction:
        transaction.save(record, condition=PartnerRecord.partner_id.does_not_exist())
        transaction.save(
            PartnerTokenRecord(token_a_hash, partner_id=partner.partner_id, kind=TokenKind.A.value),
            condition=PartnerTokenRecord.token_hash.does_not_exist(),
        )


def find_partner(partner_id: str) -> Partner | None:
    """1 read. In a tenant's scope, another tenant's partner is as if it were not."""
    try:
        record = PartnerRecord.get(partner_id, consistent_read=True)
    except PartnerRecord.DoesNotExist:
        return None
    return partner_of(record) if tenancy.visible(record.tenant_id) else None


def all_partners() -> list[Partner]:
    """1 scan per 1 MB (in a tenant's scope, its own)."""
    found = PartnerRecord.scan(tenancy.owned(PartnerRecord.tenant_id))
    return sorted((partner_of(r) for r in found), key=lambda p: p.created_at)


def partner_by_token(token_hash: str) -> tuple[Partner, TokenKind] | None:
    """2 reads: the token's item, then its partner's (unscoped: the token says whose it is)."""
    try:
        token = PartnerTokenRecord.get(token_hash, consistent_read=True)
        record = PartnerRecord.get(token.partner_id, consistent_read=True)
    except (PartnerTokenRecord.DoesNotExist, PartnerRecord.DoesNotExist):
        return None
    if record.token_hash != token_hash:
        return None  # a token left behind by a change that did not finish
    return partner_of(record), TokenKind(token.kind)


def change_partner(partner_id: str, name: str | None, status: PartnerStatus | None, at: datetime) -> None:
    """1 write, if the partner is there (and the scope's)."""
    fields = PartnerRecord
    actions: list[Any] = [fields.updated_at.set(at)]
    if name is not None:
        actions.append(fields.name.set(name))
    if status is not None:
        actions.append(fields.status.set(status.value))
    try:
        PartnerRecord(partner_id).update(
            actions=actions, condition=tenancy.existing(fields.partner_id, fields.tenant_id)
        )
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound(f"Partner {partner_id}") from error
        raise


def replace_token(
    partner: Partner,
    old_hash: str,
    new_hash: str,
    status: PartnerStatus,
    at: datetime,
    told: dict[str, Any] | None = None,
) -> None:
    """3 writes in a transaction: the old token's item deleted, the new one's put, the partner
    changed to call with it (and what it told at registration, `told`), only if it still calls
    with the old one: of two registrations at once, one wins, the other is a Conflict."""
    fields = PartnerRecord
    actions: list[Any] = [
        fields.token_hash.set(new_hash),
        fields.status.set(status.value),
        fields.updated_at.set(at),
        fields.last_error.remove(),
    ]
    for name, value in (told or {}).items():
        actions.append(getattr(fields, name).set(value))
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.delete(PartnerTokenRecord(old_hash))
            transaction.save(
                PartnerTokenRecord(new_hash, partner_id=partner.partner_id, kind=TokenKind.C.value),
                condition=PartnerTokenRecord.token_hash.does_not_exist(),
            )
            transaction.update(
                PartnerRecord(partner.partner_id), actions, condition=fields.token_hash == old_hash
            )
    except TransactWriteError as error:
        if any(cancelled_by_condition(error)):
            raise Conflict("The partner's credentials changed meanwhile") from error
        raise


def drop_token(partner_id: str, token_hash: str, status: PartnerStatus, at: datetime) -> None:
    """2 writes in a transaction: the token's item deleted and the partner left without one."""
    fields = PartnerRecord
    with TransactWrite(connection=connection()) as transaction:
        transaction.delete(PartnerTokenRecord(token_hash))
        transaction.update(
            PartnerRecord(partner_id),
            [fields.token_hash.remove(), fields.status.set(status.value), fields.updated_at.set(at)],
            condition=fields.token_hash == token_hash,
        )


def record_error(partner_id: str, message: str, at: datetime) -> None:
    """1 write: what last went wrong with the partner, for the operator."""
    fields = PartnerRecord
    PartnerRecord(partner_id).update(
        actions=[fields.last_error.set(message[:500]), fields.updated_at.set(at)]
    )


def delete_partner(partner_id: str) -> None:
    """1 read and up to 2 deletes: the partner (if the scope's) and its token's item."""
    try:
        record = PartnerRecord.get(partner_id, consistent_read=True)
    except PartnerRecord.DoesNotExist:
        raise NotFound(f"Partner {partner_id}") from None
    if not tenancy.visible(record.tenant_id):
        raise NotFound(f"Partner {partner_id}")
    if record.token_hash:
        PartnerTokenRecord(record.token_hash).delete()
    record.delete()
