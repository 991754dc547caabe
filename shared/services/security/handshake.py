"""Security: who may open an OCPP connection, and with which version (security profile 1:
HTTP Basic with the charge point's id as the username), and the throttle on guessing."""

from __future__ import annotations

from datetime import datetime, timedelta

from shared.data import charge_points, throttles
from shared.domain.admission import Decision, Handshake, Verdict, admit
from shared.domain.client_certificates import ClientCertificate
from shared.domain.provisioning import ChargePoint
from shared.grants import grants
from shared.observability import logger, metrics
from shared.protocol.versions import OcppVersion, negotiate
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "throttles"),
    writes=("throttles",),
)

# Failed handshakes with credentials allowed per window: from one address for one id, and from
# one address for any id. Past them, an attempt is refused without its password being checked
# (each check costs a PBKDF2 of 120,000 rounds). An attacker elsewhere cannot lock out a
# station: the counts are per address. The limit for any id is generous, since a site's
# stations may share one address behind NAT: a few with a stale password must not lock out the
# rest, while 100 checks in five minutes cost the CPU nothing that matters.
WINDOW = timedelta(minutes=5)
PER_IDENTITY = 5
PER_ADDRESS = 100


def admit_handshake(
    charge_point_id: str | None,
    subprotocols: list[str],
    authorization: str | None,
    origin_secret: str | None,
    source: str,
    now: datetime,
    secure: bool = True,
    certificate: ClientCertificate | None = None,
) -> Decision:
    """At most 1 read of the registration; with credentials, 1 batch read of the throttle and,
    when they are wrong, 2 writes."""
    version = negotiate(subprotocols)
    handshake = Handshake(
        charge_point_id=charge_point_id,
        subprotocols=subprotocols,
        authorization=authorization,
        origin_secret=origin_secret,
        version=version.value if version else None,
        secure=secure,
        certificate=certificate,
    )
    decision, _ = _admit(handshake, source, now)
    return decision


def admit_soap(
    charge_point_id: str | None,
    authorization: str | None,
    origin_secret: str | None,
    source: str,
    now: datetime,
    secure: bool = True,
) -> tuple[Decision, ChargePoint | None]:
    """A SOAP station's request (OCPP 1.5), admitted as a handshake would be: its identity is the
    `chargeBoxIdentity` header, and HTTP Basic is what a password needs (1.5 defines no
    credential; an edge or gateway in front may add one). Returns the registration read too, so
    that the caller need not read it again."""
    handshake = Handshake(
        charge_point_id=charge_point_id,
        subprotocols=[],
        authorization=authorization,
        origin_secret=origin_secret,
        version=OcppVersion.V15.value,
        secure=secure,
    )
    return _admit(handshake, source, now)


def _admit(handshake: Handshake, source: str, now: datetime) -> tuple[Decision, ChargePoint | None]:
    settings = get_settings()
    charge_point_id, authorization = handshake.charge_point_id, handshake.authorization
    found: list[ChargePoint] = []

    def lookup(identity: str) -> ChargePoint | None:
        record = charge_points.find_charge_point(identity)
        found.extend([record] if record else [])
        return record

    limits = _limits(charge_point_id or "", source, now) if authorization else {}
    if limits and _over(limits):
        metrics.add_metric(name="HandshakeThrottled", unit="Count", value=1)
        return Decision(Verdict.UNAUTHORIZED, "too many failed attempts from this address; try later"), None
    decision = admit(
        handshake,
        lookup,
        auto_register=settings.admission == "auto-register",
        expected_origin_secret=settings.origin_secret,
        now=now,
        certificate_identity=settings.certificate_identity,
    )
    if limits and decision.verdict is Verdict.UNAUTHORIZED:
        throttles.count_failure(list(limits), _window_start(now) + WINDOW)
    return decision, (found[0] if found else None)


def _window_start(now: datetime) -> datetime:
    seconds = int(WINDOW.total_seconds())
    return datetime.fromtimestamp(int(now.timestamp()) // seconds * seconds, now.tzinfo)


def _limits(charge_point_id: str, source: str, now: datetime) -> dict[str, int]:
    window = int(_window_start(now).timestamp())
    return {
        f"{window}/address/{source}": PER_ADDRESS,
        f"{window}/identity/{source}/{charge_point_id}": PER_IDENTITY,
    }


def _over(limits: dict[str, int]) -> bool:
    counted = throttles.failures_of(list(limits))
    over = any(counted.get(key, 0) >= limit for key, limit in limits.items())
    if over:
        logger.warning("Handshake throttled", extra={"keys": list(limits)})
    return over
