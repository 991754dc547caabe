"""OCPP 1.5 stations over SOAP: they hold no connection, so the CSMS keeps where each takes calls
(its WS-Addressing `From`) and when it was last heard, and calls it there.

Online, for such a station, means heard from within its heartbeat interval (and a minute's grace
for the network): the boot answer tells it the interval, so a station that keeps to it never
looks offline."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ocpp.messages import CallError, CallResult

from shared.aws import outside
from shared.aws.connections import SendFailed, connections_at, endpoint_for
from shared.aws.event_bus import DomainEvent
from shared.data import charge_points
from shared.domain.commands import Command
from shared.domain.provisioning import ChargePoint, soap_connection, soap_endpoint
from shared.grants import grants
from shared.observability import logger
from shared.protocol import soap, v15
from shared.protocol.versions import OcppVersion
from shared.services.domain_events import publish
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points",),
    writes=("charge-points",),
    connections=("close",),  # a station that was on a WebSocket and comes back over SOAP
)

# How late a station may be past its interval and still count as online; also how often at most
# its being heard is written (a station heard again within it costs no write).
GRACE = timedelta(minutes=1)
# The most a station's answer may be.
MAX_ANSWER_BYTES = 512 * 1024


def online(charge_point: ChargePoint, now: datetime) -> bool:
    return charge_point.heard_within(now, get_settings().heartbeat_interval_s + int(GRACE.total_seconds()))


def heard(
    charge_point_id: str, found: ChargePoint | None, endpoint: str | None, register: bool, now: datetime
) -> None:
    """The station was heard: 1 write, unless it was heard at the same endpoint within the last
    minute. One that was offline (or on a WebSocket) comes online, as a connection would."""
    connection = soap_connection(endpoint or "")
    version = OcppVersion.V15.value
    same = found is not None and found.connection_id == connection and found.ocpp_version == version
    if same and found is not None and found.heard_within(now, int(GRACE.total_seconds())):
        return
    older = charge_points.record_connection(charge_point_id, connection, version, now, register)
    if same and found is not None and online(found, now):
        return
    if older and soap_endpoint(older) is None:  # it was on a WebSocket, which is over
        connections_at(endpoint_for()).close(older)
    publish(
        DomainEvent.CHARGE_POINT_CONNECTED,
        {"charge_point_id": charge_point_id, "ocpp_version": version, "at": now},
    )


def writable(action: str, payload: dict[str, Any]) -> None:
    """ValueError when OCPP 1.5 cannot carry this call."""
    v15.write_call(action, payload, soap.CP_NS)


def call(charge_point_id: str, endpoint: str, command: Command) -> CallResult | CallError:
    """The command, posted to the station as a 1.5 envelope; its answer as the 1.6 reply the
    command service reads. SendFailed when there is none to read (unreachable, a timeout, not
    an envelope)."""
    settings = get_settings()
    action = command.action
    body = v15.write_call(action, command.payload, soap.CP_NS)
    document = soap.envelope(
        body,
        f"/{action}",
        soap.CP_NS,
        charge_box_identity=charge_point_id,
        to=endpoint,
        message_id=f"urn:uuid:{command.command_id}",
    )
    try:
        answer = outside.fetch(
            endpoint,
            document,
            {"Content-Type": f'{soap.CONTENT_TYPE}; action="/{action}"'},
            settings.soap_call_timeout_s,
            MAX_ANSWER_BYTES,
            private_allowed=settings.soap_private_endpoints,
        )
    except outside.Refused as error:
        logger.info("SOAP station not reached", extra={"endpoint": endpoint[:200], "error": str(error)})
        raise SendFailed(f"The station's endpoint did not answer: {error}") from None
    try:
        envelope = soap.parse(answer, MAX_ANSWER_BYTES)
    except soap.Malformed as error:
        raise SendFailed(f"The station's answer is no SOAP envelope: {error}") from None
    faulted = soap.fault_of(envelope)
    if faulted is not None:
        return CallError(command.command_id, faulted[0], faulted[1], {})
    if v15.action_of(envelope.operation, "Response") != action:
        raise SendFailed(f"The station answered {envelope.operation}, not {action}")
    return CallResult(command.command_id, v15.read_answer(action, envelope.body))
