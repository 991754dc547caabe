"""Authorization in OCPP 1.6: idTag and idTagInfo."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.domain.authorization import Authorization, IdToken
from shared.domain.tariffs import Tariff
from shared.domain.timestamps import format_timestamp
from shared.protocol.authorization import AuthorizationCodec


class V16Authorization:
    def id_token(self, payload: dict[str, Any]) -> IdToken:
        return IdToken(payload["idTag"])

    def id_token_info(self, authorization: Authorization, tariff: Tariff | None = None) -> dict[str, Any]:
        info: dict[str, Any] = {"status": authorization.status.value}
        if authorization.expiry_date is not None:
            info["expiryDate"] = format_timestamp(authorization.expiry_date)
        if authorization.parent_id_token is not None:
            info["parentIdTag"] = authorization.parent_id_token
        return {"idTagInfo": info}

    def transaction_limit(self, max_cost: Decimal) -> dict[str, Any]:
        return {}


CODEC: AuthorizationCodec = V16Authorization()
