"""Security: who may open an OCPP connection, and with which version (security profile 1:
HTTP Basic with the charge point's id as the username)."""

from __future__ import annotations

from shared.data import charge_points
from shared.domain.admission import Decision, Handshake, admit
from shared.protocol.versions import negotiate
from shared.settings import get_settings


def admit_handshake(
    charge_point_id: str | None, subprotocols: list[str], authorization: str | None, origin_secret: str | None
) -> Decision:
    """At most 1 read: the charge point's registration."""
    settings = get_settings()
    version = negotiate(subprotocols)
    handshake = Handshake(
        charge_point_id=charge_point_id,
        subprotocols=subprotocols,
        authorization=authorization,
        origin_secret=origin_secret,
        version=version.value if version else None,
    )
    return admit(
        handshake,
        charge_points.find_charge_point,
        auto_register=settings.admission == "auto-register",
        expected_origin_secret=settings.origin_secret,
    )
