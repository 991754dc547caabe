"""Drivers' receipts (one ended session) and monthly statements, as CSV and PDF.

Both are read off the OCPI CDRs `cdrs.cdr_of` makes, so a receipt's totals are the CDR's by
construction. Money is written in the currency's minor units, and every total is the sum of the
amounts as written, so a reader adding the lines gets the total. Times are UTC; a session belongs
to the month it started in. The PDF uses the standard PDF fonts (no font file to ship), which
print Windows-1252 only: other letters are written without their accents, or as `?`."""

from __future__ import annotations

import csv
import html
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from shared.domain.currencies import minor_units
from shared.domain.errors import BadRequest

if TYPE_CHECKING:
    from fpdf import FPDF

PRICING_PLACES = 2  # pricing rounds every currency to hundredths (tariffs.CENT)
KWH_PLACES = 3  # watt-hours
_NO_KWH = Decimal("0.000")


@dataclass(frozen=True)
class Issuer:
    """Who issues receipts: the operator, as its settings name it."""

    name: str = "Charge point operator"
    address: tuple[str, ...] = ()
    vat_id: str | None = None


@dataclass(frozen=True)
class Recipient:
    """The driver a receipt or statement is for."""

    name: str
    email: str


@dataclass(frozen=True)
class Paid:
    """What was paid for a session without an account: the payment, how, and its amounts in
    the currency's minor units."""

    payment_id: str
    how: str  # "card, ad hoc", "the station's payment terminal"
    state: str
    currency: str
    authorized: int
    captured: int
    refunded: int


def _major(amount: int, currency: str) -> str:
    places = minor_units(currency)
    return f"{Decimal(amount).scaleb(-places):,.{places}f} {currency}"


def _paid_lines(paid: Paid) -> list[tuple[str, str]]:
    lines = [
        ("Payment", paid.payment_id),
        ("Paid by", paid.how),
        ("Amount paid", _major(paid.captured, paid.currency)),
    ]
    if paid.refunded:
        lines.append(("Refunded", _major(paid.refunded, paid.currency)))
    return lines


# --- What the documents say, read off the CDRs ------------------------------------------------

# The CDR's cost parts before tax, in the order a receipt lists them.
_PARTS = (
    ("Energy", "total_energy_cost"),
    ("Charging time", "total_time_cost"),
    ("Parking time", "total_parking_cost"),
    ("Fixed fee", "total_fixed_cost"),
)


@dataclass(frozen=True)
class _Receipt:
    number: str
    charge_point: str
    evse: str
    started: datetime
    ended: datetime
    energy_kwh: Decimal
    tariff_id: str | None
    currency: str | None
    places: int
    parts: tuple[tuple[str, Decimal], ...]
    adjustment: Decimal  # what a minimum or maximum price added or took off
    total_excl_vat: Decimal
    vat_percent: Decimal
    vat: Decimal
    total_incl_vat: Decimal
    remark: str | None


@dataclass(frozen=True)
class _Total:
    currency: str
    places: int
    sessions: int
    energy_kwh: Decimal
    total_incl_vat: Decimal


