"""Currencies: the codes a tariff may price in, and the decimals their amounts are written with."""

from __future__ import annotations

import pytest

from shared.domain.currencies import is_currency, minor_units


@pytest.mark.parametrize(
    ("code", "decimals"),
    [
        ("JPY", 0),
        ("KRW", 0),
        ("XOF", 0),
        ("EUR", 2),
        ("USD", 2),
        ("GBP", 2),
        ("KWD", 3),
        ("BHD", 3),
        ("TND", 3),
    ],
)
def test_minor_units_are_iso_4217s(code: str, decimals: int) -> None:
    assert is_currency(code)
    assert minor_units(code) == decimals
