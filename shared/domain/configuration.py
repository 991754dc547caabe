"""A charge point's configuration under one kind of key: 1.6 keys as they are, 2.x
component variables as `Component[:instance][@evse[.connector]]/Variable[:instance][/Type]`."""

from __future__ import annotations

from typing import Any


def variable_key(
    component: dict[str, Any], variable: dict[str, Any], attribute_type: str | None = None
) -> str:
    name = component["name"]
    if component.get("instance"):
        name += f":{component['instance']}"
    evse = component.get("evse")
    if evse:
        name += f"@{evse['id']}" + (f".{evse['connectorId']}" if evse.get("connectorId") is not None else "")
    key = f"{name}/{variable['name']}"
    if variable.get("instance"):
        key += f":{variable['instance']}"
    if attribute_type and attribute_type != "Actual":
        key += f"/{attribute_type}"
    return key
