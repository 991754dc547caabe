"""Connector records: the last status each connector (1.6) or EVSE connector (2.x) reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from
from shared.data.tables import OnDemand
from shared.domain.availability import ConnectorStatusReport


class ConnectorRecord(Model):
    """The last reported status of one connector (1.6) or EVSE connector (2.x)."""

    class Meta(OnDemand, table="connectors"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    connector_key = UnicodeAttribute(range_key=True)
    evse_id = NumberAttribute(null=True)
    connector_id = NumberAttribute()
    status = UnicodeAttribute()
    status_at = UTCDateTimeAttribute()
    error_code = UnicodeAttribute(null=True)
    info = UnicodeAttribute(null=True)
    vendor_id = UnicodeAttribute(null=True)
    vendor_error_code = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


def record_connector_status(charge_point_id: str, report: ConnectorStatusReport, at: datetime) -> bool:
    """1 write: the whole record, put (every attribute is the report's, so a put says what an
    update would, and costs the same). A report older than the one stored (a late resend)
    changes nothing; returns whether the report was the newest."""
    fields = ConnectorRecord
    record = ConnectorRecord(
        charge_point_id,
        report.key,
        evse_id=report.evse_id,
        connector_id=report.connector_id,
        status=report.status,
        status_at=report.timestamp,
        error_code=report.error_code,
        info=report.info,
        vendor_id=report.vendor_id,
        vendor_error_code=report.vendor_error_code,
        updated_at=at,
    )
    try:
        record.save(condition=fields.status_at.does_not_exist() | (fields.status_at <= report.timestamp))
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def connectors_of(charge_point_id: str) -> Iterator[ConnectorStatusReport]:
    """1 query."""
    for record in ConnectorRecord.query(charge_point_id):
        yield _report(record)


def every_connector(limit: int, next_token: str | None) -> Page[tuple[str, ConnectorStatusReport]]:
    """One scan page of the fleet's connectors, each with its charge point (the console's fleet
    view reads the whole fleet's states this way, a page of up to 1,000 at a time)."""
    start = resume_from(next_token, "connectors", key_names(ConnectorRecord))
    results = ConnectorRecord.scan(limit=limit, page_size=limit, last_evaluated_key=start)
    return page_of(results, limit, "connectors", lambda record: (record.charge_point_id, _report(record)))


def _report(record: ConnectorRecord) -> ConnectorStatusReport:
    return ConnectorStatusReport(
        evse_id=None if record.evse_id is None else int(record.evse_id),
        connector_id=int(record.connector_id),
        status=record.status,
        timestamp=record.status_at,
        error_code=record.error_code,
        info=record.info,
        vendor_id=record.vendor_id,
        vendor_error_code=record.vendor_error_code,
    )


def delete_connectors_of(charge_point_id: str) -> None:
    """1 query and a batch delete."""
    with ConnectorRecord.batch_write() as batch:
        for connector in ConnectorRecord.query(charge_point_id):
            batch.delete(connector)
