"""SOAP 1.2 envelopes: what is read from a station's, and every unsafe document refused before
it costs anything (no DTD, no entity, bounded size and depth)."""

import pytest

from shared.protocol import soap

MAX = 128 * 1024


def envelope(body: str = "<cs:heartbeatRequest/>", header: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>'
        '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" '
        'xmlns:cs="urn://Ocpp/Cs/2012/06/" xmlns:wsa="http://www.w3.org/2005/08/addressing">'
        "<env:Header><cs:chargeBoxIdentity>CP-1</cs:chargeBoxIdentity>"
        "<wsa:MessageID>urn:uuid:1</wsa:MessageID><wsa:Action>/Heartbeat</wsa:Action>"
        "<wsa:From><wsa:Address>http://10.0.0.5:8080/ocpp</wsa:Address></wsa:From>"
        f"{header}</env:Header><env:Body>{body}</env:Body></env:Envelope>"
    ).encode()


def test_an_envelope_names_its_station_its_message_and_where_it_takes_calls():
    read = soap.parse(envelope(), MAX)
    assert read.charge_box_identity == "CP-1"
    assert read.message_id == "urn:uuid:1"
    assert read.action == "/Heartbeat"
    assert read.from_address == "http://10.0.0.5:8080/ocpp"
    assert read.operation == "heartbeatRequest" and read.namespace == soap.CS_NS


@pytest.mark.parametrize(
    "document",
    [
        b"<env:Envelope",  # not well-formed
        b"<a/>",  # not an envelope
        envelope(body=""),  # no body element
        # an external entity
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
        # a DTD alone
        b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x/>',
    ],
    ids=["malformed", "not-an-envelope", "empty-body", "external-entity", "dtd"],
)
def test_a_document_that_is_no_safe_envelope_is_refused(document):
    with pytest.raises(soap.Malformed):
        soap.parse(document, MAX)


def test_a_billion_laughs_is_refused_before_any_expansion():
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    document = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY l0 "ha">{entities}]><x>&l9;</x>'.encode()
    # Refused at its DTD, before any entity is declared: nothing is expanded (a billion "ha").
    with pytest.raises(soap.Malformed, match="DTDForbidden"):
        soap.parse(document, MAX)


def test_ten_megabytes_are_refused_unread():
    with pytest.raises(soap.Malformed, match="larger than"):
        soap.parse(envelope(body="<cs:heartbeatRequest>" + "x" * 10_000_000 + "</cs:heartbeatRequest>"), MAX)


def test_a_document_nested_too_deeply_is_refused():
    deep = "<cs:a>" * 50 + "</cs:a>" * 50
    with pytest.raises(soap.Malformed, match="deeper"):
        soap.parse(envelope(body=deep), MAX)


def test_an_answer_relates_to_the_message_it_answers():
    import xml.etree.ElementTree as ET

    written = soap.envelope(
        ET.Element(f"{{{soap.CS_NS}}}heartbeatResponse"),
        "/HeartbeatResponse",
        soap.CS_NS,
        relates_to="urn:uuid:1",
    )
    read = soap.parse(written, MAX)
    assert read.relates_to == "urn:uuid:1" and read.action == "/HeartbeatResponse"
    assert read.operation == "heartbeatResponse"


def test_a_fault_carries_the_ocpp_error_name_and_says_whose_fault_it_is():
    read = soap.parse(soap.fault(True, "SecurityError", "not registered", relates_to="urn:uuid:1"), MAX)
    assert soap.fault_of(read) == ("SecurityError", "not registered")
    code = read.body.find(f"{{{soap.SOAP_ENV}}}Code/{{{soap.SOAP_ENV}}}Value")
    assert code is not None and code.text == "env:Sender"
    ours = soap.parse(soap.fault(False, "InternalError", "oops"), MAX)
    code = ours.body.find(f"{{{soap.SOAP_ENV}}}Code/{{{soap.SOAP_ENV}}}Value")
    assert code is not None and code.text == "env:Receiver"


def test_an_answer_that_is_no_fault_says_so():
    assert soap.fault_of(soap.parse(envelope(), MAX)) is None
