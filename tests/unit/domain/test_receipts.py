"""Receipts and statements, read back as a driver would: the CSV with the csv module, the PDF's
text with pypdf. The CDRs are `cdr_of`'s, from sessions priced by the real tariff engine."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from local.runtime.launch import ROOT
from shared.domain.cdrs import cdr_of
from shared.domain.errors import BadRequest
from shared.domain.receipts import (
    Issuer,
    Recipient,
    month_bounds,
    receipt_csv,
    receipt_pdf,
    statement_csv,
    statement_pdf,
)
from shared.domain.tariffs import Dimension, PriceComponent, Tariff, TariffElement, Usage, price
from shared.domain.transactions import SessionSummary

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
ISSUER = Issuer("Zap Charging B.V.", ("Keizersgracht 1", "1015 CS Amsterdam"), "NL001234567B01")
DRIVER = Recipient("Anna de Vries", "anna@example.org")
METER_START = 10_000.0


def tariff(
    currency: str = "EUR",
    vat: str = "21",
    prices: tuple[str, ...] = ("0.35", "1.20", "2.00", "1.00"),
    min_price: Decimal | None = None,
    max_price: Decimal | None = None,
) -> Tariff:
    """0.35 a kWh, 1.20 an hour charging, 2.00 an hour parked after 10 minutes, 1.00 a session,
    unless told other prices (in that order) or a minimum or maximum price."""
    dimensions = (Dimension.ENERGY, Dimension.TIME, Dimension.PARKING_TIME, Dimension.FLAT)
    return Tariff(
        f"standard-{currency.lower()}",
        currency,
        (
            TariffElement(
                tuple(PriceComponent(d, Decimal(p)) for d, p in zip(dimensions, prices, strict=True))
            ),
        ),
        vat_percent=Decimal(vat),
        idle_grace_minutes=10,
        min_price=min_price,
        max_price=max_price,
    )


def ended(
    t: Tariff | None,
    start: datetime = T0,
    charging_minutes: int = 60,
    idle_minutes: int = 35,
    wh_a_minute: int = 200,
    transaction_id: str = "1",
    metered: bool = True,
) -> dict[str, Any]:
    """A session's CDR: it charges at a steady rate, then stays parked."""
    plugged_out = start + timedelta(minutes=charging_minutes)
    end = plugged_out + timedelta(minutes=idle_minutes)
    stop = METER_START + charging_minutes * wh_a_minute
    readings = ((plugged_out, stop),) if metered else ()
    usage = Usage(start, end, readings, METER_START if metered else None, stop if metered else None)
    session = SessionSummary(
        transaction_id=transaction_id,
        charge_point_id="CP-1",
        ocpp_version="1.6",
        evse_id=None,
        connector_id=1,
        id_token="04A1B2C3",
        id_token_type="ISO14443",
        started_at=start,
        stopped_at=end,
        meter_start_wh=METER_START if metered else None,
        meter_stop_wh=stop if metered else None,
        energy_wh=stop - METER_START if metered else None,
        stop_reason="Local",
        active=False,
    )
    return cdr_of(session, price(t, usage) if t else None, t, "NL", "ZAP", end)


def fields(text: str) -> dict[str, str]:
    header, *rows = csv.reader(io.StringIO(text))
    assert header == ["field", "value"]
    return {name: value for name, value in rows}


