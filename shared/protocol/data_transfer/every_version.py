"""DataTransfer, the same in OCPP 1.6, 2.0.1 and 2.1."""

from __future__ import annotations

from typing import Any

from shared.domain.station_events import DataTransferMessage
from shared.protocol.data_transfer import DataTransferCodec


class DataTransfer:
    def data_transfer(self, payload: dict[str, Any]) -> DataTransferMessage:
        return DataTransferMessage(payload["vendorId"], payload.get("messageId"), payload.get("data"))


CODEC: DataTransferCodec = DataTransfer()
