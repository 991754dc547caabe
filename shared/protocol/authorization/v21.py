"""Authorization in OCPP 2.1: as in 2.0.1, and a paid session's hold as its transactionLimit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.protocol.authorization import AuthorizationCodec
from shared.protocol.authorization.v2 import V2Authorization


class V21Authorization(V2Authorization):
    def transaction_limit(self, max_cost: Decimal) -> dict[str, Any]:
        return {"transactionLimit": {"maxCost": float(max_cost)}}


CODEC: AuthorizationCodec = V21Authorization()
