"""OCPP-J frames in and out, on top of the `ocpp` package.

The package gives the message classes, the bundled JSON schemas and the cached validators.
Here its gaps are corrected (docs/decisions/0013-framing-corrections.md): error codes are
named per version and as OCPP-J defines them (a missing required field is an occurrence
violation, an enum miss a property violation), message ids must be strings, frames are
size-capped, and OCPP 2.1's CALLRESULTERROR and SEND frames are understood.
"""

from __future__ import annotations

import decimal
import json
import math
import re
from typing import Any

from jsonschema.exceptions import ValidationError as SchemaError
from jsonschema.exceptions import best_match
from ocpp.messages import Call, CallError, CallResult, get_validator

from shared.protocol.errors import UNREADABLE_MESSAGE_ID, ErrorKind, RpcError
from shared.protocol.versions import Profile

# OCPP-J limits an errorDescription to 255 characters.
MAX_DESCRIPTION = 255
# OCPP-J's longest message id: it becomes part of keys the CSMS stores (a DataTransfer's), and
# a UUID, what stations and the CSMS use, is this long.
MAX_MESSAGE_ID = 36
# Numbers any OCPP field can mean, and DynamoDB can keep (it holds magnitudes from 1e-130 to
# 1e126 and 38 digits): finite, integers within 64 bits, decimals within these magnitudes.
MAX_INTEGER = 2**63 - 1
LARGEST, SMALLEST = 1e30, 1e-30


class _Refused:
    """Stands in, while a frame is read, for a number no OCPP field can hold."""

    def __init__(self, token: str) -> None:
        self.token = token


class _Numbers:
    """JSON's number hooks: numbers OCPP can carry pass, others are marked for refusal."""

    def __init__(self) -> None:
        self.refused = False

    def decimal(self, token: str) -> float | _Refused:
        value = float(token)
        if math.isfinite(value) and (value == 0 or SMALLEST <= abs(value) <= LARGEST):
            return value
        return self._refuse(token)

    def integer(self, token: str) -> int | _Refused:
        value = int(token)
        return value if abs(value) <= MAX_INTEGER else self._refuse(token)

    def constant(self, token: str) -> _Refused:  # NaN, Infinity, -Infinity
        return self._refuse(token)

    def _refuse(self, token: str) -> _Refused:
        self.refused = True
        return _Refused(token)


def _refused_at(value: Any, path: str = "") -> tuple[str, str] | None:
    """Where the first refused number sits in a payload, and what it was."""
    if isinstance(value, _Refused):
        return path or "(payload)", value.token
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = _refused_at(item, f"{path}/{key}" if path else str(key))
        if found:
            return found
    return None


class CallResultError(CallError):
    """OCPP 2.1: the answer to a CALLRESULT that the receiver could not accept."""

    message_type_id = 5


class Send(Call):
    """OCPP 2.1: a CALL that gets no answer."""

    message_type_id = 6


Frame = Call | CallResult | CallError
# Frames never answered, not even with an error: CALLRESULT, CALLERROR, CALLRESULTERROR, SEND.
NEVER_ANSWERED = frozenset({3, 4, 5, 6})


def parse(text: str | bytes, profile: Profile, max_bytes: int) -> Frame:
    """Parse one frame, or raise the RpcError it must be answered with."""
    size = len(text.encode() if isinstance(text, str) else text)
    if size > max_bytes:
        raise _undecodable(text, f"Frame of {size} bytes exceeds the {max_bytes}-byte limit")
    numbers = _Numbers()
    try:
        text = text.decode("utf-8") if isinstance(text, bytes) else text
        message = json.loads(
            text, parse_float=numbers.decimal, parse_int=numbers.integer, parse_constant=numbers.constant
        )
    except RecursionError:
        raise _undecodable(text, "Frame is nested too deeply") from None
    except (ValueError, UnicodeDecodeError):
        raise RpcError(ErrorKind.FORMAT, "Frame is not valid JSON") from None
    if not isinstance(message, list) or not message:
        raise RpcError(ErrorKind.FORMAT, "Frame is not a non-empty JSON array")
    frame = _frame(message, profile)
    if numbers.refused:
        where, token = _refused_at(message[1:]) or ("(frame)", "?")
        raise RpcError(
            ErrorKind.PROPERTY_CONSTRAINT,
            f"{where.partition('/')[2] or where}: {token} is not a number OCPP can carry",
            message_id=frame.unique_id,
            never_answered=not isinstance(frame, Call) or isinstance(frame, Send),
        )
    if ("\\ud" in text or "\\uD" in text) and not _valid_unicode(message):
        raise RpcError(
            ErrorKind.FORMAT,
            "Frame holds a lone UTF-16 surrogate, which is not Unicode text",
            message_id=frame.unique_id,
            never_answered=not isinstance(frame, Call) or isinstance(frame, Send),
        )
    return frame


# A frame's head, [type, "messageId", ...: what can be read of a frame too large or too deep to
# decode, so that its CALLERROR carries its id.
_HEAD = re.compile(r'\s*\[\s*(-?\d+)\s*,\s*("(?:[^"\\]|\\.)*")\s*,')


def _undecodable(text: str | bytes, description: str) -> RpcError:
    """The error for a frame that cannot be decoded whole, with its id when its head reads."""
    start = text[:256] if isinstance(text, str) else text[:256].decode("utf-8", errors="replace")
    head = _HEAD.match(start)
    try:
        message_id = json.loads(head.group(2)) if head else None
    except ValueError:
        message_id = None
    if head is None or not isinstance(message_id, str) or len(message_id) > MAX_MESSAGE_ID:
        return RpcError(ErrorKind.FORMAT, description)
    return RpcError(
        ErrorKind.FORMAT,
        description,
        message_id=message_id,
        never_answered=int(head.group(1)) in NEVER_ANSWERED,
    )


