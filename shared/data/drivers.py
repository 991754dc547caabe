"""Drivers' accounts: one record per driver, found by id (the Cognito `sub` in the cloud, or
the id the operator API made) or by email address."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import DeleteError, PutError, UpdateError
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from shared.data import tenancy
from shared.data.dynamo import Page, condition_failed, key_names, page_of, read, resume_from, set_or_remove
from shared.data.tables import OnDemand
from shared.domain.drivers import Driver
from shared.domain.errors import Conflict, NotFound


class _ByEmail(GlobalSecondaryIndex["DriverRecord"]):
    """An operator looking a driver up by the address it gave."""

    class Meta:
        index_name = "by-email"
        projection = AllProjection()

    email = UnicodeAttribute(hash_key=True)


class DriverRecord(Model):
    class Meta(OnDemand, table="drivers"): ...

    driver_id = UnicodeAttribute(hash_key=True)
    tenant_id = UnicodeAttribute(null=True)  # absent: the default tenant's
    name = UnicodeAttribute()
    email = UnicodeAttribute()
    created_at = UTCDateTimeAttribute()
    api_key_id = UnicodeAttribute(null=True)
    pending_id_token = UnicodeAttribute(null=True)
    pending_until = UTCDateTimeAttribute(null=True)
    by_email = _ByEmail()


def _driver(record: DriverRecord) -> Driver:
    return Driver(
        driver_id=record.driver_id,
        tenant_id=record.tenant_id,
        name=record.name,
        email=record.email,
        created_at=record.created_at,
        api_key_id=record.api_key_id,
        pending_id_token=record.pending_id_token,
        pending_until=record.pending_until,
    )


def put_driver(driver: Driver) -> None:
    """1 write, only where no driver has the id (Conflict otherwise)."""
    try:
        DriverRecord(
            driver.driver_id,
            tenant_id=driver.tenant_id,
            name=driver.name,
            email=driver.email,
            created_at=driver.created_at,
            api_key_id=driver.api_key_id,
        ).save(condition=DriverRecord.driver_id.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            raise Conflict(f"Driver {driver.driver_id} exists") from error
        raise


def find_driver(driver_id: str) -> Driver | None:
    """1 read. In a tenant's scope, another tenant's driver is as if it were not."""
    try:
        record = DriverRecord.get(driver_id)
    except DriverRecord.DoesNotExist:
        return None
    return _driver(record) if tenancy.visible(record.tenant_id) else None


def drivers_by_email(email: str) -> list[Driver]:
    """1 query of the index: the scope's drivers with this address."""
    return read(
        DriverRecord.by_email.query(email, filter_condition=tenancy.owned(DriverRecord.tenant_id)), _driver
    )


def list_drivers(limit: int, next_token: str | None) -> Page[Driver]:
    """One scan page, filtered to the scope."""
    start = resume_from(next_token, "drivers", key_names(DriverRecord))
    results = DriverRecord.scan(
        tenancy.owned(DriverRecord.tenant_id), limit=limit, page_size=limit, last_evaluated_key=start
    )
    return page_of(results, limit, "drivers", _driver)


def _update(driver_id: str, *actions: object) -> None:
    fields = DriverRecord
    try:
        DriverRecord(driver_id).update(
            actions=list(actions),  # type: ignore[arg-type]
            condition=tenancy.existing(fields.driver_id, fields.tenant_id),
        )
    except UpdateError as error:
        if condition_failed(error):
            raise NotFound(f"Driver {driver_id}") from error
        raise


def set_key(driver_id: str, api_key_id: str) -> None:
    """1 write: the driver's current key."""
    _update(driver_id, DriverRecord.api_key_id.set(api_key_id))


def set_pending(driver_id: str, id_token: str | None, until: datetime | None) -> None:
    """1 write: the card the driver asked to link, until when (None: none)."""
    fields = DriverRecord
    _update(
        driver_id,
        set_or_remove(fields.pending_id_token, id_token),
        set_or_remove(fields.pending_until, until),
    )


def delete_driver(driver_id: str) -> bool:
    """1 write. Whether there was such a driver (in the scope)."""
    try:
        DriverRecord(driver_id).delete(
            condition=tenancy.existing(DriverRecord.driver_id, DriverRecord.tenant_id)
        )
    except DeleteError as error:
        if condition_failed(error):
            return False
        raise
    return True
