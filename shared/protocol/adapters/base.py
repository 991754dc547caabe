"""What every version adapter offers: each version's payloads in, the domain's shapes out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from shared.domain.authorization import Authorization, IdToken
from shared.domain.charge_points import BootInfo, ConnectorStatusReport
from shared.domain.metering import MeterValue, MeterValuesReport, Sample
from shared.protocol.timestamps import parse_timestamp


class Adapter(Protocol):
    def boot_info(self, payload: dict[str, Any]) -> BootInfo: ...

    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport: ...

    def id_token(self, payload: dict[str, Any]) -> IdToken:
        """The token an Authorize presents."""
        ...

    def id_token_info(self, authorization: Authorization) -> dict[str, Any]:
        """The answer's authorization part, under the version's key (idTagInfo/idTokenInfo)."""
        ...

    def meter_values(self, items: list[dict[str, Any]]) -> tuple[MeterValue, ...]: ...

    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport: ...


def read_meter_values(
    items: list[dict[str, Any]], sample: Callable[[dict[str, Any]], Sample]
) -> tuple[MeterValue, ...]:
    """The MeterValue list both versions share; each reads its sampled values its own way."""
    return tuple(
        MeterValue(
            parse_timestamp(item["timestamp"], "meterValue.timestamp"),
            tuple(sample(sampled) for sampled in item["sampledValue"]),
        )
        for item in items
    )
