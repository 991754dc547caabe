"""One frame in, at most one frame out. No AWS here beyond what the action handlers store."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Any

from ocpp.messages import Call, CallError, CallResult

from functions.ocpp_router.registry import CallContext, lookup
from functions.ocpp_router.replies import handle_reply
from shared.domain.errors import NotRegistered
from shared.observability import logger, metrics
from shared.protocol import framing
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import Profile
from shared.settings import get_settings


def handle_frame(
    text: str | bytes, charge_point_id: str, connection_id: str, profile: Profile, received_at: datetime
) -> str | None:
    """The frame to send back, if any. Never raises: every failure becomes the CALLERROR the
    version prescribes, and a reply frame (CALLRESULT, CALLERROR) is never answered."""
    try:
        frame = framing.parse(text, profile, get_settings().max_message_bytes)
    except RpcError as error:
        if error.never_answered:
            logger.warning(
                "Malformed frame that is never answered: dropped", extra={"error": error.description}
            )
            return None
        metrics.add_metric(name="CallErrors", unit="Count", value=1)
        logger.warning("Malformed frame", extra={"error_kind": error.kind.value, "error": error.description})
        return framing.call_error(profile, error)

    context = CallContext(charge_point_id, connection_id, profile, received_at, frame.unique_id)
    if isinstance(frame, CallResult | CallError):
        try:
            handle_reply(context, frame)
        except Exception:  # an answer is never answered, not even when keeping it fails
            logger.exception("Answer to a command could not be kept", extra={"message_id": frame.unique_id})
            metrics.add_metric(name="InternalErrors", unit="Count", value=1)
        return None

    if isinstance(frame, framing.Send):  # OCPP 2.1 SEND: nothing goes back, not even an error
        with contextlib.suppress(RpcError):  # counted and logged as a refused call already
            answer_payload(context, frame)
        return None
    return _answer(context, frame)


def _answer(context: CallContext, call: Call) -> str:
    try:
        payload = answer_payload(context, call)
        wire = framing.to_wire(context.profile, call.action, CallResult.message_type_id, payload)
    except RpcError as error:
        error.message_id = call.unique_id
        return framing.call_error(context.profile, error)
    return framing.call_result(call.unique_id, wire)


def answer_payload(context: CallContext, call: Call) -> dict[str, Any]:
    """The answer's payload; every failure as the RpcError to answer (an unregistered charge
    point a SecurityError, anything unexpected an InternalError). Never anything else."""
    profile = context.profile
    try:
        handler = lookup(profile, call.action, call.unique_id)
        call.payload = framing.from_wire(profile, call.action, call.message_type_id, call.payload)
        framing.validate(call, profile)
        payload = handler(context, call.payload)
    except RpcError as error:
        error.message_id = call.unique_id
        metrics.add_metric(name="CallErrors", unit="Count", value=1)
        logger.info(
            "Call refused",
            extra={"action": call.action, "error_kind": error.kind.value, "error": error.description},
        )
        raise
    except NotRegistered:
        raise RpcError(
            ErrorKind.SECURITY, "Charge point is not registered", message_id=call.unique_id
        ) from None
    except Exception:
        logger.exception("Handler failed", extra={"action": call.action})
        metrics.add_metric(name="InternalErrors", unit="Count", value=1)
        raise RpcError(ErrorKind.INTERNAL, "An internal error occurred", message_id=call.unique_id) from None
    if isinstance(call, framing.Send):
        return payload  # a SEND has no answer, and no answer's schema
    try:
        framing.validate(CallResult(call.unique_id, payload), profile, call.action)
    except RpcError as error:
        # Our answer broke the schema: a bug here, reported as such, never sent half-right.
        logger.error(
            "Answer failed its own schema", extra={"action": call.action, "error": error.description}
        )
        raise RpcError(ErrorKind.INTERNAL, "An internal error occurred", message_id=call.unique_id) from None
    return payload
