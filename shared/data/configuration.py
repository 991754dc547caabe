"""Configuration records: a charge point's known settings (1.6 keys, 2.x component variables),
as its answers and reports told them."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import BooleanAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from shared.data.dynamo import Page, key_names, page_of, resume_from
from shared.data.tables import OnDemand
from shared.domain.configuration import ConfigurationValue


class ConfigurationRecord(Model):
    """A charge point's known configuration: 1.6 keys, 2.x component variables, as its answers
    and reports told them."""

    class Meta(OnDemand, table="configuration"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # 1.6 key, or component[/evse]/variable[/attributeType]
    value = UnicodeAttribute(null=True)
    readonly = BooleanAttribute(null=True)
    updated_at = UTCDateTimeAttribute()


def put_configuration(charge_point_id: str, values: list[ConfigurationValue], at: datetime) -> None:
    """A batch write. A key named twice keeps its last value (a batch may not write one item twice)."""
    latest = {value.key: value for value in values}
    with ConfigurationRecord.batch_write() as batch:
        for value in latest.values():
            batch.save(
                ConfigurationRecord(
                    charge_point_id, value.key, value=value.value, readonly=value.readonly, updated_at=at
                )
            )


def configuration_of(charge_point_id: str) -> list[ConfigurationValue]:
    """1 query per 1 MB."""
    return [_value(r) for r in ConfigurationRecord.query(charge_point_id)]


def configuration_page(charge_point_id: str, limit: int, next_token: str | None) -> Page[ConfigurationValue]:
    """1 query: a page of the settings in key order. A station chooses how many it reports
    (a report may have 10,000 parts), so a read of them all is paged."""
    listing = f"configuration/{charge_point_id}"
    start = resume_from(next_token, listing, key_names(ConfigurationRecord))
    results = ConfigurationRecord.query(
        charge_point_id, limit=limit, page_size=limit, last_evaluated_key=start
    )
    return page_of(results, limit, listing, _value)


def _value(record: ConfigurationRecord) -> ConfigurationValue:
    return ConfigurationValue(record.key, record.value, record.readonly, record.updated_at)


def value_of(charge_point_id: str, key: str) -> str | None:
    """1 read: one setting as last known."""
    try:
        return ConfigurationRecord.get(charge_point_id, key).value
    except ConfigurationRecord.DoesNotExist:
        return None
