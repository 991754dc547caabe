"""Maintenance records: firmware updates and log uploads per charge point, with the statuses
the charge point reported, the answer to the call and, for logs, the file it uploaded."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import (
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition, size
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from shared.data.counters import next_value
from shared.data.dynamo import Page, condition_failed, key_names, page_of, resume_from, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.maintenance import (
    Kind,
    MaintenanceRequest,
    Origin,
    StatusEntry,
    StatusReport,
    Upload,
)
from shared.domain.timestamps import format_timestamp


class StatusEntryMap(MapAttribute[str, object]):
    status = UnicodeAttribute()
    at = UTCDateTimeAttribute()
    info = UnicodeAttribute(null=True)


class MaintenanceRecord(Model):
    """A firmware update or a log upload a charge point was asked for (or reported unasked),
    with every status it reported. The request id is the CSMS's, unique across the fleet."""

    class Meta(OnDemand, table="maintenance"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    request_key = UnicodeAttribute(range_key=True)  # kind#request id, ten digits
    kind = UnicodeAttribute()
    request_id = NumberAttribute()
    origin = UnicodeAttribute()  # operator, rollout, unsolicited
    created_at = UTCDateTimeAttribute(null=True)
    details = JSONAttribute(null=True)
    command_id = UnicodeAttribute(null=True)
    answer = JSONAttribute(null=True)
    statuses = ListAttribute(of=StatusEntryMap, null=True)  # the first MAX_STATUSES reported
    status = UnicodeAttribute(null=True)  # the latest reported
    statuses_dropped = NumberAttribute(null=True)  # reported beyond MAX_STATUSES
    rollout_id = UnicodeAttribute(null=True)
    # Log uploads: the hash of the upload token's secret, until when it is good, and the file
    upload_digest = UnicodeAttribute(null=True)
    upload_until = UTCDateTimeAttribute(null=True)
    upload = JSONAttribute(null=True)


REQUEST_COUNTER = "maintenance-request-id"
# A request keeps this many statuses (an update goes through a handful; a station reporting
# unasked could go on for ever): later ones set the latest status and are counted.
MAX_STATUSES = 50
_KEYS = key_names(MaintenanceRecord)


def request_key(kind: Kind, request_id: int) -> str:
    return f"{kind.value}#{request_id:010d}"


def next_request_id() -> int:
    """1 write: ids unique across the fleet, so a status names its request without doubt."""
    return next_value(REQUEST_COUNTER)


def open_request(
    charge_point_id: str,
    kind: Kind,
    request_id: int,
    origin: Origin,
    details: dict[str, Any],
    at: datetime,
    rollout_id: str | None = None,
    upload_digest: str | None = None,
    upload_until: datetime | None = None,
    command_id: str | None = None,
) -> None:
    """1 write. An update, not a put: a status already stored for it (a charge point may answer
    and report at once) is kept."""
    fields = MaintenanceRecord
    MaintenanceRecord(charge_point_id, request_key(kind, request_id)).update(
        actions=[
            fields.kind.set(kind.value),
            fields.request_id.set(request_id),
            fields.origin.set(origin.value),
            fields.created_at.set(at),
            fields.details.set(details),
            set_or_remove(fields.rollout_id, rollout_id),
            set_or_remove(fields.upload_digest, upload_digest),
            set_or_remove(fields.upload_until, upload_until),
            set_or_remove(fields.command_id, command_id),
        ]
    )


def delete_request(charge_point_id: str, kind: Kind, request_id: int) -> None:
    MaintenanceRecord(charge_point_id, request_key(kind, request_id)).delete()


def latest_request_id(charge_point_id: str, kind: Kind) -> int | None:
    """1 read: the charge point's newest request of the kind (ids grow with time)."""
    for record in MaintenanceRecord.query(
        charge_point_id,
        MaintenanceRecord.request_key.startswith(f"{kind.value}#"),
        scan_index_forward=False,
        limit=1,
    ):
        return int(record.request_id)
    return None


def record_status(
    charge_point_id: str, report: StatusReport, request_id: int, at: datetime
) -> MaintenanceRequest | None:
    """1 write: the status appended to its request's, which is created (marked unsolicited) if
    the CSMS knows no such request. The same status again is a resend and changes nothing:
    None then. Past MAX_STATUSES, a second write sets the latest status and counts it."""
    fields = MaintenanceRecord
    entry = StatusEntryMap(status=report.status, at=at, info=report.info)  # type: ignore[no-untyped-call]
    record = MaintenanceRecord(charge_point_id, request_key(report.kind, request_id))
    common: list[Action] = [
        fields.kind.set(report.kind.value),
        fields.request_id.set(request_id),
        fields.origin.set(fields.origin | Origin.UNSOLICITED.value),
        fields.status.set(report.status),
    ]
    news = fields.status.does_not_exist() | (fields.status != report.status)
    room = fields.statuses.does_not_exist() | (size(fields.statuses) < MAX_STATUSES)  # type: ignore[no-untyped-call]
    attempts: list[tuple[list[Action], Condition]] = [
        ([*common, fields.statuses.set((fields.statuses | []).append([entry]))], news & room),
        ([*common, fields.statuses_dropped.add(1)], news),
    ]
    for actions, condition in attempts:
        try:
            record.update(actions=actions, condition=condition)
        except UpdateError as error:
            if condition_failed(error):
                continue
            raise
        return _request(record)
    return None


def record_answer(charge_point_id: str, kind: Kind, request_id: int, answer: dict[str, Any]) -> None:
    """1 write, to a request that exists."""
    fields = MaintenanceRecord
    try:
        MaintenanceRecord(charge_point_id, request_key(kind, request_id)).update(
            actions=[fields.answer.set(answer)], condition=fields.request_id.exists()
        )
    except UpdateError as error:
        if not condition_failed(error):
            raise


def record_upload(charge_point_id: str, request_id: int, digest: str, upload: Upload, now: datetime) -> bool:
    """1 write, only with the request's token, in time, and once: whether it was taken."""
    fields = MaintenanceRecord
    try:
        MaintenanceRecord(charge_point_id, request_key(Kind.LOG, request_id)).update(
            actions=[fields.upload.set(_upload_json(upload)), fields.upload_digest.remove()],
            condition=(fields.upload_digest == digest)
            & (fields.upload_until >= now)
            & fields.upload.does_not_exist(),
        )
    except UpdateError as error:
        if condition_failed(error):
            return False
        raise
    return True


def find_request(charge_point_id: str, kind: Kind, request_id: int) -> MaintenanceRequest | None:
    """1 read."""
    try:
        return _request(MaintenanceRecord.get(charge_point_id, request_key(kind, request_id)))
    except MaintenanceRecord.DoesNotExist:
        return None


def upload_target(charge_point_id: str, request_id: int) -> tuple[str | None, datetime | None, bool] | None:
    """1 read: the token digest a log request takes, until when, and whether a file came."""
    try:
        record = MaintenanceRecord.get(charge_point_id, request_key(Kind.LOG, request_id))
    except MaintenanceRecord.DoesNotExist:
        return None
    return record.upload_digest, record.upload_until, record.upload is not None


def requests_of(
    charge_point_id: str, kind: Kind, limit: int, next_token: str | None
) -> Page[MaintenanceRequest]:
    """1 query: newest first."""
    listing = f"{charge_point_id}#{kind.value}"
    results = MaintenanceRecord.query(
        charge_point_id,
        MaintenanceRecord.request_key.startswith(f"{kind.value}#"),
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=resume_from(next_token, listing, _KEYS),
    )
    return page_of(results, limit, listing, _request)


def firmware_requests_naming(firmware_id: str) -> list[MaintenanceRequest]:
    """1 scan (a page per MB of requests): the firmware updates that asked for this image. Only
    for removing an image, which is rare."""
    condition = (MaintenanceRecord.kind == Kind.FIRMWARE.value) & MaintenanceRecord.details.contains(
        firmware_id
    )
    found = (_request(record) for record in MaintenanceRecord.scan(condition))
    return [request for request in found if request.details.get("firmwareId") == firmware_id]


def _upload_json(upload: Upload) -> dict[str, Any]:
    return {
        "key": upload.key,
        "fileName": upload.file_name,
        "size": upload.size,
        "at": format_timestamp(upload.at),
        "via": upload.via,
    }


def _upload(stored: dict[str, Any]) -> Upload:
    at = datetime.fromisoformat(stored["at"])
    return Upload(stored["key"], stored["fileName"], stored["size"], at, stored["via"])


def _request(record: MaintenanceRecord) -> MaintenanceRequest:
    upload = record.upload
    return MaintenanceRequest(
        charge_point_id=record.charge_point_id,
        kind=Kind(record.kind),
        request_id=int(record.request_id),
        origin=Origin(record.origin),
        created_at=record.created_at,
        details=record.details or {},
        command_id=record.command_id,
        answer=record.answer,
        statuses=tuple(StatusEntry(s.status, s.at, s.info) for s in record.statuses or []),
        latest_status=record.status,
        statuses_dropped=int(record.statuses_dropped or 0),
        upload=Upload(
            upload["key"],
            upload["fileName"],
            upload["size"],
            datetime.fromisoformat(upload["at"]),
            upload["via"],
        )
        if upload
        else None,
        rollout_id=record.rollout_id,
    )
