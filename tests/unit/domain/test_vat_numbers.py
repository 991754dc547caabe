"""VAT numbers' forms per EU country: checked by form alone, written as people write them."""

import pytest

from shared.domain.vat_numbers import FORMS, form_problem, vat_check
from tests.unit.protocol.wire import T0

GOOD = {
    "AT": "ATU12345678",
    "BE": "BE0123456789",
    "BG": "BG1234567890",
    "CY": "CY12345678X",
    "CZ": "CZ12345678",
    "DE": "DE123456789",
    "DK": "DK12345678",
    "EE": "EE123456789",
    "EL": "EL123456789",
    "ES": "ESX1234567R",
    "FI": "FI12345678",
    "FR": "FRAB123456789",
    "HR": "HR12345678901",
    "HU": "HU12345678",
    "IE": "IE1234567WA",
    "IT": "IT12345678901",
    "LT": "LT123456789012",
    "LU": "LU12345678",
    "LV": "LV12345678901",
    "MT": "MT12345678",
    "NL": "NL123456789B01",
    "PL": "PL1234567890",
    "PT": "PT123456789",
    "RO": "RO1234567",
    "SE": "SE123456789001",
    "SI": "SI12345678",
    "SK": "SK1234567890",
    "XI": "XIGD123",
}


def test_every_country_has_an_example_here():
    assert sorted(GOOD) == sorted(FORMS)


@pytest.mark.parametrize("number", GOOD.values())
def test_a_number_of_its_country_s_form_passes(number):
    assert form_problem(number) is None


@pytest.mark.parametrize("number", ["de 123.456-789", "nl 1234 56789 b01", "FR AB 123456789"])
def test_spaces_dots_hyphens_and_case_are_how_people_write_them(number):
    assert form_problem(number) is None


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("DE12345678", "not of DE's form"),  # a digit short
        ("DE1234567890", "not of DE's form"),
        ("ATU1234567", "not of AT's form"),
        ("NL123456789C01", "not of NL's form"),
        ("SE123456789012", "not of SE's form"),  # must end 01
        ("GR123456789", "GR is not an EU VAT country prefix"),  # Greece is EL
        ("GB123456789", "GB is not an EU VAT country prefix"),
        ("", "nothing is not an EU VAT country prefix"),
    ],
)
def test_a_number_not_of_its_form_is_refused_with_why(number, why):
    assert form_problem(number) == why


def test_a_check_keeps_the_number_as_given_with_the_answer_and_a_resend_is_the_same():
    check = vat_check("DE 123456789", 2, "m1", T0)
    assert check.body == {"vatNumber": "DE 123456789", "evseId": 2, "status": "Accepted", "reason": None}
    assert (
        vat_check("DE 123456789", 2, "m1", T0).sort
        == check.sort
        != vat_check("DE 123456789", 2, "m2", T0).sort
    )
    assert vat_check("DE1", None, "m1", T0).body["status"] == "Rejected"
