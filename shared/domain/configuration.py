"""Configuration: a charge point's known settings under one kind of key: 1.6 keys as they
are, 2.x component variables as `Component[:instance][@evse[.connector]]/Variable[:instance][/Type]`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# Answers that mean the charge point took the new value.
CHANGED = ("Accepted", "RebootRequired")


@dataclass(frozen=True)
class ConfigurationValue:
    key: str
    value: str | None
    readonly: bool | None = None
    updated_at: datetime | None = None


def variable_key(
    component: str,
    variable: str,
    *,
    component_instance: str | None = None,
    evse_id: int | None = None,
    connector_id: int | None = None,
    variable_instance: str | None = None,
    attribute_type: str | None = None,
) -> str:
    name = component + (f":{component_instance}" if component_instance else "")
    if evse_id is not None:
        name += f"@{evse_id}" + (f".{connector_id}" if connector_id is not None else "")
    key = f"{name}/{variable}" + (f":{variable_instance}" if variable_instance else "")
    if attribute_type and attribute_type != "Actual":
        key += f"/{attribute_type}"
    return key