def lines(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def pdf_text(document: bytes) -> str:
    assert document.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def incl_vat(cdr: dict[str, Any]) -> Decimal:
    return Decimal(str(cdr["total_cost"]["incl_vat"]))


# --- Receipts -------------------------------------------------------------------------------


def test_a_receipt_states_the_cdrs_figures_part_by_part() -> None:
    # 12 kWh at 0.35 = 4.20; an hour charging at 1.20; 25 billable minutes parked at 2.00 an
    # hour = 0.83; the fee 1.00: 7.23 before tax, 1.52 VAT at 21%, 8.75 in all.
    cdr = ended(tariff())
    got = fields(receipt_csv(cdr, ISSUER, DRIVER))

    assert got["receipt number"] == cdr["id"] == "CP-1-1"
    assert (got["charge point"], got["EVSE"]) == ("CP-1", "CP-1*1")
    assert (got["start"], got["end"]) == ("2026-03-02T06:00:00.000Z", "2026-03-02T07:35:00.000Z")
    assert got["duration"] == "1:35:00"
    assert got["energy kWh"] == "12.000"
    assert (got["tariff"], got["currency"]) == ("standard-eur", "EUR")
    parts = ["energy", "charging time", "parking time", "fixed fee"]
    assert [got[f"{p} excl. VAT"] for p in parts] == ["4.20", "1.20", "0.83", "1.00"]
    assert got["minimum or maximum price adjustment excl. VAT"] == "0.00"
    assert (got["total excl. VAT"], got["VAT rate %"], got["VAT"], got["total incl. VAT"]) == (
        "7.23",
        "21",
        "1.52",
        "8.75",
    )
    assert Decimal(got["total excl. VAT"]) == Decimal(str(cdr["total_cost"]["excl_vat"]))
    assert Decimal(got["total incl. VAT"]) == incl_vat(cdr)
    assert (got["issuer"], got["issuer VAT id"], got["driver"]) == (ISSUER.name, ISSUER.vat_id, DRIVER.name)
    assert got["remark"] == ""


def test_a_receipts_pdf_shows_its_number_energy_and_totals() -> None:
    cdr = ended(tariff())
    text = pdf_text(receipt_pdf(cdr, ISSUER, DRIVER))

    for expected in (
        "Receipt number CP-1-1",
        "Zap Charging B.V.",
        "VAT id: NL001234567B01",
        "anna@example.org",
        "Energy 12.000 kWh",
        "Start 2026-03-02 06:00:00 UTC",
        "Amount (EUR)",
        "Parking time 0.83",
        "Total excl. VAT 7.23",
        "VAT 21% 1.52",
        "Total incl. VAT 8.75",
    ):
        assert expected in text
    assert "Minimum or maximum price" not in text


def test_a_minimum_price_is_a_line_of_its_own_so_the_lines_add_up() -> None:
    cdr = ended(tariff(min_price=Decimal("10")))
    got = fields(receipt_csv(cdr, ISSUER, DRIVER))

    assert got["minimum or maximum price adjustment excl. VAT"] == "2.77"
    assert (got["total excl. VAT"], got["VAT"], got["total incl. VAT"]) == ("10.00", "2.10", "12.10")
    assert "Minimum or maximum price 2.77" in pdf_text(receipt_pdf(cdr, ISSUER, DRIVER))


def test_a_cost_from_incomplete_meter_data_says_so() -> None:
    cdr = ended(tariff(), metered=False)
    got = fields(receipt_csv(cdr, ISSUER, DRIVER))

    assert got["remark"] == cdr["remark"] == "Cost from incomplete meter data: energyUnknown"
    assert got["energy kWh"] == "0.000"
    assert "Note: Cost from incomplete meter data: energyUnknown." in pdf_text(
        receipt_pdf(cdr, ISSUER, DRIVER)
    )


def test_a_session_no_tariff_priced_costs_nothing_and_says_why() -> None:
    cdr = ended(None)
    got = fields(receipt_csv(cdr, ISSUER, DRIVER))

    assert (got["currency"], got["tariff"], got["total incl. VAT"], got["VAT rate %"]) == (
        "",
        "",
        "0.00",
        "0",
    )
    assert got["remark"] == "No tariff applied"
    text = pdf_text(receipt_pdf(cdr, ISSUER, DRIVER))
    assert "Tariff none" in text
    assert "Total incl. VAT 0.00" in text


@pytest.mark.parametrize(
    ("currency", "prices", "energy", "total", "shown"),
    [
        # Yen have no minor unit: whole prices give whole amounts, written without decimals.
        ("JPY", ("100", "0", "0", "100"), "1200", "1,430", "1430"),
        # A yen price in hundredths is priced to the hundredth; the receipt does not round it away.
        ("JPY", ("12.55", "0", "0", "100"), "150.60", "275.66", "275.66"),
        # Dinars have three decimals.
        ("KWD", ("0.35", "1.20", "2.00", "1.00"), "4.200", "8.750", "8.750"),
    ],
)
def test_amounts_are_written_in_the_currencys_minor_units(
    currency: str, prices: tuple[str, ...], energy: str, total: str, shown: str
) -> None:
    cdr = ended(tariff(currency, vat="10" if currency == "JPY" else "21", prices=prices))
    got = fields(receipt_csv(cdr, ISSUER, DRIVER))

    assert got["energy excl. VAT"] == energy
    assert got["total incl. VAT"] == shown
    assert Decimal(shown) == incl_vat(cdr)
    assert f"Total incl. VAT {total}" in pdf_text(receipt_pdf(cdr, ISSUER, DRIVER))


def test_names_beyond_latin_1_are_printed_as_near_as_the_pdf_fonts_allow() -> None:
    issuer = Issuer("Łódź Energia \u2013 €", ("ul. Piotrkowska 1",))
    driver = Recipient("Dvořák 山田", "yamada@example.jp")
    cdr = ended(tariff())

    text = pdf_text(receipt_pdf(cdr, issuer, driver))
    assert "Lódz Energia \u2013 €" in text  # an en dash and the euro are Windows-1252
    assert "For Dvorák ?? <yamada@example.jp>" in text
    kept = fields(receipt_csv(cdr, issuer, driver))["driver"]
    assert kept == "Dvořák 山田"  # the CSV keeps them as they are
    assert "Dvorák ??" in pdf_text(statement_pdf([cdr], "2026-03", issuer, driver))


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text() -> None:
    driver = Recipient('=HYPERLINK("https://evil.example","Refund")', "+1@example.org")
    got = fields(receipt_csv(ended(tariff()), ISSUER, driver))

    assert got["driver"] == "'" + driver.name
    assert got["driver email"] == "'+1@example.org"


def test_the_pdf_library_is_loaded_only_when_a_pdf_is_made() -> None:
    def loads_fpdf(code: str) -> bool:
        probe = f"{code}\nimport sys\nprint('fpdf' in sys.modules)"
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return done.stdout.strip().endswith("True")

    made = "from shared.domain.receipts import Issuer, Recipient, statement_{}\n"
    made += "statement_{}([], '2026-03', Issuer(), Recipient('a', 'a@example.org'))"
    assert not loads_fpdf(made.format("csv", "csv"))
    assert loads_fpdf(made.format("pdf", "pdf"))


# --- Statements -----------------------------------------------------------------------------


def test_a_statement_lists_the_months_sessions_by_start_and_totals_each_currency_apart() -> None:
    eur, gbp = tariff(), tariff("GBP", vat="20", prices=("0.45", "0", "0", "0"))
    cdrs = [
        ended(eur, T0 + timedelta(days=9), transaction_id="3"),
        ended(gbp, T0 + timedelta(days=3), charging_minutes=30, transaction_id="2"),
        ended(eur, T0, charging_minutes=45, wh_a_minute=150, transaction_id="1"),
        ended(eur, datetime(2026, 3, 31, 23, 59, tzinfo=UTC), transaction_id="4"),
    ]
    rows = lines(statement_csv(cdrs, "2026-03", ISSUER, DRIVER))

    sessions = [r for r in rows if r["line"] == "session"]
    assert [r["receipt number"] for r in sessions] == ["CP-1-1", "CP-1-2", "CP-1-3", "CP-1-4"]
    assert [r["date"] for r in sessions] == ["2026-03-02", "2026-03-05", "2026-03-11", "2026-03-31"]
    assert [(r["total incl. VAT"], r["currency"]) for r in sessions] == [
        ("6.16", "EUR"),
        ("3.24", "GBP"),
        ("8.75", "EUR"),
        ("8.75", "EUR"),
    ]
    totals = {r["currency"]: r for r in rows if r["line"] == "total"}
    assert set(totals) == {"EUR", "GBP"}
    assert Decimal(totals["EUR"]["total incl. VAT"]) == sum(
        incl_vat(c) for c in cdrs if c["currency"] == "EUR"
    )
    assert (totals["EUR"]["total incl. VAT"], totals["EUR"]["sessions"]) == ("23.66", "3")
    assert (totals["GBP"]["total incl. VAT"], totals["GBP"]["sessions"], totals["GBP"]["energy kWh"]) == (
        "3.24",
        "1",
        "6.000",
    )
    [everything] = [r for r in rows if r["line"] == "all"]
    assert (everything["sessions"], everything["energy kWh"], everything["total incl. VAT"]) == (
        "4",
        "36.750",
        "",
    )

    text = pdf_text(statement_pdf(cdrs, "2026-03", ISSUER, DRIVER))
    assert "Statement 2026-03" in text
    assert "2026-03-05 CP-1-2 CP-1*1 6.000 3.24 GBP" in text
    assert "EUR 3 30.750 23.66" in text
    assert "GBP 1 6.000 3.24" in text
    assert "26.90" not in text  # EUR and GBP are never added
    assert "Sessions: 4" in text


def test_an_empty_month_is_a_statement_of_no_sessions() -> None:
    rows = lines(statement_csv([], "2026-02", ISSUER, DRIVER))

    assert rows == [
        {
            "line": "all",
            "date": "",
            "receipt number": "",
            "charge point": "",
            "EVSE": "",
            "energy kWh": "0.000",
            "total incl. VAT": "",
            "currency": "",
            "sessions": "0",
        }
    ]
    text = pdf_text(statement_pdf([], "2026-02", ISSUER, DRIVER))
    assert "Statement 2026-02" in text
    assert "No sessions ended in this month." in text
    assert "Sessions: 0" in text


def test_a_long_month_runs_over_pages_with_its_totals_at_the_end() -> None:
    cdrs = [ended(tariff(), T0 + timedelta(hours=6 * n), transaction_id=str(n)) for n in range(80)]
    reader = PdfReader(io.BytesIO(statement_pdf(cdrs, "2026-03", ISSUER, DRIVER)))

    assert len(reader.pages) > 1
    assert all(page.extract_text().startswith("Date Receipt number Place kWh") for page in reader.pages[1:])
    last = reader.pages[-1].extract_text()
    assert "EUR 80 960.000 700.00" in last
    assert "Sessions: 80" in last


def test_a_statement_is_of_one_month_named_as_yyyy_mm() -> None:
    assert month_bounds("2026-12") == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert month_bounds("2028-02") == (datetime(2028, 2, 1, tzinfo=UTC), datetime(2028, 3, 1, tzinfo=UTC))
    for bad in ("2026-13", "2026-3", "March", "2026-03-01"):
        with pytest.raises(BadRequest, match="month must be YYYY-MM"):
            statement_csv([], bad, ISSUER, DRIVER)
    with pytest.raises(ValueError, match=r"\['CP-1-1'\] did not start in 2026-04"):
        statement_pdf([ended(tariff())], "2026-04", ISSUER, DRIVER)


# --- For any sessions -----------------------------------------------------------------------

CURRENCIES = ("EUR", "GBP", "JPY", "KWD")


@st.composite
def months_sessions(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Sessions of March 2026 under tariffs of a few currencies, any prices, VAT rates, minimum
    and maximum prices, some under no tariff, some without meter values."""
    amounts = st.decimals(0, 50, places=2)
    found = []
    for n in range(draw(st.integers(0, 12))):
        currency = draw(st.none() | st.sampled_from(CURRENCIES))
        t = None
        if currency is not None:
            low, high = draw(st.none() | amounts), draw(st.none() | amounts.map(lambda p: p * 10))
            if low is not None and high is not None and low > high:
                low, high = high, low
            t = tariff(
                currency,
                vat=draw(st.sampled_from(["0", "7", "21", "21.5"])),
                prices=tuple(str(p) for p in draw(st.lists(amounts, min_size=4, max_size=4))),
                min_price=low,
                max_price=high,
            )
        found.append(
            ended(
                t,
                datetime(2026, 3, 1, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 31 * 24 * 60 - 1))),
                charging_minutes=draw(st.integers(0, 600)),
                idle_minutes=draw(st.integers(0, 600)),
                wh_a_minute=draw(st.integers(0, 1000)),
                transaction_id=str(n),
                metered=draw(st.booleans()),
            )
        )
    return found


@settings(max_examples=150, deadline=None)
@given(months_sessions())
def test_a_statements_totals_are_the_sums_of_its_cdrs_totals(cdrs: list[dict[str, Any]]) -> None:
    rows = lines(statement_csv(cdrs, "2026-03", ISSUER, DRIVER))

    expected: dict[str, Decimal] = defaultdict(Decimal)
    for cdr in cdrs:
        if cdr["currency"] is not None:
            expected[cdr["currency"]] += incl_vat(cdr)
    totals = {r["currency"]: Decimal(r["total incl. VAT"]) for r in rows if r["line"] == "total"}
    assert totals == expected
    added: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        if r["line"] == "session" and r["currency"]:
            added[r["currency"]] += Decimal(r["total incl. VAT"])
    assert added == expected
    [everything] = [r for r in rows if r["line"] == "all"]
    assert int(everything["sessions"]) == len(cdrs)
    for cdr in cdrs:
        got = fields(receipt_csv(cdr, ISSUER, DRIVER))
        parts = [
            "energy",
            "charging time",
            "parking time",
            "fixed fee",
            "minimum or maximum price adjustment",
        ]
        assert sum(Decimal(got[f"{p} excl. VAT"]) for p in parts) == Decimal(got["total excl. VAT"])
        assert Decimal(got["total excl. VAT"]) + Decimal(got["VAT"]) == Decimal(got["total incl. VAT"])
        assert Decimal(got["total incl. VAT"]) == incl_vat(cdr)
