"""Remote control: remote starts and the sessions they began, linked when an operator reads
either one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import commands, transactions
from shared.domain.authorization import IdToken
from shared.domain.commands import Command
from shared.domain.remote_control import SKEW, WINDOW, RemoteStart, remote_start_of, session_begun_by
from shared.domain.transactions import SessionSummary
from shared.grants import grants
from shared.protocol.remote_control import remote_control_codec
from shared.protocol.versions import profile_for
from shared.services import answers

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("transactions",),
    indexes=("commands/by-charge-point", "transactions/by-charge-point"),
)


def _remote_start(command: Command) -> RemoteStart | None:
    return remote_control_codec(profile_for(command.ocpp_version)).remote_start_of(command)


def _sessions(found: list[Any]) -> list[SessionSummary]:
    return [transactions.summarise(r, readings=[]) for r in found]  # who, where and when: no energy


def sessions_begun_by(page: list[Command]) -> dict[str, str]:
    """Command id -> transaction id, for the accepted remote starts among one charge point's
    commands: 1 query for the page (plus 1 per 2.x start that found a session under way)."""
    remotes = [remote for remote in map(_remote_start, page) if remote is not None]
    if not remotes:
        return {}
    charge_point_id = page[0].charge_point_id
    earliest = min(r.requested_at for r in remotes) - SKEW
    latest = max(r.requested_at for r in remotes) + WINDOW
    around = _sessions(transactions.sessions_between(charge_point_id, earliest, latest))
    begun = {}
    for remote in remotes:
        candidates = around
        if remote.already_started is not None:
            candidates = _sessions(transactions.find_sessions(remote.already_started, charge_point_id))
        session = session_begun_by(remote, candidates)
        if session is not None:
            begun[remote.command_id] = session.transaction_id
    return begun


def token_of_remote_start(charge_point_id: str, remote_start_id: int, started_at: datetime) -> IdToken | None:
    """The token a RequestStartTransaction named, for a session it began whose Started event
    carries none: 1 query of the charge point's commands made shortly before. The station may
    start before it answers, so an unanswered request counts too."""
    made = commands.made_between(charge_point_id, started_at - WINDOW, started_at + SKEW)
    for command in made:
        codec = remote_control_codec(profile_for(command.ocpp_version))
        remote = codec.remote_start_of(command, accepted_only=False)
        if remote is not None and remote.remote_start_id == remote_start_id:
            return IdToken(remote.id_token, remote.id_token_type)
    return None


def command_that_began(session: SessionSummary) -> str | None:
    """The command id of the remote start that began a session, if one did: 1 query."""
    around = commands.made_between(
        session.charge_point_id, session.started_at - WINDOW, session.started_at + WINDOW
    )
    remotes = [remote for remote in map(_remote_start, around) if remote is not None]
    remote = remote_start_of(session, remotes)
    return remote.command_id if remote else None


@answers.keeps("UnlockConnector")
def unlock_answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """Kept as the charge point's latest unlock answer."""
    asked = remote_control_codec(profile_for(command.ocpp_version)).unlock_asked(command)
    answers.keep_latest("unlock", command, response, now, asked)