def _valid_unicode(message: Any) -> bool:
    try:
        json.dumps(message, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _frame(message: list[Any], profile: Profile) -> Frame:
    """The frame a decoded JSON array makes, or the RpcError it must be answered with."""
    type_id = message[0]
    message_id = message[1] if len(message) > 1 and isinstance(message[1], str) else None
    if type(type_id) is not int:
        raise RpcError(
            ErrorKind.RPC_FRAMEWORK,
            "MessageTypeId must be an integer",
            message_id=message_id or UNREADABLE_MESSAGE_ID,
        )
    if type_id not in profile.message_types:
        raise RpcError(
            ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED,
            f"MessageTypeId {type_id} is not supported in OCPP {profile.version}",
            message_id=message_id or UNREADABLE_MESSAGE_ID,
        )
    if message_id is None:
        raise RpcError(
            ErrorKind.RPC_FRAMEWORK,
            "MessageId is missing or not a string",
            never_answered=type_id in NEVER_ANSWERED,
        )
    if len(message_id) > MAX_MESSAGE_ID:
        raise RpcError(
            ErrorKind.RPC_FRAMEWORK,
            f"MessageId is {len(message_id)} characters; OCPP-J allows {MAX_MESSAGE_ID}",
            message_id=message_id,
            never_answered=type_id in NEVER_ANSWERED,
        )

    if type_id in (Call.message_type_id, Send.message_type_id):
        if len(message) != 4 or not isinstance(message[2], str):
            raise RpcError(
                ErrorKind.RPC_FRAMEWORK,
                "A CALL is [2, messageId, action, payload]",
                message_id=message_id,
                never_answered=type_id in NEVER_ANSWERED,
            )
        if not isinstance(message[3], dict):
            raise RpcError(
                ErrorKind.FORMAT,
                "Payload must be a JSON object",
                message_id=message_id,
                never_answered=type_id in NEVER_ANSWERED,
            )
        cls = Send if type_id == Send.message_type_id else Call
        return cls(message_id, message[2], message[3])
    if type_id == CallResult.message_type_id:
        if len(message) != 3 or not isinstance(message[2], dict):
            raise RpcError(
                ErrorKind.RPC_FRAMEWORK,
                "A CALLRESULT is [3, messageId, payload]",
                message_id=message_id,
                never_answered=True,
            )
        return CallResult(message_id, message[2])
    # CALLERROR (4) or CALLRESULTERROR (5): [type, messageId, errorCode, errorDescription, errorDetails]
    if len(message) != 5 or not isinstance(message[2], str):
        raise RpcError(
            ErrorKind.RPC_FRAMEWORK,
            "A CALLERROR is [4, messageId, errorCode, errorDescription, errorDetails]",
            message_id=message_id,
            never_answered=True,
        )
    error_class = CallResultError if type_id == CallResultError.message_type_id else CallError
    return error_class(message_id, message[2], message[3], _error_details(message[4]))


def _error_details(details: Any) -> dict[str, Any]:
    """Some charge points send errorDetails as a JSON string rather than an object."""
    if isinstance(details, dict):
        return details
    if isinstance(details, str):
        try:
            decoded = json.loads(details)
        except ValueError:
            return {"text": details}
        return decoded if isinstance(decoded, dict) else {"value": decoded}
    return {} if details is None else {"value": details}


# How a JSON-schema miss maps onto OCPP-J's error codes.
_SCHEMA_ERROR_KINDS = {
    "type": ErrorKind.TYPE_CONSTRAINT,
    "required": ErrorKind.OCCURRENCE_CONSTRAINT,
    "minItems": ErrorKind.OCCURRENCE_CONSTRAINT,
    "maxItems": ErrorKind.OCCURRENCE_CONSTRAINT,
    "additionalProperties": ErrorKind.FORMAT,
}


def validate(message: Call | CallResult, profile: Profile, action: str | None = None) -> None:
    """Check a payload against the version's schema for its action; raise the RpcError to answer."""
    action = action or message.action
    assert action is not None, "an answer is validated against the action it answers"
    message_id = message.unique_id
    try:
        # Schemas read with exact decimals: 1.6's charging schedules say `multipleOf: 0.1`, which
        # only exact numbers can meet (21.4 is no multiple of 0.1 in binary floating point).
        validator = get_validator(
            message.message_type_id, action, profile.payload_version.value, parse_float=decimal.Decimal
        )
    except OSError:
        raise RpcError(
            ErrorKind.NOT_IMPLEMENTED,
            f"{action} has no schema in OCPP {profile.version}",
            message_id=message_id,
        ) from None
    try:
        error: SchemaError | None = best_match(validator.iter_errors(message.payload))
    except RecursionError:
        raise RpcError(ErrorKind.FORMAT, "Payload is nested too deeply", message_id=message_id) from None
    if error is None:
        return
    kind = _SCHEMA_ERROR_KINDS.get(str(error.validator), ErrorKind.PROPERTY_CONSTRAINT)
    where = "/".join(str(part) for part in error.absolute_path) or "(payload)"
    raise RpcError(kind, f"{where}: {error.message}", {"path": where}, message_id=message_id)


def call_result(message_id: str, payload: dict[str, Any]) -> str:
    return CallResult(message_id, payload).to_json()


def call_error(profile: Profile, error: RpcError) -> str:
    return CallError(
        error.message_id,
        profile.error_name(error.kind),
        error.description[:MAX_DESCRIPTION],
        error.details,
    ).to_json()
