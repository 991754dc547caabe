"""Firmware records: the catalogue of images, newest first, and which image holds each vendor,
model and version."""

from __future__ import annotations

import json
from datetime import datetime

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import DeleteError, TransactWriteError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

from shared.data import tenancy
from shared.data.dynamo import (
    Page,
    cancelled_by_condition,
    condition_failed,
    connection,
    key_names,
    page_of,
    resume_from,
)
from shared.data.tables import OnDemand
from shared.domain.accounts import DEFAULT_TENANT
from shared.domain.maintenance import Firmware
from shared.domain.timestamps import format_timestamp


class _Catalogue(GlobalSecondaryIndex["FirmwareRecord"]):
    """Every image, newest first."""

    class Meta:
        index_name = "catalogue"
        projection = AllProjection()

    listed = UnicodeAttribute(hash_key=True)  # always "firmware"
    created_at = UnicodeAttribute(range_key=True)


class FirmwareRecord(Model):
    """A firmware image of the catalogue: in the files bucket, or at an external location."""

    class Meta(OnDemand, table="firmware"): ...

    firmware_id = UnicodeAttribute(hash_key=True)
    listed = UnicodeAttribute(default="firmware")
    created_at = UnicodeAttribute()
    vendor = UnicodeAttribute()
    model = UnicodeAttribute()
    version = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    file_key = UnicodeAttribute(null=True)  # in the files bucket
    external_location = UnicodeAttribute(null=True)
    sha256 = UnicodeAttribute(null=True)
    size = NumberAttribute(null=True)
    signing_certificate = UnicodeAttribute(null=True)
    signature = UnicodeAttribute(null=True)
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's

    catalogue = _Catalogue()


class FirmwareVersionRecord(Model):
    """The image that holds a vendor, model and version: taken with the image by a conditional
    write, so that the catalogue never has two images a station would report alike."""

    class Meta(OnDemand, table="firmware-versions"): ...

    # ["vendor", "model", "version"] as JSON, the tenant first but for the default tenant's.
    version_key = UnicodeAttribute(hash_key=True)
    firmware_id = UnicodeAttribute()


_LISTED = "firmware"
_KEYS = key_names(FirmwareRecord, FirmwareRecord.catalogue)


def _version_key(firmware: Firmware, tenant_id: str | None) -> str:
    """Each tenant has its own catalogue: another tenant's image of the same version neither
    stops the registration nor is named by it."""
    named = [firmware.vendor, firmware.model, firmware.version]
    tenant = tenancy.owner(tenant_id)
    return json.dumps(named if tenant == DEFAULT_TENANT else [tenant, *named])


def put_firmware(firmware: Firmware) -> str | None:
    """1 transaction of 2 writes: the image and its vendor, model and version, only when no
    other image of the tenant holds those; else nothing is written, and 1 read tells which does."""
    claim = FirmwareVersionRecord(_version_key(firmware, tenancy.scope()), firmware_id=firmware.firmware_id)
    try:
        with TransactWrite(connection=connection()) as transaction:
            transaction.save(claim, condition=FirmwareVersionRecord.version_key.does_not_exist())
            transaction.save(_record(firmware), condition=FirmwareRecord.firmware_id.does_not_exist())
    except TransactWriteError as error:
        if cancelled_by_condition(error)[:1] != [True]:
            raise
        return FirmwareVersionRecord.get(claim.version_key, consistent_read=True).firmware_id
    return None


def _record(firmware: Firmware) -> FirmwareRecord:
    return FirmwareRecord(
        firmware.firmware_id,
        listed=_LISTED,
        created_at=format_timestamp(firmware.created_at),
        vendor=firmware.vendor,
        model=firmware.model,
        version=firmware.version,
        description=firmware.description,
        file_key=firmware.file_key,
        external_location=firmware.external_location,
        sha256=firmware.sha256,
        size=firmware.size,
        signing_certificate=firmware.signing_certificate,
        signature=firmware.signature,
        tenant_id=tenancy.scope(),
    )


def find_firmware(firmware_id: str) -> Firmware | None:
    """1 read. In a tenant's scope, another tenant's image is as if it were not."""
    try:
        record = FirmwareRecord.get(firmware_id)
    except FirmwareRecord.DoesNotExist:
        return None
    return _firmware(record) if tenancy.visible(record.tenant_id) else None


def delete_firmware(firmware: Firmware) -> None:
    """2 writes: the image, then its vendor, model and version (if this image holds them)."""
    FirmwareRecord(firmware.firmware_id).delete()
    try:
        FirmwareVersionRecord(_version_key(firmware, firmware.tenant_id)).delete(
            condition=FirmwareVersionRecord.firmware_id == firmware.firmware_id
        )
    except DeleteError as error:
        if not condition_failed(error):
            raise


def catalogue(limit: int, next_token: str | None) -> Page[Firmware]:
    """1 query, newest first; in a tenant's scope filtered to its images (read, and paid for,
    with every tenant's)."""
    mine = tenancy.owned(FirmwareRecord.tenant_id)
    results = FirmwareRecord.catalogue.query(
        _LISTED,
        scan_index_forward=False,
        filter_condition=mine,
        limit=limit,
        last_evaluated_key=resume_from(next_token, _LISTED, _KEYS),
    )
    return page_of(results, limit, _LISTED, _firmware)


def _firmware(record: FirmwareRecord) -> Firmware:
    return Firmware(
        firmware_id=record.firmware_id,
        vendor=record.vendor,
        model=record.model,
        version=record.version,
        created_at=datetime.fromisoformat(record.created_at),
        description=record.description,
        file_key=record.file_key,
        external_location=record.external_location,
        sha256=record.sha256,
        size=None if record.size is None else int(record.size),
        signing_certificate=record.signing_certificate,
        signature=record.signature,
        tenant_id=record.tenant_id,
    )
