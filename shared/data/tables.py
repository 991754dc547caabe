"""Where tables are declared: each record, in the data module that owns its table, names it
(`class Meta(OnDemand, table="charge-points"): ...`), and the cloud stack, the local runtime and
the tests create tables from those records. A Lambda imports only the data modules it uses;
listing every table imports the modules of ALL_TABLE_MODULES."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from pynamodb.attributes import TTLAttribute
from pynamodb.models import Model

from shared.settings import get_settings

_settings = get_settings()

# The data modules that declare tables, in the order the stack makes them: a module that
# declares a record is listed here (tests/unit/data/test_tables.py holds it to that).
ALL_TABLE_MODULES = (
    "charge_points",
    "connectors",
    "id_tokens",
    "transactions",
    "session_events",
    "counters",
    "commands",
    "configuration",
    "throttles",
    "maintenance",
    "station_events",
    "firmware",
    "rollouts",
    "vendors",
    "reservations",
    "local_lists",
    "display_messages",
    "tariffs",
    "charging_profiles",
    "der_controls",
    "sites",
    "certificates",
    "analytics",
    "tenants",
    "api_keys",
    "audit",
    "drivers",
    "idempotency",
    "payments",
    "roaming",
)


class OnDemand:
    """What every table's Meta shares: the region, the endpoint (moto locally), on-demand
    capacity. `table` is the table's name after CSMS_TABLE_PREFIX; its variable follows from it
    (shared.settings.table_variable), so a new table needs no setting of its own."""

    region = _settings.region
    host = _settings.dynamodb_endpoint
    billing_mode = "PAY_PER_REQUEST"
    suffix: str
    table_name: str

    def __init_subclass__(cls, table: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.suffix = table
        cls.table_name = _settings.table(table)


def suffix_of(record: type[Model]) -> str:
    """The name a record declared for its table."""
    meta: Any = record.Meta
    if not (isinstance(meta, type) and issubclass(meta, OnDemand)):
        raise TypeError(f"{record.__name__}.Meta does not declare its table (OnDemand)")
    return meta.suffix


def ttl_attribute(record: type[Model]) -> str | None:
    """Tables with a TTL hold transient items; the others are durable."""
    for name, attribute in record.get_attributes().items():
        if isinstance(attribute, TTLAttribute):
            return attribute.attr_name or name
    return None


def is_durable(record: type[Model]) -> bool:
    """Kept whole (point-in-time recovery, deletion protection, retained, backed up: decision
    0042): a table without a TTL, and one whose record says so despite its TTL (the audit trail)."""
    return ttl_attribute(record) is None or bool(getattr(record.Meta, "durable", False))


def records_of(module: ModuleType) -> list[type[Model]]:
    """The records a module declares (not those it imports), in the order it declares them."""
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, Model) and value.__module__ == module.__name__
    ]


def all_records() -> tuple[type[Model], ...]:
    """Every record that has a table: for the stack, the local runtime and the tests."""
    return tuple(
        record for name in ALL_TABLE_MODULES for record in records_of(import_module(f"shared.data.{name}"))
    )


def create_tables() -> None:
    """Create any missing table (the local runtime and tests; the cloud uses the CDK stack)."""
    for record in all_records():
        if not record.exists():
            record.create_table(billing_mode="PAY_PER_REQUEST", wait=True)
