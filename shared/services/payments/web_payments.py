"""Dynamic QR codes (OCPP 2.1 C25, and the open "Secure Dynamic QR-Codes for OCPP" paper for
2.0.1 and 1.6): each EVSE's WebPaymentsCtrlr given a random secret and the pay page's address,
the codes its station shows checked by the pay page (the current, previous and next interval),
and a 2.1 station told when its page is opened with a valid code (NotifyWebPaymentStarted)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from shared.data import connectors
from shared.data import payments as records
from shared.domain.errors import ApplicationError, BadRequest, Conflict, Forbidden, Gone
from shared.domain.payments import BASE62, CodeCheck, check_code
from shared.grants import grants
from shared.observability import logger
from shared.protocol.payments import EvseSettings, VariableStatus, payments_codec
from shared.services import commands
from shared.settings import get_settings

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(reads=("connectors", "web-payments"), writes=("web-payments",))

# A code is valid for this long (OCPP allows 6 to 3600 s) and this many characters of base 62.
VALIDITY_S = 60
CODE_LENGTH = 8
# How long a 2.1 station holds its EVSE for a driver who opened the page (NotifyWebPaymentStarted).
PAGE_TIMEOUT_S = 300
# What a station's answer calls a variable it took.
TAKEN = frozenset({"Accepted", "RebootRequired"})


@dataclass(frozen=True)
class Provisioned:
    settled: bool  # False: the station had not answered every call in time
    statuses: list[VariableStatus]


def url_template() -> str:
    base = get_settings().public_url or ""
    return f"{base}/pay/{{chargingStationId}}/{{evse}}?code={{totp}}"


def provision(charge_point_id: str, wait_s: int, now: datetime) -> Provisioned:
    """A new secret for every EVSE the station reported (1 query, 1 write each), sent; the
    answer once the station has answered (or as it stands after `wait_s`). An EVSE whose
    station took the secret uses it from then on; until then its codes may match either."""
    charge_point = commands.connected(charge_point_id)
    evses = sorted(
        {
            c.evse_id if c.evse_id is not None else c.connector_id
            for c in connectors.connectors_of(charge_point_id)
        }
        - {0}
    )
    if not evses:
        raise Conflict(f"Charge point {charge_point_id} has reported no EVSE")
    settings = [
        EvseSettings(evse, url_template(), secrets.token_urlsafe(24), VALIDITY_S, CODE_LENGTH)
        for evse in evses
    ]
    for s in settings:
        records.put_pending_secret(charge_point_id, s.evse_id, s.shared_secret, VALIDITY_S, CODE_LENGTH, now)
    codec = payments_codec(commands.profile_of(charge_point))
    sent = [commands.submit_to(charge_point, intent, None, now) for intent in codec.provision(settings)]
    answered = [commands.wait_for(command, wait_s) for command in sent]
    statuses = [s for command in answered if command.response is not None for s in codec.statuses(command)]
    for s in settings:
        taken = [v for v in statuses if v.evse_id == s.evse_id and v.variable == "SharedSecret"]
        if taken and all(v.status in TAKEN for v in taken):
            records.confirm_secret(charge_point_id, s.evse_id, s.shared_secret)
    return Provisioned(all(c.status.final for c in answered), statuses)


def checked(charge_point_id: str, evse_id: int, code: str | None, now: datetime) -> bool:
    """Whether the EVSE has dynamic codes and `code` is valid now (1 read). 400 when it has them
    and none is given, or not of their shape; 403 wrong; 410 expired. A code that matches the
    secret sent but not yet confirmed confirms it: the station has it."""
    kept = records.find_web_payments(charge_point_id, evse_id)
    if kept is None or (kept.secret is None and kept.pending_secret is None):
        return False
    if not code:
        raise BadRequest(f"EVSE {evse_id} shows a dynamic code: open the page from its QR code")
    if len(code) != kept.length or any(c not in BASE62 for c in code):
        raise BadRequest(f"code must be {kept.length} letters and digits")
    found = CodeCheck.WRONG
    for secret in (kept.secret, kept.pending_secret):
        if secret is None:
            continue
        found = check_code(code, secret, now, kept.validity_s, kept.length)
        if found is CodeCheck.VALID:
            if secret == kept.pending_secret:
                records.confirm_secret(charge_point_id, evse_id, secret)
            break
    if found is CodeCheck.EXPIRED:
        raise Gone("The code has expired: scan the station's QR code again")
    if found is CodeCheck.WRONG:
        raise Forbidden("The code is not this EVSE's")
    if code == kept.used_code:
        raise Gone("The code has been used: scan the station's QR code again")
    return True


def use(charge_point_id: str, evse_id: int, code: str) -> None:
    """The code pays once (1 conditional write); 410 when it already has."""
    if not records.use_code(charge_point_id, evse_id, code):
        raise Gone("The code has been used: scan the station's QR code again")


def page_opened(charge_point_id: str, evse_id: int, now: datetime) -> None:
    """A 2.1 station told that a driver opened its EVSE's page with a valid code."""
    try:
        charge_point = commands.connected(charge_point_id)
        intent = payments_codec(commands.profile_of(charge_point)).web_payment_started(
            evse_id, PAGE_TIMEOUT_S
        )
        if intent is not None:
            commands.submit_to(charge_point, intent, None, now)
    except ApplicationError as error:
        logger.info("NotifyWebPaymentStarted not sent", extra={"reason": error.message})
