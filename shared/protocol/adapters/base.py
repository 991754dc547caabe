"""What every version adapter offers: each version's payloads in, the domain's shapes out."""

from __future__ import annotations

from typing import Any, Protocol

from shared.domain.charge_points import BootInfo, ConnectorStatusReport


class Adapter(Protocol):
    def boot_info(self, payload: dict[str, Any]) -> BootInfo: ...

    def connector_status(self, payload: dict[str, Any], received_at: Any) -> ConnectorStatusReport: ...
