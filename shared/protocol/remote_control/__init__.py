"""Remote control on the wire: remote starts and stops, unlocking, triggering a message."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from shared.domain.commands import Command, Intent
    from shared.domain.remote_control import RemoteStart
    from shared.protocol.versions import Profile


class RemoteControlCodec(Protocol):
    # The connector statuses in which an EVSE can take a session it is asked to start.
    startable: frozenset[str]

    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Intent: ...
    def remote_stop(self, transaction_id: str) -> Intent: ...
    def paid_start(self, payment_reference: str, evse_id: int) -> Intent:
        """The remote start of a session paid on the ad hoc page, its id token the payment's."""
        ...

    def unlock(self, evse_id: int | None, connector_id: int) -> Intent: ...
    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Intent: ...

    def remote_start_of(self, command: Command, accepted_only: bool = True) -> RemoteStart | None:
        """A remote start; by default only an accepted one, the only kind that can have begun a
        session (a station may start before it answers, hence `accepted_only`)."""
        ...

    def unlock_asked(self, command: Command) -> dict[str, Any]:
        """What an UnlockConnector asked for, kept beside its answer."""
        ...


def remote_control_codec(profile: Profile) -> RemoteControlCodec:
    return cast("RemoteControlCodec", profile.codec(__name__))
