"""OCPP-J RPC errors as one set of kinds; each version names them on the wire (versions.py)."""

from __future__ import annotations

from enum import Enum
from typing import Any


class ErrorKind(Enum):
    FORMAT = "format"  # not JSON, not an array, payload not an object or not to the PDU's structure
    RPC_FRAMEWORK = "rpc-framework"  # an array, but not a valid RPC frame (e.g. unreadable message id)
    MESSAGE_TYPE_NOT_SUPPORTED = "message-type-not-supported"
    NOT_IMPLEMENTED = "not-implemented"  # action unknown, or not handled yet
    NOT_SUPPORTED = "not-supported"  # action known but not one the receiver takes
    TYPE_CONSTRAINT = "type-constraint"
    PROPERTY_CONSTRAINT = "property-constraint"
    OCCURRENCE_CONSTRAINT = "occurrence-constraint"
    PROTOCOL = "protocol"
    SECURITY = "security"
    INTERNAL = "internal"
    GENERIC = "generic"


# OCPP-J: when the message id of a frame cannot be read, the CALLERROR carries "-1".
UNREADABLE_MESSAGE_ID = "-1"


class RpcError(Exception):
    """An incoming frame that must be answered with a CALLERROR of this kind."""

    def __init__(
        self,
        kind: ErrorKind,
        description: str,
        details: dict[str, Any] | None = None,
        message_id: str = UNREADABLE_MESSAGE_ID,
        never_answered: bool = False,
    ) -> None:
        super().__init__(description)
        self.kind = kind
        self.description = description
        self.details = details or {}
        self.message_id = message_id
        # Raised for a frame that is never answered (a CALLRESULT, CALLERROR or SEND): it is
        # logged and dropped instead.
        self.never_answered = never_answered
