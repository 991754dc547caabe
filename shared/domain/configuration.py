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


# The most parts a device model report may come in. A station's seqNo beyond it is refused, so
# that what a report makes the CSMS keep and list (which parts came, which are missing) is
# bounded whatever a station says (a real full inventory is a few hundred parts at most).
MAX_REPORT_PARTS = 10_000


@dataclass(frozen=True)
class ReportPart:
    """One part of a device model report (OCPP 2.x NotifyReport): a report comes in parts
    numbered from 0, the last one saying no more follow."""

    request_id: int
    seq_no: int
    last: bool
    values: list[ConfigurationValue]


@dataclass(frozen=True)
class ReportProgress:
    """Which parts of the latest report arrived: a station may drop some, and the configuration
    is then incomplete, which the operator is told rather than left to guess."""

    request_id: int
    parts: frozenset[int]
    last_part: int | None

    @property
    def missing(self) -> list[int]:
        end = self.last_part if self.last_part is not None else max(self.parts, default=-1)
        return [n for n in range(end + 1) if n not in self.parts]

    @property
    def complete(self) -> bool:
        return self.last_part is not None and not self.missing


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
