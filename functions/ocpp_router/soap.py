"""OCPP 1.5 over SOAP 1.2: charge points POST envelopes to /ocpp/soap/1.5 on the HTTP API.

Each envelope is one call, answered in the same exchange: read safely (shared/protocol/soap.py),
admitted as a WebSocket handshake would be, converted to the 1.6 payload it is a subset of
(shared/protocol/v15.py) and answered by the same action handlers, then written back with
`RelatesTo` naming its `MessageID`. What fails is a SOAP fault with the OCPP error's name:
`env:Sender` and HTTP 400 for the request's fault, `env:Receiver` and HTTP 500 for ours."""

from __future__ import annotations

import base64
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from ocpp.messages import Call

from functions.ocpp_router.dispatch import answer_payload
from functions.ocpp_router.registry import CallContext
from shared.aws.websocket_events import ORIGIN_SECRET_HEADER, header, over_tls, source_address
from shared.domain.admission import Verdict
from shared.domain.provisioning import soap_connection
from shared.domain.timestamps import utc_now
from shared.observability import logger, metrics, publish_metrics
from shared.protocol import soap, v15
from shared.protocol.errors import ErrorKind, RpcError
from shared.protocol.versions import OcppVersion, profile_for
from shared.services import soap_stations
from shared.services.security import handshake
from shared.services.station_tenant import from_station
from shared.settings import get_settings

PATH = "/ocpp/soap/1.5"
PROFILE = profile_for(OcppVersion.V15.value)

app = APIGatewayHttpResolver()


@app.post(PATH)
def receive() -> Response[str]:
    event = app.current_event
    raw = event.get("body") or ""
    encoded = event.get("isBase64Encoded")
    document = base64.b64decode(raw) if encoded else raw.encode("utf-8", "surrogateescape")
    status, answer = handle(event.raw_event, document)
    return Response(status_code=status, content_type=soap.CONTENT_TYPE, body=answer.decode())


def handle(event: dict[str, Any], document: bytes) -> tuple[int, bytes]:
    """The HTTP status and the envelope to answer with. Never raises."""
    settings = get_settings()
    try:
        envelope = soap.parse(document, settings.max_message_bytes)
    except soap.Malformed as error:
        metrics.add_metric(name="SoapFaults", unit="Count", value=1)
        logger.warning("Malformed SOAP request", extra={"error": str(error)})
        return _fault(ErrorKind.FORMAT, str(error), None)
    relates_to = envelope.message_id
    action = v15.action_of(envelope.operation, "Request")
    if envelope.namespace != soap.CS_NS or action is None or action not in PROFILE.from_charge_point:
        reason = f"{envelope.operation} is no OCPP 1.5 central system operation"
        return _fault(ErrorKind.NOT_IMPLEMENTED, reason, relates_to)
    identity = envelope.charge_box_identity
    authorization = header(event, "authorization")
    secrets = header(event, ORIGIN_SECRET_HEADER)
    now = utc_now()
    decision, found = handshake.admit_soap(
        identity,
        authorization[0] if authorization else None,
        secrets[0] if secrets else None,
        source_address(event, behind_edge=bool(settings.origin_secret)),
        now,
        secure=over_tls(event),
    )
    logger.append_keys(charge_point_id=identity, action=action)
    if decision.verdict is not Verdict.ALLOW or identity is None:
        logger.info("SOAP request refused", extra={"reason": decision.reason})
        return _fault(ErrorKind.SECURITY, decision.reason, relates_to)
    message_id = relates_to or f"soap-{now.timestamp()}"
    try:
        call = Call(message_id, action, v15.read_request(action, envelope.body))
        with from_station(identity, decision.tenant_id):
            soap_stations.heard(identity, found, envelope.from_address, decision.register, now)
            connection = soap_connection(envelope.from_address or "")
            context = CallContext(identity, connection, PROFILE, now, message_id)
            payload = answer_payload(context, call)
        body = v15.write_answer(action, payload, soap.CS_NS)
    except RpcError as error:
        return _fault(error.kind, error.description, relates_to)
    except Exception:
        logger.exception("SOAP request failed")
        return _fault(ErrorKind.INTERNAL, "An internal error occurred", relates_to)
    return 200, soap.envelope(body, f"/{action}Response", soap.CS_NS, relates_to=relates_to)


def _fault(kind: ErrorKind, reason: str, relates_to: str | None) -> tuple[int, bytes]:
    ours = kind is ErrorKind.INTERNAL
    metrics.add_metric(name="SoapFaults", unit="Count", value=1)
    return (500 if ours else 400), soap.fault(not ours, PROFILE.error_name(kind), reason[:500], relates_to)


@logger.inject_lambda_context(clear_state=True)
@publish_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
