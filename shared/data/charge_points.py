"""Charge point records: registration, boot facts, the live connection, the turn for the one
outstanding CSMS call, and what answers to commands told about the whole station.

Each function notes its DynamoDB cost: the budgets per message are in docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    NumberAttribute,
    NumberSetAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import DeleteError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from shared.data import connectors, tenancy
from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.configuration import ReportPart, ReportProgress
from shared.domain.errors import NotRegistered
from shared.domain.provisioning import UNCHANGED, BootInfo, ChargePoint


class ChargePointRecord(Model):
    """One item per registered charge point: registration, boot facts and its live connection."""

    class Meta(OnDemand, table="charge-points"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    registered_at = UTCDateTimeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    blocked = BooleanAttribute(default=False)
    security_profile = NumberAttribute(null=True)  # absent: 1
    revoked_serials = UnicodeSetAttribute(null=True)  # client certificates that no longer admit it
    # A password rotation (shared.services.security.passwords): the new hash, until the command that sets
    # it is accepted; then the old one, good until the grace period ends.
    pending_password_hash = UnicodeAttribute(null=True)
    pending_password_command = UnicodeAttribute(null=True)
    previous_password_hash = UnicodeAttribute(null=True)
    previous_password_until = UTCDateTimeAttribute(null=True)
    # A profile being raised (shared.services.security.security_profiles): to which, and the command
    # whose acceptance makes it the registration's.
    raising_to = NumberAttribute(null=True)
    raising_command = UnicodeAttribute(null=True)
    # From the latest BootNotification
    vendor = UnicodeAttribute(null=True)
    model = UnicodeAttribute(null=True)
    serial_number = UnicodeAttribute(null=True)
    firmware_version = UnicodeAttribute(null=True)
    iccid = UnicodeAttribute(null=True)
    imsi = UnicodeAttribute(null=True)
    boot_reason = UnicodeAttribute(null=True)
    last_boot_at = UTCDateTimeAttribute(null=True)
    # The current connection, absent while offline
    ocpp_version = UnicodeAttribute(null=True)
    connection_id = UnicodeAttribute(null=True)
    # The connection the current one replaced, as the write that recorded it found it ("": none)
    replaced_connection_id = UnicodeAttribute(null=True)
    connected_at = UTCDateTimeAttribute(null=True)
    disconnected_at = UTCDateTimeAttribute(null=True)
    # The one CSMS call it has not answered yet (OCPP allows one at a time)
    outstanding_command = UnicodeAttribute(null=True)
    # Which parts of its latest device model report (2.x NotifyReport) arrived
    report_request_id = NumberAttribute(null=True)
    report_parts = NumberSetAttribute(null=True)
    report_last_part = NumberAttribute(null=True)
    # When its newest command was made: each new one is made later, so the queue keeps the
    # order commands were stored in, however many arrive at once
    last_command_at = UnicodeAttribute(null=True)
    # What answers to operator commands told us: the latest of each kind
    availability_result = JSONAttribute(null=True)
    reset_result = JSONAttribute(null=True)
    unlock_result = JSONAttribute(null=True)
    local_list_version = NumberAttribute(null=True)
    site_id = UnicodeAttribute(null=True)
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's


def charge_point_of(record: ChargePointRecord) -> ChargePoint:
    return ChargePoint(
        charge_point_id=record.charge_point_id,
        registered_at=record.registered_at,
        blocked=bool(record.blocked),
        password_hash=record.password_hash,
        security_profile=1 if record.security_profile is None else int(record.security_profile),
        revoked_serials=frozenset(record.revoked_serials or ()),
        previous_password_hash=record.previous_password_hash,
        previous_password_until=record.previous_password_until,
        vendor=record.vendor,
        model=record.model,
        serial_number=record.serial_number,
        firmware_version=record.firmware_version,
        iccid=record.iccid,
        imsi=record.imsi,
        boot_reason=record.boot_reason,
        last_boot_at=record.last_boot_at,
        ocpp_version=record.ocpp_version,
        connection_id=record.connection_id,
        connected_at=record.connected_at,
        disconnected_at=record.disconnected_at,
        availability_result=record.availability_result,
        reset_result=record.reset_result,
        unlock_result=record.unlock_result,
        local_list_version=None if record.local_list_version is None else int(record.local_list_version),
        outstanding_command=record.outstanding_command,
        site_id=record.site_id,
        tenant_id=record.tenant_id,
        configuration_report=None
        if record.report_request_id is None
        else ReportProgress(
            int(record.report_request_id),
            frozenset(int(n) for n in record.report_parts or ()),
            None if record.report_last_part is None else int(record.report_last_part),
        ),
    )


def find_charge_point(charge_point_id: str) -> ChargePoint | None:
    """1 read. In a tenant's scope, another tenant's charge point is as if it were not."""
    try:
        record = ChargePointRecord.get(charge_point_id)
    except ChargePointRecord.DoesNotExist:
        return None
    return charge_point_of(record) if tenancy.visible(record.tenant_id) else None


def hidden(charge_point_id: str) -> bool:
    """Whether the charge point is there and another tenant's than the scope's (1 read in a
    tenant's scope, none unscoped): the gate of everything under /charge-points/{id}."""
    return tenancy.hidden(ChargePointRecord, charge_point_id)


def seen_in_scope() -> Callable[[str], bool]:
    """Whether a charge point is the scope's, each read once: a listing names many twice."""
    kept: dict[str, bool] = {}

    def seen(charge_point_id: str) -> bool:
        if charge_point_id not in kept:
            kept[charge_point_id] = not hidden(charge_point_id)
        return kept[charge_point_id]

    return seen


def registered_charge_point(charge_point_id: str) -> ChargePoint:
    """1 read: the charge point, which must be registered (NotRegistered otherwise)."""
    charge_point = find_charge_point(charge_point_id)
    if charge_point is None:
        raise NotRegistered(charge_point_id)
    return charge_point


def record_connection(
    charge_point_id: str, connection_id: str, ocpp_version: str, at: datetime, register: bool
) -> str | None:
    """1 write. With `register`, a charge point seen for the first time is registered. Returns
    the connection this one replaced, if the charge point still had one."""
    record = ChargePointRecord(charge_point_id)
    fields = ChargePointRecord
    actions: list[Action] = [
        # Evaluated on the item as it was: the write itself tells which connection it replaced.
        fields.replaced_connection_id.set(fields.connection_id | ""),
        ChargePointRecord.connection_id.set(connection_id),
        ChargePointRecord.ocpp_version.set(ocpp_version),
        ChargePointRecord.connected_at.set(at),
        ChargePointRecord.registered_at.set(ChargePointRecord.registered_at | at),
    ]
    condition = None if register else ChargePointRecord.charge_point_id.exists()
    try:
        record.update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise
    return record.replaced_connection_id or None


def clear_connection(charge_point_id: str, connection_id: str, at: datetime) -> bool:
    """1 write. Only if that connection is still the current one: after a quick reconnect
    the old connection's disconnect must not mark the new one offline."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[ChargePointRecord.connection_id.remove(), ChargePointRecord.disconnected_at.set(at)],
            condition=ChargePointRecord.connection_id == connection_id,
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def record_boot(charge_point_id: str, boot: BootInfo, at: datetime) -> str | None:
    """1 write; the site the charge point belongs to, read back by the same write."""
    fields = ChargePointRecord
    record = ChargePointRecord(charge_point_id)
    try:
        record.update(
            actions=[
                fields.vendor.set(boot.vendor),
                fields.model.set(boot.model),
                set_or_remove(fields.serial_number, boot.serial_number),
                set_or_remove(fields.firmware_version, boot.firmware_version),
                set_or_remove(fields.iccid, boot.iccid),
                set_or_remove(fields.imsi, boot.imsi),
                set_or_remove(fields.boot_reason, boot.reason),
                fields.last_boot_at.set(at),
            ],
            condition=fields.charge_point_id.exists(),
        )
    except UpdateError as error:
        if condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise
    return record.site_id


def register_charge_point(
    charge_point_id: str,
    at: datetime,
    password_hash: str | None = UNCHANGED,
    blocked: bool | None = None,
    site_id: str | None = UNCHANGED,
    security_profile: int | None = None,
) -> tuple[ChargePoint, bool]:
    """1 write. Creates or updates a registration; returns the record and whether it is new. In a
    tenant's scope a new one becomes the tenant's, and another tenant's is NotRegistered (ids
    are unique across the installation: the WebSocket path is the id)."""
    fields = ChargePointRecord
    actions: list[Action] = [
        fields.registered_at.set(fields.registered_at | at),
        *tenancy.stamp(fields.tenant_id),
    ]
    if security_profile is not None:
        actions.append(ChargePointRecord.security_profile.set(security_profile))
    if password_hash is not UNCHANGED:
        # Set by hand (a leaked one replaced, say): no earlier password stays good.
        actions.append(set_or_remove(ChargePointRecord.password_hash, password_hash))
        actions.append(ChargePointRecord.previous_password_hash.remove())
    if site_id is not UNCHANGED:
        actions.append(set_or_remove(ChargePointRecord.site_id, site_id))
    if blocked is not None:
        actions.append(ChargePointRecord.blocked.set(blocked))
    record = ChargePointRecord(charge_point_id)
    try:  # refreshes `record` from the item as stored
        record.update(actions=actions, condition=tenancy.writable(fields.charge_point_id, fields.tenant_id))
    except UpdateError as error:
        if condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise
    return charge_point_of(record), record.registered_at == at


def awaited_changes(charge_point_id: str) -> tuple[str | None, str | None]:
    """1 read: the commands a password rotation and a profile raise wait for, if any."""
    record = ChargePointRecord.get(
        charge_point_id, attributes_to_get=["charge_point_id", "pending_password_command", "raising_command"]
    )
    return record.pending_password_command, record.raising_command


def set_pending_password(
    charge_point_id: str, password_hash: str, command_id: str, replacing: str | None
) -> bool:
    """1 conditional write: the new password, until the command that sets it is accepted. Only
    while no other rotation is awaited, or the one awaited is `replacing` (settled, not taken):
    two at once would leave the station with a password the CSMS does not hold. False if not."""
    actions: list[Action] = [
        ChargePointRecord.pending_password_hash.set(password_hash),
        ChargePointRecord.pending_password_command.set(command_id),
    ]
    return _await(charge_point_id, ChargePointRecord.pending_password_command, replacing, actions)


def _await(
    charge_point_id: str, awaiting: UnicodeAttribute, replacing: str | None, actions: list[Action]
) -> bool:
    """1 conditional write: a change that will wait for a command's acceptance, made only while
    the change awaited before is still `replacing` (None: none is)."""
    condition = ChargePointRecord.charge_point_id.exists() & (
        awaiting.does_not_exist() if replacing is None else awaiting == replacing
    )
    return _update_if(ChargePointRecord(charge_point_id), actions, condition)


def commit_password(charge_point_id: str, command_id: str, previous_until: datetime) -> bool:
    """1 read, 1 write: the pending password becomes the one, the old one stays good until
    `previous_until`. False when another rotation came since (its command is the pending one)."""
    record = ChargePointRecord.get(charge_point_id)
    if record.pending_password_command != command_id or record.pending_password_hash is None:
        return False
    actions: list[Action] = [
        ChargePointRecord.password_hash.set(record.pending_password_hash),
        set_or_remove(ChargePointRecord.previous_password_hash, record.password_hash),
        ChargePointRecord.previous_password_until.set(previous_until),
        ChargePointRecord.pending_password_hash.remove(),
        ChargePointRecord.pending_password_command.remove(),
    ]
    return _commit_awaited(record, ChargePointRecord.pending_password_command, command_id, actions)


def _commit_awaited(
    record: ChargePointRecord, awaiting: UnicodeAttribute, command_id: str, actions: list[Action]
) -> bool:
    """1 write: a change that waited for a command's acceptance (a password, a profile), made
    only while that command is still the one awaited (another may have come since)."""
    return _update_if(record, actions, awaiting == command_id)


def _update_if(record: ChargePointRecord, actions: list[Action], condition: Condition) -> bool:
    """1 conditional write; False when the condition did not hold."""
    try:
        record.update(actions=actions, condition=condition)
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def revoke_serial(charge_point_id: str, serial: str) -> None:
    """1 write: a client certificate no longer admits the charge point."""
    ChargePointRecord(charge_point_id).update(
        actions=[ChargePointRecord.revoked_serials.add({serial})],
        condition=ChargePointRecord.charge_point_id.exists(),
    )


def set_raising(charge_point_id: str, profile: int, command_id: str, replacing: str | None) -> bool:
    """1 conditional write: the profile it is moving to, until the command that moves it is
    accepted; as a password, only while no other raise is awaited (or it is `replacing`)."""
    actions: list[Action] = [
        ChargePointRecord.raising_to.set(profile),
        ChargePointRecord.raising_command.set(command_id),
    ]
    return _await(charge_point_id, ChargePointRecord.raising_command, replacing, actions)


def commit_raise(charge_point_id: str, command_id: str) -> int | None:
    """1 read, 1 write: the profile being raised to becomes the registration's; None when
    another raise came since, or none is under way."""
    record = ChargePointRecord.get(charge_point_id)
    if record.raising_command != command_id or record.raising_to is None:
        return None
    actions: list[Action] = [
        ChargePointRecord.security_profile.set(record.raising_to),
        ChargePointRecord.raising_to.remove(),
        ChargePointRecord.raising_command.remove(),
    ]
    if not _commit_awaited(record, ChargePointRecord.raising_command, command_id, actions):
        return None
    return int(record.security_profile)


def deregister_charge_point(charge_point_id: str) -> ChargePoint:
    """1 read, 1 write, then its connectors go (a query and a batch delete). Returns the record as
    it was, so that its connection can be closed."""
    try:
        record = ChargePointRecord.get(charge_point_id)
        record.delete(
            condition=tenancy.existing(ChargePointRecord.charge_point_id, ChargePointRecord.tenant_id)
        )
    except ChargePointRecord.DoesNotExist:
        raise NotRegistered(charge_point_id) from None
    except DeleteError as error:
        if condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise
    connectors.delete_connectors_of(charge_point_id)
    return charge_point_of(record)


def list_charge_points(limit: int, next_token: str | None) -> Page[ChargePoint]:
    """One scan page. The token is the last key, opaque to callers. In a tenant's scope the scan
    is filtered: it reads (and pays for) other tenants' items until it has `limit` of its own."""
    start = resume_from(next_token, "charge-points", key_names(ChargePointRecord))
    mine = tenancy.owned(ChargePointRecord.tenant_id)
    results = ChargePointRecord.scan(mine, limit=limit, page_size=limit, last_evaluated_key=start)
    return page_of(results, limit, "charge-points", charge_point_of)


