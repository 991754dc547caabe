"""Authorization in OCPP 2.0.1 and 2.1: idToken and idTokenInfo, with a personal message."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shared.domain.authorization import Authorization, IdToken
from shared.domain.tariffs import Tariff
from shared.domain.timestamps import format_timestamp
from shared.protocol.authorization import AuthorizationCodec
from shared.protocol.v2 import GROUP_TOKEN_TYPE, id_token_of

# MessageContentType.content: 512 characters in 2.0.1 (1024 in 2.1; the lower bound serves both).
MESSAGE_CONTENT_MAX = 512


class V2Authorization:
    def id_token(self, payload: dict[str, Any]) -> IdToken:
        return id_token_of(payload["idToken"])

    def id_token_info(self, authorization: Authorization, tariff: Tariff | None = None) -> dict[str, Any]:
        info: dict[str, Any] = {"status": authorization.status.value}
        if authorization.expiry_date is not None:
            info["cacheExpiryDateTime"] = format_timestamp(authorization.expiry_date)
        if authorization.parent_id_token is not None:
            info["groupIdToken"] = {"idToken": authorization.parent_id_token, "type": GROUP_TOKEN_TYPE}
        text = tariff.text_for() if tariff is not None and authorization.accepted else None
        if text is not None:
            info["personalMessage"] = {
                "format": "UTF8",
                "language": text.language[:8],
                "content": text.text[:MESSAGE_CONTENT_MAX],
            }
        return {"idTokenInfo": info}

    def transaction_limit(self, max_cost: Decimal) -> dict[str, Any]:
        return {}


CODEC: AuthorizationCodec = V2Authorization()
