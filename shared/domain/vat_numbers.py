"""VAT numbers' forms in the EU (and Northern Ireland's XI), as VIES publishes them: a number
is checked for its form only, with no network call, so that an invoice can name the company
a driver gave (OCPP 2.1 VatNumberValidation). Whether the number is registered is the
invoicing party's to check."""

from __future__ import annotations

import re
from datetime import datetime

from shared.domain.station_events import EventKind, StationEvent

# Per country prefix: what follows it (after spaces, dots and hyphens are dropped).
FORMS: dict[str, str] = {
    "AT": r"U\d{8}",
    "BE": r"[01]\d{9}",
    "BG": r"\d{9,10}",
    "CY": r"\d{8}[A-Z]",
    "CZ": r"\d{8,10}",
    "DE": r"\d{9}",
    "DK": r"\d{8}",
    "EE": r"\d{9}",
    "EL": r"\d{9}",  # Greece
    "ES": r"[A-Z0-9]\d{7}[A-Z0-9]",
    "FI": r"\d{8}",
    "FR": r"[A-HJ-NP-Z0-9]{2}\d{9}",
    "HR": r"\d{11}",
    "HU": r"\d{8}",
    "IE": r"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]",
    "IT": r"\d{11}",
    "LT": r"\d{9}|\d{12}",
    "LU": r"\d{8}",
    "LV": r"\d{11}",
    "MT": r"\d{8}",
    "NL": r"\d{9}B\d{2}",
    "PL": r"\d{10}",
    "PT": r"\d{9}",
    "RO": r"[1-9]\d{1,9}",
    "SE": r"\d{10}01",
    "SI": r"\d{8}",
    "SK": r"\d{10}",
    "XI": r"\d{9}|\d{12}|GD\d{3}|HA\d{3}",  # Northern Ireland
}
_FORMS = {country: re.compile(f"(?:{form})") for country, form in FORMS.items()}
_SEPARATORS = re.compile(r"[\s.\-]")


def normalised(vat_number: str) -> str:
    return _SEPARATORS.sub("", vat_number).upper()


def form_problem(vat_number: str) -> str | None:
    """Why the number is not of its country's form; None when it is."""
    number = normalised(vat_number)
    country, rest = number[:2], number[2:]
    form = _FORMS.get(country)
    if form is None:
        return f"{country or 'nothing'} is not an EU VAT country prefix"
    if not form.fullmatch(rest):
        return f"not of {country}'s form"
    return None


def vat_check(vat_number: str, evse_id: int | None, message_id: str, at: datetime) -> StationEvent:
    """A check and its answer, kept for the invoice: the message id tells a resend, so that the
    same number checked again later is kept again, at its time."""
    problem = form_problem(vat_number)
    body = {
        "vatNumber": vat_number,
        "evseId": evse_id,
        "status": "Rejected" if problem else "Accepted",
        "reason": problem,
    }
    return StationEvent(EventKind.VAT_NUMBER, f"{evse_id or 0:04d}#{message_id}", at, body)