def give_turn_back(charge_point_id: str, command_id: str) -> None:
    """1 write, only if this command holds the turn."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[ChargePointRecord.outstanding_command.remove()],
            condition=ChargePointRecord.outstanding_command == command_id,
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


RESULT_FIELDS = {
    "availability": ChargePointRecord.availability_result,
    "reset": ChargePointRecord.reset_result,
    "unlock": ChargePointRecord.unlock_result,
}


def record_result(charge_point_id: str, kind: str, result: dict[str, Any]) -> None:
    """1 write: the latest answer of this kind (availability, reset, unlock)."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[RESULT_FIELDS[kind].set(result)], condition=ChargePointRecord.charge_point_id.exists()
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def record_report_part(charge_point_id: str, part: ReportPart) -> None:
    """1 write (2 for the first part of another report): which parts of the report arrived.
    Parts are added to a set, so parts arriving at once and resends count right."""
    fields = ChargePointRecord
    last = [fields.report_last_part.set(part.seq_no)] if part.last else []
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[fields.report_parts.add({part.seq_no}), *last],
            condition=fields.report_request_id == part.request_id,
        )
        return
    except UpdateError as error:
        if not condition_failed(error):
            raise
    try:  # another report: its progress starts anew
        ChargePointRecord(charge_point_id).update(
            actions=[
                fields.report_request_id.set(part.request_id),
                fields.report_parts.set({part.seq_no}),
                *(last or [fields.report_last_part.remove()]),
            ],
            condition=fields.charge_point_id.exists(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def set_local_list_version(charge_point_id: str, version: int) -> None:
    """1 write."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[ChargePointRecord.local_list_version.set(version)],
            condition=ChargePointRecord.charge_point_id.exists(),
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise
