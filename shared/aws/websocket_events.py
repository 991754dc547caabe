"""Reading API Gateway WebSocket events. Powertools' event models drop the query string and
the authorizer context, which is what these need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from shared.domain.client_certificates import ClientCertificate, parse_validity, serial_hex

# The edge's contract with the authorizer: the charge point's identity, moved from the URL
# path into this query parameter, and the secret header that proves the handshake came
# through the edge.
IDENTITY_PARAMETER = "chargePointId"
ORIGIN_SECRET_HEADER = "x-csms-origin-secret"
# The address of the charge point as the edge saw it ("ip:port"); the gateway itself sees the edge's.
VIEWER_ADDRESS_HEADER = "cloudfront-viewer-address"

# What the edge says of the viewer's connection: the scheme (wss or ws), and the client
# certificate it verified (CloudFront viewer mTLS forwards these; so does the local runtime).
FORWARDED_PROTO_HEADER = "cloudfront-forwarded-proto"
CERT_PRESENT_HEADER = "cloudfront-viewer-cert-present"
# The leaf itself, URL-encoded PEM: its subject, validity, serial and extended key usage.
CERT_PEM_HEADER = "cloudfront-viewer-cert-pem"
# The same facts one by one, less the usage, from an edge that forwards no PEM.
CERT_SUBJECT_HEADER = "cloudfront-viewer-cert-subject"
CERT_VALIDITY_HEADER = "cloudfront-viewer-cert-validity"
CERT_SERIAL_HEADER = "cloudfront-viewer-cert-serial-number"

# Keys of the authorizer context that API Gateway hands to every route of a connection.
CONTEXT_CHARGE_POINT = "chargePointId"
CONTEXT_VERSION = "ocppVersion"
CONTEXT_REGISTER = "register"
# The charge point's tenant, read with its registration: what its messages cause is the tenant's.
CONTEXT_TENANT = "tenantId"


@dataclass(frozen=True)
class Caller:
    """Who is on a connection, as the authorizer decided at the handshake."""

    connection_id: str
    charge_point_id: str
    ocpp_version: str
    register: bool
    request_context: dict[str, Any]
    # None: a connection admitted before the authorizer said (its tenant is read when needed)
    tenant_id: str | None = None


def caller_of(event: dict[str, Any]) -> Caller:
    context = event["requestContext"]
    authorizer = context.get("authorizer") or {}
    return Caller(
        connection_id=context["connectionId"],
        charge_point_id=authorizer[CONTEXT_CHARGE_POINT],
        ocpp_version=authorizer[CONTEXT_VERSION],
        register=str(authorizer.get(CONTEXT_REGISTER, "false")).lower() == "true",
        request_context=context,
        tenant_id=authorizer.get(CONTEXT_TENANT) or None,
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


def over_tls(event: dict[str, Any]) -> bool:
    """Whether the charge point connected with wss://. The edge serves HTTPS only unless the
    stack allows unencrypted connections, so no header means TLS."""
    proto = header(event, FORWARDED_PROTO_HEADER)
    return not proto or proto[0].strip().lower() != "http"


def client_certificate(event: dict[str, Any]) -> ClientCertificate | None:
    """The certificate the edge verified, if the charge point presented one: read from the
    leaf it forwards, else from its subject, validity and serial headers (then what it is for
    is unknown, and it admits no one at profile 3)."""
    present = header(event, CERT_PRESENT_HEADER)
    if not present or present[0].strip() != "1":
        return None
    pem = header(event, CERT_PEM_HEADER)
    if pem:
        from shared.domain.x509 import client_certificate as read_pem  # only handshakes with one

        return read_pem(unquote(pem[0]))
    subject = header(event, CERT_SUBJECT_HEADER)
    if not subject:
        return None
    validity = header(event, CERT_VALIDITY_HEADER)
    not_before, not_after = parse_validity(validity[0]) if validity else (None, None)
    serial = header(event, CERT_SERIAL_HEADER)
    return ClientCertificate(
        subject[0],
        not_before=not_before,
        not_after=not_after,
        serial=serial_hex(serial[0]) if serial else None,
    )
