"""Display messages (2.x): set through SetDisplayMessage and kept once accepted, reported by the
charge point (NotifyDisplayMessages, after GetDisplayMessages), cleared through
ClearDisplayMessage."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from shared.data import charge_points, display_messages
from shared.domain.commands import Command
from shared.domain.display_messages import DisplayMessage, KnownMessage
from shared.grants import grants
from shared.protocol.display_messages import display_messages_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "display-messages"),
    writes=("display-messages",),
)


def show(charge_point_id: str, message: DisplayMessage, now: datetime) -> Command:
    return commands.submit_intent(
        charge_point_id,
        lambda profile: display_messages_codec(profile).set_display_message(message),
        None,
        now,
    )


def ask_for_all(charge_point_id: str, now: datetime) -> Command:
    """GetDisplayMessages: the charge point answers with NotifyDisplayMessages, kept as it comes."""
    request_id = random.randint(1, 2**31 - 1)
    return commands.submit_intent(
        charge_point_id,
        lambda profile: display_messages_codec(profile).get_display_messages(request_id),
        None,
        now,
    )


def clear(charge_point_id: str, message_id: int, now: datetime) -> Command:
    return commands.submit_intent(
        charge_point_id,
        lambda profile: display_messages_codec(profile).clear_display_message(message_id),
        None,
        now,
    )


def reported(charge_point_id: str, ocpp_version: str, payload: dict[str, Any], at: datetime) -> None:
    """NotifyDisplayMessages: a batch write of the messages it names."""
    messages = display_messages_codec(profile_for(ocpp_version)).display_messages_report(payload)
    if messages:
        display_messages.put_messages(charge_point_id, messages, "reported", at)


@answers.keeps("SetDisplayMessage", "ClearDisplayMessage")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """SetDisplayMessage accepted: the charge point shows it. ClearDisplayMessage accepted (or
    Unknown: it never had it): it does not."""
    status = response.get("status")
    if command.action == "SetDisplayMessage" and status == "Accepted":
        info = command.payload["message"]
        display_messages.put_messages(command.charge_point_id, [(int(info["id"]), info)], "set", now)
    elif command.action == "ClearDisplayMessage" and status in ("Accepted", "Unknown"):
        display_messages.delete_message(command.charge_point_id, int(command.payload["id"]))


def messages_of(charge_point_id: str) -> list[KnownMessage]:
    charge_points.registered_charge_point(charge_point_id)
    return sorted(display_messages.messages_of(charge_point_id), key=lambda m: m.message_id)
