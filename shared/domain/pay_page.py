"""The ad hoc pay page as HTML for a phone, in the driver's language (English or German, from
the browser's Accept-Language): the price before the start in the order AFIR sets, tax
included, whether the EVSE can take a session, and a form that posts the payment method and
the hold. Plain Python: it draws what shared.domain.payments.price_shown and the page's use
case give it."""

from __future__ import annotations

import html
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from shared.domain.currencies import minor_units

LANGUAGES = ("en", "de")
TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Charge and pay",
        "evse": "Charge point {cp}, EVSE {evse}",
        "price": "Price, tax included",
        "energy": "per kWh",
        "time": "per minute of charging",
        "session": "per session",
        "idle": "per minute of blocking fee",
        "idle_after": "per minute of blocking fee, after {minutes} minutes",
        "min": "at least {amount} per session",
        "max": "at most {amount} per session",
        "vat": "VAT {rate}% included.",
        "can_start": "This charge point is ready.",
        "offline": "This charge point is offline: it cannot start now.",
        "faulted": "This charge point is out of order: it cannot start now.",
        "busy": "This charge point is in use: it cannot start now.",
        "not offered": "Paying here is not offered at this charge point.",
        "method": "Payment method",
        "amount": "Hold on your card (the most the session may cost)",
        "hold_note": "Only the session's cost is taken; the rest of the hold is released when it ends.",
        "pay": "Pay and start charging",
        "card_token": "Card token from the payment provider",
    },
    "de": {
        "title": "Laden und bezahlen",
        "evse": "Ladestation {cp}, Ladepunkt {evse}",
        "price": "Preis inklusive Steuern",
        "energy": "pro kWh",
        "time": "pro Minute Ladezeit",
        "session": "pro Ladevorgang",
        "idle": "pro Minute Blockiergebühr",
        "idle_after": "pro Minute Blockiergebühr, ab {minutes} Minuten",
        "min": "mindestens {amount} pro Ladevorgang",
        "max": "höchstens {amount} pro Ladevorgang",
        "vat": "Inklusive {rate} % Mehrwertsteuer.",
        "can_start": "Dieser Ladepunkt ist bereit.",
        "offline": "Dieser Ladepunkt ist nicht erreichbar und kann jetzt nicht starten.",
        "faulted": "Dieser Ladepunkt ist gestört und kann jetzt nicht starten.",
        "busy": "Dieser Ladepunkt ist belegt und kann jetzt nicht starten.",
        "not offered": "Bezahlen ist an diesem Ladepunkt nicht möglich.",
        "method": "Zahlungsmittel",
        "amount": "Reservierung auf Ihrer Karte (höchstens so viel kostet der Ladevorgang)",
        "hold_note": "Abgebucht werden nur die Kosten des Ladevorgangs; der Rest wird danach freigegeben.",
        "pay": "Bezahlen und Laden starten",
        "card_token": "Karten-Token des Zahlungsdienstleisters",
    },
}
# The holds the form offers, in major units, up to the largest taken.
HOLDS = (10, 20, 30, 50, 75, 100)


