"""Transactions in OCPP 2.1: 2.0.1's, and battery swaps (BatterySwap), each swap a request id
whose batteries go in and out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.domain.station_events import EventKind, StationEvent
from shared.protocol.transactions import TransactionsCodec
from shared.protocol.transactions.v2 import V2Transactions
from shared.protocol.v2 import id_token_of


class V21Transactions(V2Transactions):
    def battery_swap(self, payload: dict[str, Any], at: datetime) -> StationEvent:
        """A swap's request id and event (BatteryIn, BatteryOut, BatteryOutTimeout) tell a resend."""
        token = id_token_of(payload["idToken"])
        body = {
            "requestId": payload["requestId"],
            "eventType": payload["eventType"],
            "idToken": token.value,
            "idTokenType": token.type,
            "batteryData": payload["batteryData"],
        }
        sort = f"{payload['requestId']:010d}#{payload['eventType']}"
        return StationEvent(EventKind.BATTERY_SWAP, sort, at, body)


CODEC: TransactionsCodec = V21Transactions()
