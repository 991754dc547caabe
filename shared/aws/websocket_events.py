"""Reading API Gateway WebSocket events. Powertools' event models drop the query string and
the authorizer context, which is what these need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The edge's contract with the authorizer: the charge point's identity, moved from the URL
# path into this query parameter, and the secret header that proves the handshake came
# through the edge.
IDENTITY_PARAMETER = "chargePointId"
ORIGIN_SECRET_HEADER = "x-csms-origin-secret"
# The address of the charge point as the edge saw it ("ip:port"); the gateway itself sees the edge's.
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"

# Keys of the authorizer context that API Gateway hands to every route of a connection.
CONTEXT_CHARGE_POINT = "chargePointId"
CONTEXT_VERSION = "ocppVersion"
CONTEXT_REGISTER = "register"


@dataclass(frozen=True)
class Caller:
    """Who is on a connection, as the authorizer decided at the handshake."""

    connection_id: str
    charge_point_id: str
    ocpp_version: str
    register: bool
    request_context: dict[str, Any]


def caller_of(event: dict[str, Any]) -> Caller:
    context = event["requestContext"]
    authorizer = context.get("authorizer") or {}
    return Caller(
        connection_id=context["connectionId"],
        charge_point_id=authorizer[CONTEXT_CHARGE_POINT],
        ocpp_version=authorizer[CONTEXT_VERSION],
        register=str(authorizer.get(CONTEXT_REGISTER, "false")).lower() == "true",
        request_context=context,
    )


def source_address(event: dict[str, Any], behind_edge: bool) -> str:
    """Where a handshake came from: behind the edge, the address it saw (a header only the edge
    sets, since every handshake must carry the edge's secret); else the gateway's."""
    if behind_edge:
        viewer = header(event, VIEWER_ADDRESS_HEADER)
        if viewer:
            return viewer[0].rpartition(":")[0] or viewer[0]
    identity = (event.get("requestContext") or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")


def header(event: dict[str, Any], name: str) -> list[str]:
    """All values of a header, case-insensitively, from single- and multi-value maps."""
    name = name.lower()
    multi = event.get("multiValueHeaders") or {}
    for key, values in multi.items():
        if key.lower() == name and values:
            return list(values)
    single = event.get("headers") or {}
    return [value for key, value in single.items() if key.lower() == name]
