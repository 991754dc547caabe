"""The smallest payload a JSON schema accepts: required fields only, first enum values (or a
preferred one), lowest numbers, shortest strings. The tests walk every action of a version
through the CSMS with these; the fleet simulator answers the commands it has no rule for."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ocpp


def schema_of(version: str, action: str, response: bool = False) -> dict[str, Any]:
    folder = Path(ocpp.__file__).parent / ("v" + version.replace(".", "")) / "schemas"
    if version == "1.6":
        name = f"{action}Response.json" if response else f"{action}.json"
    else:
        name = f"{action}{'Response' if response else 'Request'}.json"
    return json.loads((folder / name).read_text(encoding="utf-8-sig"))


def minimal(schema: dict[str, Any], root: dict[str, Any] | None = None, prefer: tuple[str, ...] = ()) -> Any:
    """`prefer`: enum values to pick when an enumeration offers them, e.g. ("Accepted",)."""
    root = root or schema
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return minimal(target, root, prefer)
    if "enum" in schema:
        return next((value for value in prefer if value in schema["enum"]), schema["enum"][0])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        return {name: minimal(properties[name], root, prefer) for name in schema.get("required", [])}
    if kind == "array":
        return [minimal(schema["items"], root, prefer) for _ in range(schema.get("minItems", 0))]
    if kind == "string":
        if schema.get("format") == "date-time":
            return "2026-11-24T10:00:00Z"
        return "x" * max(schema.get("minLength", 1), 1)
    if kind in ("integer", "number"):
        low = schema.get("minimum", schema.get("exclusiveMinimum", 0))
        return int(low) if kind == "integer" else float(low)
    if kind == "boolean":
        return False
    return None
