"""Whose certificate it is: RFC 4514 subjects as the edge forwards them."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.domain.client_certificates import (
    ClientCertificate,
    IdentityAttribute,
    parse_validity,
    subject_attributes,
)


def test_subjects_are_read_with_their_escapes():
    assert subject_attributes(r"CN=CP\,1,O=Acme\+Co,serialNumber=SN-9") == {
        "CN": ["CP,1"],
        "O": ["Acme+Co"],
        "serialNumber": ["SN-9"],
    }
    assert subject_attributes(r"CN=caf\C3\A9") == {"CN": ["café"]}
    assert subject_attributes("2.5.4.5=SN-1+CN=CP1") == {"serialNumber": ["SN-1"], "CN": ["CP1"]}
    assert subject_attributes("no equals sign") == {}


def test_a_subject_with_two_common_names_names_nobody():
    certificate = ClientCertificate("CN=CP1,CN=CP2")
    assert certificate.identity(IdentityAttribute.COMMON_NAME) is None
    assert ClientCertificate("CN=CP1").identity(IdentityAttribute.SERIAL_NUMBER) is None


def test_the_edges_validity_header_is_read():
    before, after = parse_validity("NotBefore=2023-09-21T01:50:17Z;NotAfter=2024-09-20T01:50:17Z")
    assert before == datetime(2023, 9, 21, 1, 50, 17, tzinfo=UTC)
    assert after == datetime(2024, 9, 20, 1, 50, 17, tzinfo=UTC)
    assert parse_validity("garbage") == (None, None)
