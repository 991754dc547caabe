"""DataTransfer from a charge point: answered by the vendors registered through the API
(UnknownVendorId / UnknownMessageId otherwise, never NotImplemented), kept either way."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.data_transfer import data_transfer_codec
from shared.services import station_events


@handles("DataTransfer")
def data_transfer(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    message = data_transfer_codec(context.profile).data_transfer(payload)
    status = station_events.data_transferred(
        context.charge_point_id, message, context.message_id, context.received_at
    )
    return {"status": status.value}
