"""All data access, under names that speak the domain. No caller builds a DynamoDB key.

Each function notes what it costs, because DESIGN.md budgets reads and writes per message.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, UpdateError

from shared.data.common import BadPageToken, NotRegistered, Page, page_of, resume_from
from shared.data.common import condition_failed as _condition_failed
from shared.data.common import set_or_remove as _set_or_remove
from shared.data.models import ChargePointRecord, ConnectorRecord
from shared.domain.charge_points import BootInfo, ConnectorStatusReport

__all__ = ["BadPageToken", "NotRegistered", "Page"]


# --- Charge points -----------------------------------------------------------------------


def find_charge_point(charge_point_id: str) -> ChargePointRecord | None:
    """1 read."""
    try:
        return ChargePointRecord.get(charge_point_id)
    except ChargePointRecord.DoesNotExist:
        return None


def record_connection(
    charge_point_id: str, connection_id: str, ocpp_version: str, at: datetime, register: bool
) -> None:
    """1 write. With `register`, a charge point seen for the first time is registered."""
    record = ChargePointRecord(charge_point_id)
    actions = [
        ChargePointRecord.connection_id.set(connection_id),
        ChargePointRecord.ocpp_version.set(ocpp_version),
        ChargePointRecord.connected_at.set(at),
        ChargePointRecord.registered_at.set(ChargePointRecord.registered_at | at),
    ]
    condition = None if register else ChargePointRecord.charge_point_id.exists()
    try:
        record.update(actions=actions, condition=condition)
    except UpdateError as error:
        if _condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise


def clear_connection(charge_point_id: str, connection_id: str, at: datetime) -> bool:
    """1 write. Only if that connection is still the current one: after a quick reconnect
    the old connection's disconnect must not mark the new one offline."""
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[ChargePointRecord.connection_id.remove(), ChargePointRecord.disconnected_at.set(at)],
            condition=ChargePointRecord.connection_id == connection_id,
        )
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def record_boot(charge_point_id: str, boot: BootInfo, at: datetime) -> None:
    """1 write."""
    fields = ChargePointRecord
    try:
        ChargePointRecord(charge_point_id).update(
            actions=[
                fields.vendor.set(boot.vendor),
                fields.model.set(boot.model),
                _set_or_remove(fields.serial_number, boot.serial_number),
                _set_or_remove(fields.firmware_version, boot.firmware_version),
                _set_or_remove(fields.iccid, boot.iccid),
                _set_or_remove(fields.imsi, boot.imsi),
                _set_or_remove(fields.boot_reason, boot.reason),
                fields.last_boot_at.set(at),
            ],
            condition=fields.charge_point_id.exists(),
        )
    except UpdateError as error:
        if _condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise


KEEP: Any = object()
"""Passed as a password hash: leave the stored one as it is."""


def register_charge_point(
    charge_point_id: str, at: datetime, password_hash: str | None = KEEP, blocked: bool | None = None
) -> tuple[ChargePointRecord, bool]:
    """1 write. Creates or updates a registration; returns the record and whether it is new."""
    actions = [ChargePointRecord.registered_at.set(ChargePointRecord.registered_at | at)]
    if password_hash is not KEEP:
        actions.append(_set_or_remove(ChargePointRecord.password_hash, password_hash))
    if blocked is not None:
        actions.append(ChargePointRecord.blocked.set(blocked))
    record = ChargePointRecord(charge_point_id)
    record.update(actions=actions)  # refreshes `record` from the item as stored
    return record, record.registered_at == at


def deregister_charge_point(charge_point_id: str) -> ChargePointRecord:
    """1 read, 1 write, then a query and batch delete of its connectors. Returns the record as
    it was, so that its connection can be closed."""
    record = find_charge_point(charge_point_id)
    if record is None:
        raise NotRegistered(charge_point_id)
    try:
        record.delete(condition=ChargePointRecord.charge_point_id.exists())
    except DeleteError as error:
        if _condition_failed(error):
            raise NotRegistered(charge_point_id) from error
        raise
    with ConnectorRecord.batch_write() as batch:
        for connector in ConnectorRecord.query(charge_point_id):
            batch.delete(connector)
    return record


def list_charge_points(limit: int, next_token: str | None) -> Page[ChargePointRecord]:
    """One scan page. The token is the last key, opaque to callers."""
    results = ChargePointRecord.scan(limit=limit, page_size=limit, last_evaluated_key=resume_from(next_token))
    return page_of(results, limit)


# --- Connectors --------------------------------------------------------------------------


def record_connector_status(charge_point_id: str, report: ConnectorStatusReport, at: datetime) -> bool:
    """1 write. A report older than the one stored (a late resend) changes nothing; returns
    whether the report was the newest."""
    fields = ConnectorRecord
    try:
        ConnectorRecord(charge_point_id, report.key).update(
            actions=[
                _set_or_remove(fields.evse_id, report.evse_id),
                fields.connector_id.set(report.connector_id),
                fields.status.set(report.status),
                fields.status_at.set(report.timestamp),
                _set_or_remove(fields.error_code, report.error_code),
                _set_or_remove(fields.info, report.info),
                _set_or_remove(fields.vendor_id, report.vendor_id),
                _set_or_remove(fields.vendor_error_code, report.vendor_error_code),
                fields.updated_at.set(at),
            ],
            condition=fields.status_at.does_not_exist() | (fields.status_at <= report.timestamp),
        )
    except UpdateError as error:
        if _condition_failed(error):
            return False
        raise
    return True


def connectors_of(charge_point_id: str) -> Iterator[ConnectorRecord]:
    """1 query."""
    return ConnectorRecord.query(charge_point_id)
