"""What the protocol tests share: a stored command with its answer, and an intent checked
against its version's schema."""

from datetime import UTC, datetime

from ocpp.messages import Call

from shared.domain.commands import Command, CommandStatus
from shared.protocol import framing
from shared.protocol.versions import profile_for

T0 = datetime(2026, 11, 24, 10, tzinfo=UTC)


def answered(version, action, payload, response):
    return Command("c1", "CP1", version, action, payload, CommandStatus.COMPLETED, T0, 30, response=response)


def valid(version, intent):
    """The intent as its version's schema takes it (raises otherwise)."""
    action, payload = intent
    framing.validate(Call("m1", action, payload), profile_for(version))
    return action, payload
