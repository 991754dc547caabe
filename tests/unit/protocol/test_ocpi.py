"""OCPI 2.2.1's objects as the CSMS sends them: each model holds its required fields, formats and
enumerations, and the CSMS's own objects pass it."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from shared.domain.availability import ConnectorStatusReport
from shared.domain.cdrs import cdr_of, ocpi_tariff
from shared.domain.roaming import Place, Station, location_of
from shared.domain.tariffs import Dimension, PriceComponent, Tariff, TariffElement
from shared.domain.transactions import SessionSummary
from shared.protocol import ocpi

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
PLACE = Place("Kade 1", "Amsterdam", "NLD", 52.37, 4.89, "Europe/Amsterdam")


def location():
    station = Station("CP1", (ConnectorStatusReport(1, 1, "Available", NOW),))
    return location_of("harbour", PLACE, [station], "NL", "CSM", NOW)


def tariff():
    element = TariffElement((PriceComponent(Dimension.ENERGY, Decimal("0.30")),))
    return ocpi_tariff(Tariff("t1", "EUR", (element,), updated_at=NOW), "NL", "CSM")


def test_a_location_passes_and_a_wrong_field_fails():
    assert ocpi.checked(ocpi.Location, location())["evses"][0]["evse_id"] == "NL*CSM*ECP1*1"
    for change in ({"country": "NL"}, {"party_id": "CS"}, {"extra": 1}, {"address": ""}):
        with pytest.raises(ValidationError):
            ocpi.Location.model_validate({**location(), **change})
    broken = location()
    broken["evses"][0]["connectors"][0]["standard"] = "TYPE2"
    with pytest.raises(ValidationError):
        ocpi.Location.model_validate(broken)


def test_coordinates_are_strings_of_five_to_seven_decimals():
    ocpi.GeoLocation(latitude="52.37000", longitude="-4.890000")
    with pytest.raises(ValidationError):
        ocpi.GeoLocation(latitude="52.37", longitude="4.89")


def test_a_tariff_passes_and_needs_elements_and_last_updated():
    assert ocpi.checked(ocpi.Tariff, tariff())["elements"][0]["price_components"][0]["type"] == "ENERGY"
    with pytest.raises(ValidationError):
        ocpi.Tariff.model_validate({**tariff(), "elements": []})
    with pytest.raises(ValidationError):
        ocpi.Tariff.model_validate({**tariff(), "last_updated": None})


def test_a_cdr_with_its_location_completed_passes():
    summary = SessionSummary(
        transaction_id="1",
        charge_point_id="CP1",
        ocpp_version="2.0.1",
        evse_id=1,
        connector_id=1,
        id_token="TAG1",
        id_token_type="ISO14443",
        started_at=NOW,
        stopped_at=datetime(2026, 11, 24, 11, 0, tzinfo=UTC),
        meter_start_wh=0,
        meter_stop_wh=7500,
        energy_wh=7500,
        stop_reason=None,
        active=False,
    )
    cdr = cdr_of(summary, None, None, "NL", "CSM", NOW)
    with pytest.raises(ValidationError):  # the CSMS's own CDR lacks what OCPI's location needs
        ocpi.Cdr.model_validate(cdr)
    cdr["cdr_location"] |= {
        "address": "Kade 1",
        "city": "Amsterdam",
        "country": "NLD",
        "coordinates": {"latitude": "52.370000", "longitude": "4.890000"},
        "connector_standard": "IEC_62196_T2",
        "connector_format": "SOCKET",
        "connector_power_type": "AC_3_PHASE",
    }
    cdr["currency"] = "EUR"
    assert ocpi.checked(ocpi.Cdr, cdr)["total_energy"] == 7.5


def test_a_partners_credentials_are_read_or_refused_with_the_reason():
    good = {
        "token": "abc",
        "url": "https://emsp/versions",
        "roles": [
            {"role": "EMSP", "business_details": {"name": "E"}, "party_id": "EMS", "country_code": "DE"}
        ],
    }
    assert ocpi.read_credentials(good).roles[0].party_id == "EMS"
    with pytest.raises(ocpi.Malformed, match="roles"):
        ocpi.read_credentials({**good, "roles": []})
    with pytest.raises(ocpi.Malformed, match="url"):
        ocpi.read_credentials({**good, "url": "ftp://x"})
    with pytest.raises(ocpi.Malformed, match="token"):
        ocpi.read_credentials({**good, "token": "has space"})


def test_versions_and_endpoints_take_only_ocpis_words():
    ocpi.VersionDetails(
        version="2.2.1", endpoints=[{"identifier": "cdrs", "role": "SENDER", "url": "https://x/c"}]
    )
    with pytest.raises(ValidationError):
        ocpi.Endpoint(identifier="cdrs", role="CPO", url="https://x/c")
