"""The dispatch table: one handler per OCPP action, registered with `@handles`, built once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions.ocpp_router import actions
from shared.protocol import framing
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import PREFERENCE, PROFILES, OcppVersion, Profile


@dataclass(frozen=True)
class CallContext:
    """What a handler knows about the call besides its payload."""

    charge_point_id: str
    connection_id: str
    profile: Profile
    received_at: datetime
    message_id: str


Handler = Callable[[CallContext, dict[str, Any]], dict[str, Any]]

_TABLE: dict[tuple[OcppVersion, str], Handler] = {}
# The versions with handlers of their own; the others are served by those they are read as.
SERVED = tuple(version for version in PREFERENCE if PROFILES[version].read_as is None)
# Oldest first, as the README's table reads.
_BY_AGE = sorted(PROFILES, key=lambda version: tuple(int(part) for part in version.value.split(".")))


def handles(action: str, versions: tuple[OcppVersion, ...] = SERVED) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for version in versions:
            key = (version, action)
            if key in _TABLE:
                raise RuntimeError(f"{action} for OCPP {version} is registered twice")
            _TABLE[key] = handler
        return handler

    return register


def lookup(profile: Profile, action: str, message_id: str) -> Handler:
    """The action's handler for the version; a version read as another (2.0 as 2.0.1, 1.5 as
    1.6) is served by that one's handlers, for the actions it has and its rules can word."""
    served = action in profile.actions and action not in framing.unserved(profile)
    handler = _TABLE.get((profile.schemas, action)) if served else None
    if handler is None and served and actions.load(action):  # first time: its module registers it
        handler = _TABLE.get((profile.schemas, action))
    if handler is not None:
        return handler
    if action not in profile.actions:
        raise RpcError(
            ErrorKind.NOT_IMPLEMENTED,
            f"{action} is not an OCPP {profile.version} action",
            message_id=message_id,
        )
    if action not in profile.from_charge_point:
        raise RpcError(
            ErrorKind.NOT_SUPPORTED,
            f"{action} is sent by the CSMS, not by a charge point",
            message_id=message_id,
        )
    raise RpcError(ErrorKind.NOT_IMPLEMENTED, f"{action} is not implemented yet", message_id=message_id)


def implemented(version: OcppVersion) -> list[str]:
    actions.load_all()
    profile = PROFILES[version]
    unserved = framing.unserved(profile)
    return sorted(
        action
        for (v, action) in _TABLE
        if v is profile.schemas and action in profile.actions and action not in unserved
    )


def actions_markdown() -> str:
    """The README's table of what each version implements, made from the dispatch table."""
    actions.load_all()
    versions = _BY_AGE
    handled = sorted({action for (_, action) in _TABLE})
    answered = {v: set(implemented(v)) for v in versions}
    lines = [
        "| Charge point → CSMS | " + " | ".join(f"OCPP {v}" for v in versions) + " |",
        "|---|" + "---|" * len(versions),
    ]
    for action in handled:
        marks = ["✓" if action in answered[v] else "-" for v in versions]
        lines.append(f"| {action} | " + " | ".join(marks) + " |")
    lines.append("")
    lines.append("Not implemented yet (answered with a `NotImplemented` CALLERROR):")
    lines.append("")
    for version in versions:
        missing = sorted(PROFILES[version].from_charge_point - answered[version])
        lines.append(f"- OCPP {version}: " + (", ".join(missing) or "none"))
    return "\n".join(lines)
