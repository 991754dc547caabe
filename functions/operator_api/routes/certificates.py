"""/charge-points/{id}/certificates and /trust-anchors: what a station was issued and has
installed, roots installed and removed, and the roots operators keep to install."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.certificates import (
    CertificatesOut,
    FactsOut,
    InstalledOut,
    InstallIn,
    IssuedOut,
    TrustAnchorIn,
    TrustAnchorList,
    TrustAnchorOut,
)
from functions.operator_api.models.commands import CommandOut
from functions.operator_api.params import ChargePointId
from functions.operator_api.responses import (
    RESPONSES,
    Wait,
    command_out,
    command_response,
    json_response,
    with_examples,
)
from shared.domain.accounts import Permission
from shared.domain.certificates import Signing
from shared.domain.timestamps import utc_now
from shared.services import commands
from shared.services.certificates import station_certificates
from shared.services.certificates.station_certificates import TrustAnchor

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs).
ACCESS: Access = {
    "DELETE /charge-points/<charge_point_id>/certificates/<serial>": Permission.CERTIFICATES,
    "DELETE /trust-anchors/<name>": Permission.TRUST_ANCHORS,
    "GET /charge-points/<charge_point_id>/certificates": Permission.READ,
    "GET /trust-anchors": Permission.READ,
    "POST /charge-points/<charge_point_id>/certificates": Permission.CERTIFICATES,
    "POST /charge-points/<charge_point_id>/certificates/<serial>/revoke": Permission.CERTIFICATES,
    "POST /charge-points/<charge_point_id>/certificates/refresh": Permission.CERTIFICATES,
    "PUT /trust-anchors/<name>": Permission.TRUST_ANCHORS,
}
TAGS = ["Certificates"]
AnchorName = Annotated[str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$")]
Serial = Annotated[str, Path(pattern=r"^[0-9A-Fa-f:]{1,60}$", description="Hex; colons allowed")]


def _issued(signing: Signing) -> IssuedOut:
    return IssuedOut(
        use=signing.use.value,
        status=signing.status.value,
        subject=signing.subject,
        serial=signing.serial,
        not_after=signing.not_after,
        in_use=signing.current,
        attempts=signing.attempts,
        reason=signing.reason,
        requested_at=signing.requested_at,
        updated_at=signing.updated_at,
        certificate=signing.certificate,
    )


def _anchor(anchor: TrustAnchor) -> TrustAnchorOut:
    return TrustAnchorOut(
        name=anchor.name,
        certificate_type=anchor.kind,
        certificate=anchor.pem,
        facts=FactsOut(**vars(anchor.facts)),
        built_in=anchor.built_in,
    )


@router.get("/charge-points/<charge_point_id>/certificates", summary="A station's certificates", tags=TAGS)
def list_certificates(charge_point_id: ChargePointId) -> CertificatesOut:
    found = station_certificates.inventory(charge_point_id)
    installed = None
    if found.installed is not None:
        installed = [
            InstalledOut(certificate_type=f.certificate_type, hash_data=f.hash_data, children=[*f.children])
            for f in found.installed
        ]
    return CertificatesOut(
        issued=[_issued(s) for s in found.issued],
        installed=installed,
        installed_reported_at=found.installed_reported_at,
    )


@router.post(
    "/charge-points/<charge_point_id>/certificates",
    summary="Install a root on a station (InstallCertificate); the inventory is asked again once accepted",
    tags=TAGS,
    responses=RESPONSES,
)
def install_certificate(
    charge_point_id: ChargePointId,
    body: Annotated[
        InstallIn,
        with_examples(
            ("The CSMS's own root", {"trustAnchor": "csms"}),
            (
                "A manufacturer root",
                {"certificateType": "ManufacturerRootCertificate", "certificate": "-----BEGIN ..."},
            ),
        ),
    ],
    wait: Wait = None,
) -> Response[CommandOut]:
    command = station_certificates.install(
        charge_point_id, body.certificate_type, body.certificate, body.trust_anchor, utc_now()
    )
    return command_response(command, wait)


@router.post(
    "/charge-points/<charge_point_id>/certificates/refresh",
    summary="Ask a station what it has installed (GetInstalledCertificateIds; 1.6: once per root type)",
    tags=TAGS,
    responses=RESPONSES,
)
def refresh_certificates(charge_point_id: ChargePointId) -> Response[list[CommandOut]]:
    sent = station_certificates.refresh(charge_point_id, utc_now())
    return json_response(HTTPStatus.ACCEPTED, [command_out(commands.view(c)) for c in sent])


@router.delete(
    "/charge-points/<charge_point_id>/certificates/<serial>",
    summary="Remove a certificate the station reported (DeleteCertificate), by its serial number",
    tags=TAGS,
    responses=RESPONSES,
)
def delete_certificate(
    charge_point_id: ChargePointId, serial: Serial, wait: Wait = None
) -> Response[CommandOut]:
    return command_response(station_certificates.delete(charge_point_id, serial, utc_now()), wait)


@router.post(
    "/charge-points/<charge_point_id>/certificates/<serial>/revoke",
    summary="Revoke a client certificate: it admits the station no longer (its connection is closed)",
    tags=TAGS,
    responses={204: {"description": "Revoked"}, 404: {"description": "Unknown charge point"}},
)
def revoke_certificate(charge_point_id: ChargePointId, serial: Serial) -> Response[None]:
    station_certificates.revoke(charge_point_id, serial, utc_now())
    return Response(status_code=int(HTTPStatus.NO_CONTENT))


@router.get("/trust-anchors", summary="Roots to install on stations, the CSMS's own first", tags=TAGS)
def list_trust_anchors() -> TrustAnchorList:
    return TrustAnchorList(items=[_anchor(a) for a in station_certificates.trust_anchors()])


@router.put("/trust-anchors/<name>", summary="Keep a root (manufacturer, V2G, MO, OEM)", tags=TAGS)
def put_trust_anchor(name: AnchorName, body: TrustAnchorIn) -> Response[TrustAnchorOut]:
    anchor, created = station_certificates.put_trust_anchor(
        name, body.certificate_type, body.certificate, utc_now()
    )
    return json_response(HTTPStatus.CREATED if created else HTTPStatus.OK, _anchor(anchor))


@router.delete(
    "/trust-anchors/<name>",
    summary="Forget a root (stations that have it keep it)",
    tags=TAGS,
    responses={204: {"description": "Forgotten"}},
)
def delete_trust_anchor(name: AnchorName) -> Response[None]:
    station_certificates.delete_trust_anchor(name)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))
