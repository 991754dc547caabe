"""ReservationStatusUpdate (2.x): a reservation the charge point dropped (expired, removed)."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.reservations import reservations_codec
from shared.protocol.versions import OcppVersion
from shared.services import reservations


@handles("ReservationStatusUpdate", (OcppVersion.V201, OcppVersion.V21))
def reservation_status_update(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    reservation_id, status = reservations_codec(context.profile).reservation_update(payload)
    reservations.status_updated(context.charge_point_id, reservation_id, status, context.received_at)
    return {}
