"""The currencies a tariff may price in: ISO 4217's active currency codes (its list one), so that
a typo such as QQQ is refused where it is made, not found on a driver's receipt. Left out are
the codes that name no money a driver pays in: funds (BOV, CHE, CLF, ...), precious metals
(XAU, ...), bond units, special drawing rights, and the testing and no-currency codes."""

from __future__ import annotations

_CODES = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP
    BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP
    GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR
    KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK
    MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR
    SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL
"""
ISO_4217 = frozenset(_CODES.split())
# ISO 4217's minor units where they are not 2 (its list one, for the codes above).
_NO_MINOR_UNITS = frozenset(
    {
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    }
)
_THREE_MINOR_UNITS = frozenset({"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"})


def is_currency(code: str) -> bool:
    return code in ISO_4217


def minor_units(code: str) -> int:
    """The decimals an amount in the currency is written with (yen 0, euro 2, dinar 3)."""
    if code in _NO_MINOR_UNITS:
        return 0
    return 3 if code in _THREE_MINOR_UNITS else 2
