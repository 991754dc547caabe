"""Remote control: which session a remote start began. OCPP 2.x says it outright: the session carries the
request's remoteStartId, or the answer names a session already under way. OCPP 1.6 does not,
so the link is inferred the way an operator would: the first session on that charge point
with the same idTag (and connector, when the command named one) that started soon after.

Linking happens when it is read, not when the session starts, so it costs the charge point's
messages nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.domain.transactions import SessionSummary

# A 1.6 charge point starts when the cable is in: within its ConnectionTimeOut, a few minutes.
WINDOW = timedelta(minutes=10)
# Clocks differ, and a StartTransaction may overtake the answer to the remote start.
SKEW = timedelta(seconds=60)


@dataclass(frozen=True)
class RemoteStart:
    """An accepted remote start, as its version's codec reads it from the command and answer."""

    command_id: str
    requested_at: datetime
    id_token: str
    id_token_type: str | None = None
    connector_id: int | None = None
    evse_id: int | None = None
    remote_start_id: int | None = None
    already_started: str | None = None  # 2.x: the answer's transactionId

    def began(self, session: SessionSummary) -> bool:
        if self.already_started is not None:
            return session.transaction_id == self.already_started
        if self.remote_start_id is not None:
            return session.remote_start_id == self.remote_start_id
        return (
            session.id_token == self.id_token
            and (self.connector_id is None or session.connector_id == self.connector_id)
            and self.requested_at - SKEW <= session.started_at <= self.requested_at + WINDOW
        )


def session_begun_by(remote: RemoteStart, sessions: list[SessionSummary]) -> SessionSummary | None:
    """The earliest of the charge point's sessions around the request that it began."""
    return next((s for s in sorted(sessions, key=lambda s: s.started_at) if remote.began(s)), None)


def remote_start_of(session: SessionSummary, remotes: list[RemoteStart]) -> RemoteStart | None:
    """The latest of the charge point's remote starts around the session that began it."""
    return next(
        (r for r in sorted(remotes, key=lambda r: r.requested_at, reverse=True) if r.began(session)), None
    )
