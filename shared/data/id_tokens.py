"""The authorization list: id tokens the operator manages and the CSMS answers from."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError, UpdateError
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.authorization import AuthorizationStatus, TokenEntry
from shared.domain.errors import NotFound


class IdTokenRecord(Model):
    """One entry of the authorization list the operator manages."""

    class Meta(OnDemand, table="id-tokens"): ...

    id_token = UnicodeAttribute(hash_key=True)
    status = UnicodeAttribute()
    token_type = UnicodeAttribute(null=True)  # OCPP 2.x IdTokenEnumType; None matches any
    expiry_date = UTCDateTimeAttribute(null=True)
    parent_id_token = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()
    updated_at = UTCDateTimeAttribute()
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's


def entry_of(record: IdTokenRecord) -> TokenEntry:
    return TokenEntry(
        id_token=record.id_token,
        status=AuthorizationStatus(record.status),
        token_type=record.token_type,
        expiry_date=record.expiry_date,
        parent_id_token=record.parent_id_token,
    )


def find_id_token(id_token: str) -> TokenEntry | None:
    """1 read. In a tenant's scope, another tenant's token is as if it were not."""
    try:
        record = IdTokenRecord.get(id_token)
    except IdTokenRecord.DoesNotExist:
        return None
    return entry_of(record) if tenancy.visible(record.tenant_id) else None


def put_id_token(entry: TokenEntry, at: datetime) -> bool:
    """1 write, replacing the entry's fields. Returns whether it is new. Token values are unique
    across tenants: another tenant's is NotFound in a tenant's scope."""
    record = IdTokenRecord(entry.id_token)
    try:
        _replace(record, entry, at)
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound(f"Id token {entry.id_token}") from error
        raise
    return record.created_at == at


def _replace(record: IdTokenRecord, entry: TokenEntry, at: datetime) -> None:
    fields = IdTokenRecord
    record.update(
        condition=tenancy.writable(fields.id_token, fields.tenant_id),
        actions=[
            fields.status.set(entry.status.value),
            set_or_remove(fields.token_type, entry.token_type),
            set_or_remove(fields.expiry_date, entry.expiry_date),
            set_or_remove(fields.parent_id_token, entry.parent_id_token),
            fields.created_at.set(fields.created_at | at),
            fields.updated_at.set(at),
            *tenancy.stamp(fields.tenant_id),
        ],
    )


def delete_id_token(id_token: str) -> bool:
    """1 write. Whether there was such a token."""
    try:
        IdTokenRecord(id_token).delete(
            condition=tenancy.existing(IdTokenRecord.id_token, IdTokenRecord.tenant_id)
        )
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    return True


def list_id_tokens(limit: int, next_token: str | None) -> Page[TokenEntry]:
    """One scan page; in a tenant's scope filtered (it reads, and pays for, other tenants' tokens
    until it has `limit` of its own)."""
    start = resume_from(next_token, "id-tokens", key_names(IdTokenRecord))
    mine = tenancy.owned(IdTokenRecord.tenant_id)
    results = IdTokenRecord.scan(mine, limit=limit, page_size=limit, last_evaluated_key=start)
    return page_of(results, limit, "id-tokens", entry_of)
