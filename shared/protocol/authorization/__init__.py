"""Authorization on the wire: the token an Authorize presents, and the answer's verdict."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from decimal import Decimal

    from shared.domain.authorization import Authorization, IdToken
    from shared.domain.tariffs import Tariff
    from shared.protocol.versions import Profile


class AuthorizationCodec(Protocol):
    def id_token(self, payload: dict[str, Any]) -> IdToken:
        """The token an Authorize presents."""
        ...

    def id_token_info(self, authorization: Authorization, tariff: Tariff | None = None) -> dict[str, Any]:
        """The answer's authorization part, under the version's key (idTagInfo/idTokenInfo), with
        the tariff's text for the driver where the version has room for it."""
        ...

    def transaction_limit(self, max_cost: Decimal) -> dict[str, Any]:
        """The most a session may cost, in the answer to its start where the version can say
        so (2.1's transactionLimit); empty elsewhere."""
        ...


def authorization_codec(profile: Profile) -> AuthorizationCodec:
    return cast("AuthorizationCodec", profile.codec(__name__))