def language_of(accept_language: str | None) -> str:
    """The first language the browser prefers (by q) that the page speaks; English otherwise."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, position, tag.strip().lower().split("-")[0]))
    for q, _, language in sorted(ranked):
        if q < 0 and language in LANGUAGES:
            return language
    return "en"


def _amount(value: Decimal, currency: str, language: str) -> str:
    shown = f"{value.normalize():f}"
    if "." not in shown or len(shown.split(".")[1]) < 2:
        shown = f"{value:.2f}"
    if language == "de":
        shown = shown.replace(".", ",")
    return f"{shown} {currency}"


def _rate(percent: Decimal, language: str) -> str:
    shown = f"{percent.normalize():f}"
    return shown.replace(".", ",") if language == "de" else shown


def pay_page_html(
    shown: dict[str, Any],
    accept_language: str | None,
    code: str | None,
    test_methods: Sequence[str] = (),
) -> str:
    """The page for `shown` (adhoc.page's answer). `test_methods`: the local provider's test
    tokens, offered as a list; otherwise a field for a provider's token."""
    language = language_of(accept_language)
    t = TEXT[language]
    e = html.escape
    cp, evse = str(shown["chargePointId"]), int(shown["evseId"])
    parts = [f'<p class="where">{e(t["evse"].format(cp=cp, evse=evse))}</p>']
    price = shown.get("price")
    if price:
        currency = str(price["currency"])
        rows = []
        for component in price["components"]:
            label = (
                t["idle_after"].format(minutes=component["afterMinutes"])
                if component["type"] == "idle" and component.get("afterMinutes")
                else t[component["type"]]
            )
            amount = _amount(Decimal(component["priceInclVat"]), currency, language)
            rows.append(f'<tr><th scope="row">{e(label)}</th><td>{e(amount)}</td></tr>')
        for key, name in (("minPriceInclVat", "min"), ("maxPriceInclVat", "max")):
            if key in price:
                bound = t[name].format(amount=_amount(Decimal(price[key]), currency, language))
                rows.append(f'<tr><td colspan="2">{e(bound)}</td></tr>')
        parts.append(
            f"<h2>{e(t['price'])}</h2><table>{''.join(rows)}</table>"
            f"<p>{e(t['vat'].format(rate=_rate(Decimal(price['vatPercent']), language)))}</p>"
        )
    if not shown["canStart"]:
        parts.append(f'<p class="status" role="status">{e(t[str(shown.get("reason", "busy"))])}</p>')
    elif price:
        currency = str(price["currency"])
        scale = 10 ** minor_units(currency)
        holds = [h for h in HOLDS if h * scale <= int(shown["maxHold"])] or [int(shown["maxHold"]) // scale]
        options = "".join(
            f'<option value="{h * scale}"{" selected" if h == 30 else ""}>'
            f"{e(_amount(Decimal(h), currency, language))}</option>"
            for h in holds
        )
        if test_methods:
            choices = "".join(f'<option value="{e(m)}">{e(m)}</option>' for m in test_methods)
            method = f'<select id="paymentMethod" name="paymentMethod" required>{choices}</select>'
        else:
            method = (
                f'<input id="paymentMethod" name="paymentMethod" required autocomplete="off" '
                f'aria-describedby="method-note"><small id="method-note">{e(t["card_token"])}</small>'
            )
        hidden = f'<input type="hidden" name="code" value="{e(code)}">' if code else ""
        parts.append(
            f'<p class="status" role="status">{e(t["can_start"])}</p>'
            f'<form method="post" action="/pay/{e(cp)}/{evse}">'
            f'<label for="paymentMethod">{e(t["method"])}</label>{method}'
            f'<label for="maxAmount">{e(t["amount"])}</label>'
            f'<select id="maxAmount" name="maxAmount">{options}</select>'
            f"<p><small>{e(t['hold_note'])}</small></p>{hidden}"
            f'<button type="submit">{e(t["pay"])}</button></form>'
        )
    return PAGE.format(language=language, title=e(t["title"]), body="".join(parts))


PAGE = """<!doctype html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 28rem; padding: 1rem; color: #111; }}
h1 {{ font-size: 1.4rem; }} h2 {{ font-size: 1.1rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .25rem; border-bottom: 1px solid #ddd; }}
td {{ text-align: right; white-space: nowrap; }}
label {{ display: block; margin: 1rem 0 .25rem; font-weight: 600; }}
select, input, button {{ font-size: 1rem; width: 100%; box-sizing: border-box; padding: .6rem; }}
button {{ margin-top: 1rem; background: #0b5394; color: #fff; border: 0; border-radius: .3rem; }}
.status {{ font-weight: 600; }}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""
