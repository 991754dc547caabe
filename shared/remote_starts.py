"""Remote starts and the sessions they began, linked when an operator reads either one."""

from __future__ import annotations

from datetime import datetime

from shared.data import commands, transactions
from shared.data.models import CommandRecord, TransactionRecord
from shared.domain.remote_starts import SKEW, WINDOW, RemoteStart, remote_start_of, session_begun_by
from shared.domain.sessions import SessionSummary


def _remote_start(record: CommandRecord) -> RemoteStart | None:
    return RemoteStart.of(
        record.command_id,
        record.action,
        record.payload,
        record.response,
        datetime.fromisoformat(record.created_at),
    )


def _session(record: TransactionRecord) -> SessionSummary:
    return transactions.summarise(record, readings=[])  # who, where and when: no energy needed


def session_begun_by_command(record: CommandRecord) -> str | None:
    """The transaction id of the session a remote start began: 1 query, only for accepted ones."""
    remote = _remote_start(record)
    if remote is None:
        return None
    if remote.already_started is not None:
        found = transactions.find_sessions(remote.already_started, record.charge_point_id)
    else:
        found = transactions.sessions_between(
            record.charge_point_id, remote.requested_at - SKEW, remote.requested_at + WINDOW
        )
    session = session_begun_by(remote, [_session(r) for r in found])
    return session.transaction_id if session else None


def command_that_began(session: SessionSummary) -> str | None:
    """The command id of the remote start that began a session, if one did: 1 query."""
    around = commands.made_between(
        session.charge_point_id, session.started_at - WINDOW, session.started_at + WINDOW
    )
    remotes = [remote for remote in map(_remote_start, around) if remote is not None]
    remote = remote_start_of(session, remotes)
    return remote.command_id if remote else None
