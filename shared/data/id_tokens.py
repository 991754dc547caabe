"""The authorization list: id tokens the operator manages and the CSMS answers from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import Page, condition_failed, key_names, page_of, read, resume_from, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.authorization import AuthorizationStatus, TokenEntry
from shared.domain.drivers import LinkedCard
from shared.domain.errors import Conflict, NotFound


class _ByDriver(GlobalSecondaryIndex["IdTokenRecord"]):
    """Sparse: the cards linked to a driver's account."""

    class Meta:
        index_name = "by-driver"
        projection = AllProjection()

    driver_id = UnicodeAttribute(hash_key=True)


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
    # The driver's account the card is linked to, since when; and a link a driver asked for,
    # made when the card is next presented before `pending_until` (shared.domain.drivers).
    driver_id = UnicodeAttribute(null=True)
    linked_at = UTCDateTimeAttribute(null=True)
    pending_driver_id = UnicodeAttribute(null=True)
    pending_until = UTCDateTimeAttribute(null=True)
    by_driver = _ByDriver()


def entry_of(record: IdTokenRecord) -> TokenEntry:
    return TokenEntry(
        id_token=record.id_token,
        status=AuthorizationStatus(record.status),
        token_type=record.token_type,
        expiry_date=record.expiry_date,
        parent_id_token=record.parent_id_token,
        driver_id=record.driver_id,
        pending_driver_id=record.pending_driver_id,
        pending_until=record.pending_until,
        tenant_id=record.tenant_id,
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


# --- Cards linked to drivers' accounts -------------------------------------------------------


def _card_update(id_token: str, condition: Any, *actions: Any) -> None:
    """1 write to a card the scope may see; NotFound where it is not there, Conflict where the
    condition on its driver does not hold."""
    fields = IdTokenRecord
    there = tenancy.existing(fields.id_token, fields.tenant_id)
    try:
        IdTokenRecord(id_token).update(actions=list(actions), condition=there & condition)
    except UpdateError as error:
        if not condition_failed(error):
            raise
        if find_id_token(id_token) is None:
            raise NotFound(f"Id token {id_token}") from error
        raise Conflict(f"Id token {id_token} is linked to another driver's account") from error


def link_card(id_token: str, driver_id: str, at: datetime) -> None:
    """Links the card to the driver (from now: its earlier sessions stay its earlier holder's),
    unless another driver holds it. Linking it again to the same driver changes nothing."""
    fields = IdTokenRecord
    free = fields.driver_id.does_not_exist()
    _card_update(
        id_token,
        free | (fields.driver_id == driver_id),
        fields.driver_id.set(driver_id),
        fields.linked_at.set(fields.linked_at | at),
        fields.pending_driver_id.remove(),
        fields.pending_until.remove(),
    )


def ask_link(id_token: str, driver_id: str, until: datetime) -> None:
    """Marks the card as asked for by the driver until `until`; Conflict if another holds it."""
    fields = IdTokenRecord
    free = fields.driver_id.does_not_exist()
    _card_update(
        id_token,
        free | (fields.driver_id == driver_id),
        fields.pending_driver_id.set(driver_id),
        fields.pending_until.set(until),
    )


def drop_ask(id_token: str, driver_id: str) -> None:
    """1 conditional write: the driver's request for the card is withdrawn (if it still is)."""
    fields = IdTokenRecord
    try:
        IdTokenRecord(id_token).update(
            actions=[fields.pending_driver_id.remove(), fields.pending_until.remove()],
            condition=fields.pending_driver_id == driver_id,
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def confirm_link(id_token: str, driver_id: str, at: datetime) -> bool:
    """The card was presented while the driver's request waited: 1 conditional write, which
    links it only if that request is still the card's and the card still nobody's."""
    fields = IdTokenRecord
    try:
        IdTokenRecord(id_token).update(
            actions=[
                fields.driver_id.set(driver_id),
                fields.linked_at.set(at),
                fields.pending_driver_id.remove(),
                fields.pending_until.remove(),
            ],
            condition=(fields.pending_driver_id == driver_id)
            & (fields.pending_until > at)
            & fields.driver_id.does_not_exist(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def unlink_card(id_token: str, driver_id: str) -> None:
    """NotFound unless the card is linked to this driver."""
    fields = IdTokenRecord
    try:
        IdTokenRecord(id_token).update(
            actions=[fields.driver_id.remove(), fields.linked_at.remove()],
            condition=tenancy.existing(fields.id_token, fields.tenant_id) & (fields.driver_id == driver_id),
        )
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound(f"Id token {id_token} of this driver") from error
        raise


def cards_of(driver_id: str) -> list[LinkedCard]:
    """1 query of the sparse index: the cards linked to the driver."""
    return read(
        IdTokenRecord.by_driver.query(driver_id),
        lambda record: LinkedCard(record.id_token, record.status, record.linked_at),
    )