@dataclass(frozen=True)
class _Statement:
    receipts: tuple[_Receipt, ...]  # by start
    totals: tuple[_Total, ...]  # one per currency, by code
    energy_kwh: Decimal

    def total_of(self, r: _Receipt) -> tuple[Decimal, int]:
        """A session's total incl. VAT as its line shows it: as many decimals as its currency's
        total, so a column of one currency lines up."""
        places = next((t.places for t in self.totals if t.currency == r.currency), r.places)
        return _at(r.total_incl_vat, places), places


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def _at(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _places(currency: str | None, amounts: Iterable[float]) -> int:
    """The currency's minor units; the hundredths pricing works in where an amount has them, so
    that a document never hides a part of what the CDR charged (a yen tariff at 12.55 a kWh)."""
    places = minor_units(currency) if currency else PRICING_PLACES
    if any(_at(_decimal(a), places) != _decimal(a) for a in amounts):
        return max(places, PRICING_PLACES)
    return places


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _vat_percent(cdr: dict[str, Any]) -> Decimal:
    """The rate the CDR's tariff states (one per tariff); none priced, none charged."""
    rates = [
        c["vat"] for t in cdr["tariffs"] for e in t["elements"] for c in e["price_components"] if "vat" in c
    ]
    return _decimal(rates[0]) if rates else Decimal(0)


def _receipt(cdr: dict[str, Any]) -> _Receipt:
    currency: str | None = cdr.get("currency")
    total = cdr["total_cost"]
    places = _places(
        currency, [*(cdr[key]["excl_vat"] for _, key in _PARTS), total["excl_vat"], total["incl_vat"]]
    )
    parts = tuple((label, _at(_decimal(cdr[key]["excl_vat"]), places)) for label, key in _PARTS)
    excl = _at(_decimal(total["excl_vat"]), places)
    incl = _at(_decimal(total["incl_vat"]), places)
    location = cdr["cdr_location"]
    tariffs = cdr["tariffs"]
    return _Receipt(
        number=cdr["id"],
        charge_point=location["id"],
        evse=location["evse_id"],
        started=_time(cdr["start_date_time"]),
        ended=_time(cdr["end_date_time"]),
        energy_kwh=_at(_decimal(cdr["total_energy"]), KWH_PLACES),
        tariff_id=tariffs[0]["id"] if tariffs else None,
        currency=currency,
        places=places,
        parts=parts,
        adjustment=excl - sum((amount for _, amount in parts), Decimal(0)),
        total_excl_vat=excl,
        vat_percent=_vat_percent(cdr),
        vat=incl - excl,
        total_incl_vat=incl,
        remark=cdr.get("remark"),
    )


_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first instant (UTC) of a month `YYYY-MM` and of the one after: a statement's sessions
    are those that started from the one and before the other."""
    if not _MONTH.fullmatch(month):
        raise BadRequest(f"month must be YYYY-MM, got {month!r}")
    start = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC)
    after = (start + timedelta(days=31)).replace(day=1)
    return start, after


def _statement(cdrs: Sequence[dict[str, Any]], month: str) -> _Statement:
    start, after = month_bounds(month)
    receipts = sorted((_receipt(cdr) for cdr in cdrs), key=lambda r: (r.started, r.number))
    outside = [r.number for r in receipts if not start <= r.started < after]
    if outside:
        raise ValueError(f"sessions {outside} did not start in {month}")
    totals = []
    for currency in sorted({r.currency for r in receipts if r.currency is not None}):
        mine = [r for r in receipts if r.currency == currency]
        places = max(r.places for r in mine)
        totals.append(
            _Total(
                currency=currency,
                places=places,
                sessions=len(mine),
                energy_kwh=sum((r.energy_kwh for r in mine), _NO_KWH),
                total_incl_vat=sum((_at(r.total_incl_vat, places) for r in mine), Decimal(0)),
            )
        )
    return _Statement(tuple(receipts), tuple(totals), sum((r.energy_kwh for r in receipts), _NO_KWH))


def _duration(r: _Receipt) -> str:
    seconds = int((r.ended - r.started).total_seconds())
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _rate(percent: Decimal) -> str:
    return f"{percent.normalize():f}"


# --- CSV ----------------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    """Text a spreadsheet would run as a formula stays text (a name such as `=HYPERLINK(...)`)."""
    text = value or ""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue()


def receipt_csv(cdr: dict[str, Any], issuer: Issuer, driver: Recipient) -> str:
    """One session as rows of `field,value`: amounts as plain decimals in the currency's minor
    units, times as the CDR states them (UTC)."""
    r = _receipt(cdr)
    return _csv(
        [
            ("field", "value"),
            ("receipt number", _text(r.number)),
            ("issuer", _text(issuer.name)),
            ("issuer address", _text(", ".join(issuer.address))),
            ("issuer VAT id", _text(issuer.vat_id)),
            ("driver", _text(driver.name)),
            ("driver email", _text(driver.email)),
            ("charge point", _text(r.charge_point)),
            ("EVSE", _text(r.evse)),
            ("start", cdr["start_date_time"]),
            ("end", cdr["end_date_time"]),
            ("duration", _duration(r)),
            ("energy kWh", r.energy_kwh),
            ("tariff", _text(r.tariff_id)),
            ("currency", r.currency or ""),
            *((f"{label.lower()} excl. VAT", amount) for label, amount in r.parts),
            ("minimum or maximum price adjustment excl. VAT", r.adjustment),
            ("total excl. VAT", r.total_excl_vat),
            ("VAT rate %", _rate(r.vat_percent)),
            ("VAT", r.vat),
            ("total incl. VAT", r.total_incl_vat),
            ("remark", _text(r.remark)),
        ]
    )


STATEMENT_COLUMNS = (
    "line",
    "date",
    "receipt number",
    "charge point",
    "EVSE",
    "energy kWh",
    "total incl. VAT",
    "currency",
    "sessions",
)


def statement_csv(cdrs: Sequence[dict[str, Any]], month: str, issuer: Issuer, driver: Recipient) -> str:
    """One table a spreadsheet sums: a `session` row each (by start), a `total` row per
    currency, an `all` row (sessions and energy; money is never added across currencies).
    Issuer and driver head the PDF; they are taken here too so both formats are called alike."""
    s = _statement(cdrs, month)
    rows: list[Sequence[object]] = [STATEMENT_COLUMNS]
    rows += [
        (
            "session",
            r.started.date().isoformat(),
            _text(r.number),
            _text(r.charge_point),
            _text(r.evse),
            r.energy_kwh,
            _money(*s.total_of(r), separator=""),
            r.currency or "",
            1,
        )
        for r in s.receipts
    ]
    rows += [
        (
            "total",
            "",
            "",
            "",
            "",
            t.energy_kwh,
            _money(t.total_incl_vat, t.places, separator=""),
            t.currency,
            t.sessions,
        )
        for t in s.totals
    ]
    rows.append(("all", "", "", "", "", s.energy_kwh, "", "", len(s.receipts)))
    return _csv(rows)


# --- PDF ----------------------------------------------------------------------------------------

# Letters that neither Windows-1252 has nor Unicode decomposes into one it has.
_NO_DECOMPOSITION = str.maketrans("ŁłĐđĦħ\u0131Ŧŧ", "LlDdHhiTt")  # \u0131: the dotless i


def _printable(value: str | None) -> str:
    """As the standard PDF fonts can print it: Windows-1252 as it is, other letters without their
    accents (Dvořák as Dvorák), what has no such form as `?`, control characters as spaces."""
    out = []
    for ch in (value or "").translate(_NO_DECOMPOSITION):
        if unicodedata.category(ch) == "Cc":
            out.append(" ")
            continue
        for candidate in (
            ch,
            "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)),
        ):
            try:
                candidate.encode("cp1252")
            except UnicodeEncodeError:
                continue
            if candidate:
                out.append(candidate)
                break
        else:
            out.append("?")
    return "".join(out)


def _money(amount: Decimal, places: int, separator: str = ",") -> str:
    """With thousands separated for a reader (none for a spreadsheet)."""
    return f"{amount:{separator}.{places}f}"


def _when(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _document(title: str, issuer: Issuer, driver: Recipient | None) -> FPDF:
    """A page headed by the issuer, the title and whom it is for (an ad hoc payer is no one
    the CSMS knows)."""
    from fpdf import FPDF  # here, not at the top: the API's cold start does not pay for it

    pdf = FPDF(format="A4")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_title(_printable(title))
    pdf.set_author(_printable(issuer.name))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=13)
    pdf.multi_cell(0, 6, _printable(issuer.name), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for line in issuer.address:
        pdf.multi_cell(0, 4.5, _printable(line), new_x="LMARGIN", new_y="NEXT")
    if issuer.vat_id:
        pdf.multi_cell(0, 4.5, _printable(f"VAT id: {issuer.vat_id}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 8, _printable(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    if driver is not None:
        pdf.multi_cell(0, 5, _printable(f"For {driver.name} <{driver.email}>"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    return pdf


def _pairs(pdf: FPDF, rows: Sequence[tuple[str, str]]) -> None:
    with pdf.table(
        col_widths=(45, 125), text_align=("LEFT", "LEFT"), first_row_as_headings=False, borders_layout="NONE"
    ) as table:
        for label, value in rows:
            table.row((_printable(label), _printable(value)))


def receipt_pdf(
    cdr: dict[str, Any], issuer: Issuer, driver: Recipient | None, paid: Paid | None = None
) -> bytes:
    """One session on an A4 page: where and when, the energy, each cost part before tax, the VAT
    and the totals; what was paid for it where it was paid ad hoc or at a terminal; the CDR's
    remark when the cost could not know everything."""
    from fpdf.fonts import FontFace

    r = _receipt(cdr)
    pdf = _document("Receipt", issuer, driver)
    _pairs(
        pdf,
        [
            ("Receipt number", r.number),
            ("Charge point", r.charge_point),
            ("EVSE", r.evse),
            ("Start", _when(r.started)),
            ("End", _when(r.ended)),
            ("Duration", _duration(r)),
            ("Energy", f"{r.energy_kwh} kWh"),
            ("Tariff", r.tariff_id or "none"),
        ],
    )
    pdf.ln(4)
    money = [(label, amount) for label, amount in r.parts]
    if r.adjustment:
        money.append(("Minimum or maximum price", r.adjustment))
    bold = FontFace(emphasis="BOLD")
    with pdf.table(
        col_widths=(120, 50), text_align=("LEFT", "RIGHT"), borders_layout="HORIZONTAL_LINES"
    ) as table:
        table.row(("Cost", f"Amount ({r.currency or 'no currency'})"))
        for label, amount in money:
            table.row((label, _money(amount, r.places)))
        table.row(("Total excl. VAT", _money(r.total_excl_vat, r.places)), style=bold)
        table.row((f"VAT {_rate(r.vat_percent)}%", _money(r.vat, r.places)))
        table.row(("Total incl. VAT", _money(r.total_incl_vat, r.places)), style=bold)
    if paid is not None:
        pdf.ln(4)
        _pairs(pdf, _paid_lines(paid))
    if r.remark:
        pdf.ln(4)
        pdf.set_font("Helvetica", style="I", size=9)
        pdf.multi_cell(0, 4.5, _printable(f"Note: {r.remark}."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def statement_pdf(cdrs: Sequence[dict[str, Any]], month: str, issuer: Issuer, driver: Recipient) -> bytes:
    """A month's sessions, a line each (by start, over as many pages as it takes), then the
    totals per currency and the number of sessions."""
    s = _statement(cdrs, month)
    pdf = _document(f"Statement {month}", issuer, driver)
    if s.receipts:
        with pdf.table(
            col_widths=(22, 50, 42, 24, 30, 22),
            text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"),
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            table.row(("Date", "Receipt number", "Place", "kWh", "Incl. VAT", "Currency"))
            for r in s.receipts:
                table.row(
                    (
                        r.started.date().isoformat(),
                        _printable(r.number),
                        _printable(r.evse),
                        str(r.energy_kwh),
                        _money(*s.total_of(r)),
                        r.currency or "-",
                    )
                )
    else:
        pdf.multi_cell(0, 5, "No sessions ended in this month.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if s.totals:
        with pdf.table(
            col_widths=(40, 30, 40, 40),
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"),
            borders_layout="HORIZONTAL_LINES",
        ) as table:
            table.row(("Total in", "Sessions", "kWh", "Incl. VAT"))
            for t in s.totals:
                table.row(
                    (t.currency, str(t.sessions), f"{t.energy_kwh}", _money(t.total_incl_vat, t.places))
                )
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.multi_cell(
        0, 6, f"Sessions: {len(s.receipts)}    Energy: {s.energy_kwh} kWh", new_x="LMARGIN", new_y="NEXT"
    )
    return bytes(pdf.output())


# --- HTML (an ad hoc payer's receipt, read on a phone) ----------------------------------------

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 0 auto; max-width: 28rem; padding: 1rem; color: #111; }}
h1 {{ font-size: 1.4rem; }}
table {{ border-collapse: collapse; width: 100%; margin: 0 0 1rem; }}
th, td {{ text-align: left; padding: .35rem .25rem; border-bottom: 1px solid #ddd; vertical-align: top; }}
td.amount {{ text-align: right; white-space: nowrap; }}
.total th, .total td {{ font-weight: bold; }}
a {{ color: #0645ad; }}
</style>
</head>
<body>
<main>
<p>{issuer}</p>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""


def _rows(rows: Sequence[tuple[str, str]], amounts: bool = False, total: Sequence[str] = ()) -> str:
    cell = '<td class="amount">' if amounts else "<td>"
    lines = []
    for label, value in rows:
        marked = ' class="total"' if label in total else ""
        lines.append(
            f'<tr{marked}><th scope="row">{html.escape(label)}</th>{cell}{html.escape(value)}</td></tr>'
        )
    return "<table>" + "".join(lines) + "</table>"


def receipt_html(cdr: dict[str, Any] | None, issuer: Issuer, paid: Paid, pdf_link: str) -> str:
    """The receipt as a page a phone shows: the same figures as the PDF (`pdf_link`); before the
    session has ended (no CDR yet), what was held and that the receipt comes at its end."""
    who = html.escape(", ".join((issuer.name, *issuer.address)))
    if cdr is None:
        if paid.state == "authorized":
            said = (
                f"<p>{html.escape(_major(paid.authorized, paid.currency))} is held on your card. "
                "Your receipt is here once the session has ended.</p>"
            )
        else:
            said = "<p>Nothing was charged: the hold on your card was let go.</p>"
        return _PAGE.format(title="Receipt", issuer=who, body=said + _rows([("Payment", paid.payment_id)]))
    r = _receipt(cdr)
    session = [
        ("Receipt number", r.number),
        ("Charge point", r.charge_point),
        ("EVSE", r.evse),
        ("Start", _when(r.started)),
        ("End", _when(r.ended)),
        ("Duration", _duration(r)),
        ("Energy", f"{r.energy_kwh} kWh"),
    ]
    money = [(label, _money(amount, r.places)) for label, amount in r.parts]
    if r.adjustment:
        money.append(("Minimum or maximum price", _money(r.adjustment, r.places)))
    money += [
        ("Total excl. VAT", _money(r.total_excl_vat, r.places)),
        (f"VAT {_rate(r.vat_percent)}%", _money(r.vat, r.places)),
        ("Total incl. VAT", _money(r.total_incl_vat, r.places)),
    ]
    body = (
        _rows(session)
        + f"<h2>Cost ({html.escape(r.currency or 'no currency')})</h2>"
        + _rows(money, amounts=True, total=("Total excl. VAT", "Total incl. VAT"))
        + _rows(_paid_lines(paid), total=("Amount paid",))
        + (f"<p>Note: {html.escape(r.remark)}.</p>" if r.remark else "")
        + f'<p><a href="{html.escape(pdf_link)}" download>Save as PDF</a></p>'
    )
    if issuer.vat_id:
        who += f"<br>VAT id: {html.escape(issuer.vat_id)}"
    return _PAGE.format(title="Receipt", issuer=who, body=body)
