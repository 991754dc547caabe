"""Vendor records: whose DataTransfer messages the CSMS accepts."""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UnicodeSetAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from shared.data.tables import OnDemand
from shared.domain.station_events import Vendor


class VendorRecord(Model):
    """A vendor whose DataTransfer messages the CSMS accepts (all, or the message ids listed)."""

    class Meta(OnDemand, table="vendors"): ...

    vendor_id = UnicodeAttribute(hash_key=True)
    message_ids = UnicodeSetAttribute(null=True)
    description = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()


def put_vendor(vendor: Vendor) -> None:
    """1 write."""
    VendorRecord(
        vendor.vendor_id,
        message_ids=set(vendor.message_ids) if vendor.message_ids else None,
        description=vendor.description,
        created_at=vendor.created_at,
    ).save()


def find_vendor(vendor_id: str) -> Vendor | None:
    """1 read."""
    try:
        return _vendor(VendorRecord.get(vendor_id))
    except VendorRecord.DoesNotExist:
        return None


def delete_vendor(vendor_id: str) -> bool:
    vendor = find_vendor(vendor_id)
    if vendor is None:
        return False
    VendorRecord(vendor_id).delete()
    return True


def all_vendors() -> list[Vendor]:
    """1 scan: a short list, registered by hand."""
    return sorted((_vendor(record) for record in VendorRecord.scan()), key=lambda v: v.vendor_id)


def _vendor(record: VendorRecord) -> Vendor:
    ids = record.message_ids
    return Vendor(record.vendor_id, frozenset(ids) if ids else None, record.description, record.created_at)
