"""OCPI's rules in plain Python: tokens, the Authorization header, the envelope, pagination,
partners' identities, and sites as locations."""

import base64
from datetime import UTC, datetime

import pytest

from shared.domain.availability import ConnectorStatusReport
from shared.domain.roaming import (
    MAX_PAGE,
    OcpiError,
    Place,
    Station,
    Window,
    authorization_of,
    emi3_evse_id,
    envelope,
    evse_status,
    location_of,
    new_token,
    page,
    pagination_headers,
    problems,
    token_hash,
    token_of,
)

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
PLACE = Place("Kade 1", "Amsterdam", "NLD", 52.37, 4.89, "Europe/Amsterdam", name="Harbour")


def test_a_token_is_long_random_printable_and_stored_as_its_hash():
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 40 and first.isprintable() and " " not in first
    assert token_hash(first) == token_hash(first) != token_hash(second) and first not in token_hash(first)


def test_the_authorization_header_carries_the_token_in_base64_and_2_1_1_plain():
    assert token_of(authorization_of("abc-123")) == "abc-123"
    assert token_of("Token " + base64.b64encode(b"abc-123").decode()) == "abc-123"
    assert token_of("token abc-123") == "abc-123"  # not Base64: as 2.1.1 sends it


@pytest.mark.parametrize("header", [None, "", "Bearer x", "Token", "Token  "])
def test_a_missing_or_other_authorization_is_401(header):
    with pytest.raises(OcpiError) as refused:
        token_of(header)
    assert refused.value.http_status == 401 and refused.value.status_code == 2000


def test_the_envelope_has_data_status_and_a_timestamp():
    assert envelope([1], NOW) == {
        "status_code": 1000,
        "timestamp": "2026-11-24T10:00:00.000Z",
        "data": [1],
        "status_message": "Success",
    }
    refused = envelope(None, NOW, 2001, "offset is an integer")
    assert "data" not in refused and refused["status_message"] == "offset is an integer"


def test_pages_slice_the_list_and_link_the_next_one():
    items = [{"id": str(i)} for i in range(5)]
    first = page(items, Window(0, 2))
    assert [i["id"] for i in first.items] == ["0", "1"] and (first.total, first.next_offset) == (5, 2)
    headers = pagination_headers(
        first, "https://csms/ocpi/2.2.1/cdrs", {"date_from": "2026-01-01", "limit": "2"}
    )
    assert headers["X-Total-Count"] == "5" and headers["X-Limit"] == "2"
    assert (
        headers["Link"] == '<https://csms/ocpi/2.2.1/cdrs?date_from=2026-01-01&offset=2&limit=2>; rel="next"'
    )
    last = page(items, Window(4, 2))
    assert [i["id"] for i in last.items] == ["4"] and "Link" not in pagination_headers(last, "u", {})
    assert Window().limit == MAX_PAGE


def test_a_window_takes_date_from_inclusive_and_date_to_exclusive():
    window = Window(date_from=NOW, date_to=datetime(2026, 11, 25, tzinfo=UTC))
    assert window.admits(NOW) and not window.admits(datetime(2026, 11, 25, tzinfo=UTC))
    assert not window.admits(datetime(2026, 11, 23, tzinfo=UTC)) and not window.admits(None)
    assert Window().admits(None)


def test_a_partners_identity_follows_ocpi():
    assert problems("Roamer", "DE", "EMS") == []
    assert len(problems(" ", "de", "EMSP")) == 3


@pytest.mark.parametrize(
    ("ocpp", "ocpi"),
    [
        ("Available", "AVAILABLE"),
        ("Charging", "CHARGING"),
        ("Occupied", "CHARGING"),
        ("Faulted", "OUTOFORDER"),
        ("Unavailable", "INOPERATIVE"),
        ("Reserved", "RESERVED"),
        (None, "UNKNOWN"),
        ("Odd", "UNKNOWN"),
    ],
)
def test_connector_statuses_become_evse_statuses(ocpp, ocpi):
    assert evse_status(ocpp) == ocpi


def test_the_evse_id_is_in_the_emi3_form():
    assert emi3_evse_id("NL", "CSM", "cp-1", 2) == "NL*CSM*ECP1*2"


def test_a_site_becomes_a_location_with_an_evse_per_evse_and_no_charge_point_connector():
    connectors = (
        ConnectorStatusReport(None, 0, "Available", NOW),  # 1.6's charge point itself
        ConnectorStatusReport(None, 1, "Charging", NOW),
        ConnectorStatusReport(None, 2, "Available", NOW),
    )
    location = location_of("harbour", PLACE, [Station("CP1", connectors, 16, 230, 1)], "NL", "CSM", NOW)
    assert [e["uid"] for e in location["evses"]] == ["CP1-1", "CP1-2"]
    connector = location["evses"][0]["connectors"][0]
    assert (connector["power_type"], connector["max_amperage"], connector["max_voltage"]) == (
        "AC_1_PHASE",
        16,
        230,
    )
    assert location["coordinates"] == {"latitude": "52.370000", "longitude": "4.890000"}
    assert location["name"] == "Harbour" and "postal_code" not in location


def test_a_place_out_of_range_says_why():
    wrong = Place("a", "b", "NL", 91, 0, "UTC")
    assert len(wrong.problems()) == 2
