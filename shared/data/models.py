"""DynamoDB tables as pynamodb models: the one definition the cloud stack, the local runtime
and the tests all create tables from."""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.models import Model

from shared.settings import get_settings

_settings = get_settings()


class ChargePointRecord(Model):
    """One item per registered charge point: registration, boot facts and its live connection."""

    class Meta:
        table_name = _settings.charge_points_table
        region = _settings.region
        host = _settings.dynamodb_endpoint
        billing_mode = "PAY_PER_REQUEST"

    charge_point_id = UnicodeAttribute(hash_key=True)
    registered_at = UTCDateTimeAttribute(null=True)
    password_hash = UnicodeAttribute(null=True)
    blocked = BooleanAttribute(default=False)
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
    connected_at = UTCDateTimeAttribute(null=True)
    disconnected_at = UTCDateTimeAttribute(null=True)


class ConnectorRecord(Model):
    """The last reported status of one connector (1.6) or EVSE connector (2.x)."""

    class Meta:
        table_name = _settings.connectors_table
        region = _settings.region
        host = _settings.dynamodb_endpoint
        billing_mode = "PAY_PER_REQUEST"

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


ALL_MODELS: tuple[type[Model], ...] = (ChargePointRecord, ConnectorRecord)


def create_tables() -> None:
    """Create any missing table (the local runtime and tests; the cloud uses the CDK stack)."""
    for model in ALL_MODELS:
        if not model.exists():
            model.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
