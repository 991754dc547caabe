"""SOAP 1.2 envelopes with WS-Addressing, as OCPP 1.5's WSDLs bind them: read safely, written
plainly.

Reading goes through defusedxml (no DTD, no entity of any kind, no external reference), after a
bound on size, and the tree's depth is bounded after parsing (an envelope is a handful of levels
deep; a MeterValues is the deepest at six below the body). A document that breaks any of these is
`Malformed`, which the front door answers with an `env:Sender` fault. Writing uses the standard
library's ElementTree: it escapes what it writes, and nothing it writes comes back as markup.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

SOAP_ENV = "http://www.w3.org/2003/05/soap-envelope"
WSA = "http://www.w3.org/2005/08/addressing"
# The central system's service (what charge points call) and the charge point's (what the CSMS
# calls): each carries `chargeBoxIdentity` in its own namespace.
CS_NS = "urn://Ocpp/Cs/2012/06/"
CP_NS = "urn://Ocpp/Cp/2012/06/"
CONTENT_TYPE = "application/soap+xml; charset=utf-8"
ANONYMOUS = f"{WSA}/anonymous"
# An OCPP 1.5 envelope's elements nest at most this deep (Envelope, Body, request, values,
# value: 5); the margin is for extensions a station adds to its header.
MAX_DEPTH = 12

ET.register_namespace("env", SOAP_ENV)
ET.register_namespace("wsa", WSA)
ET.register_namespace("cs", CS_NS)
ET.register_namespace("cp", CP_NS)


class Malformed(ValueError):
    """The document is no envelope this CSMS reads: the sender's fault."""


@dataclass(frozen=True)
class Envelope:
    """What an envelope says: who sent it, the WS-Addressing headers, and the body's one element."""

    charge_box_identity: str | None
    message_id: str | None
    from_address: str | None
    reply_to: str | None
    action: str | None
    relates_to: str | None
    body: ET.Element

    @property
    def operation(self) -> str:
        """The body element's local name (`bootNotificationRequest`)."""
        return local_name(self.body.tag)

    @property
    def namespace(self) -> str:
        return self.body.tag[1:].partition("}")[0] if self.body.tag.startswith("{") else ""


def local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def parse(document: bytes, max_bytes: int) -> Envelope:
    """The envelope in `document`; Malformed when it is too large, not XML, carries a DTD or an
    entity, nests too deeply, or is not a SOAP 1.2 envelope with one body element."""
    if len(document) > max_bytes:
        raise Malformed(f"The envelope is larger than {max_bytes} bytes")
    try:
        root = SafeET.fromstring(document, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise Malformed(f"The document is refused: {type(error).__name__}") from None
    except ET.ParseError as error:
        raise Malformed(f"The document is not well-formed XML: {error}") from None
    _bounded(root)
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        raise Malformed("The document is not a SOAP 1.2 envelope")
    header = root.find(f"{{{SOAP_ENV}}}Header")
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None or len(body) != 1:
        raise Malformed("The envelope's Body must hold exactly one element")

    def text(element: ET.Element | None) -> str | None:
        return (element.text or "").strip() or None if element is not None else None

    def in_header(name: str) -> ET.Element | None:
        if header is None:
            return None
        return next((child for child in header if local_name(child.tag) == name), None)

    origin = in_header("From")
    reply_to = in_header("ReplyTo")
    return Envelope(
        charge_box_identity=text(in_header("chargeBoxIdentity")),
        message_id=text(in_header("MessageID")),
        from_address=text(origin.find(f"{{{WSA}}}Address")) if origin is not None else None,
        reply_to=text(reply_to.find(f"{{{WSA}}}Address")) if reply_to is not None else None,
        action=text(in_header("Action")),
        relates_to=text(in_header("RelatesTo")),
        body=body[0],
    )


def _bounded(root: ET.Element) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Malformed(f"The document nests deeper than {MAX_DEPTH} elements")
        stack.extend((child, depth + 1) for child in element)


def envelope(
    body: ET.Element,
    action: str,
    namespace: str,
    charge_box_identity: str | None = None,
    relates_to: str | None = None,
    to: str | None = None,
    from_address: str | None = None,
    message_id: str | None = None,
) -> bytes:
    """An envelope around `body`: `Action` and a new `MessageID` always, the identity header when
    calling a station, `RelatesTo` when answering."""
    root = ET.Element(f"{{{SOAP_ENV}}}Envelope")
    header = ET.SubElement(root, f"{{{SOAP_ENV}}}Header")
    if charge_box_identity is not None:
        ET.SubElement(header, f"{{{namespace}}}chargeBoxIdentity").text = charge_box_identity
    ET.SubElement(header, f"{{{WSA}}}Action").text = action
    ET.SubElement(header, f"{{{WSA}}}MessageID").text = message_id or f"urn:uuid:{uuid.uuid4()}"
    if relates_to is not None:
        ET.SubElement(header, f"{{{WSA}}}RelatesTo").text = relates_to
    if from_address is not None:
        ET.SubElement(ET.SubElement(header, f"{{{WSA}}}From"), f"{{{WSA}}}Address").text = from_address
        ET.SubElement(ET.SubElement(header, f"{{{WSA}}}ReplyTo"), f"{{{WSA}}}Address").text = ANONYMOUS
    if to is not None:
        ET.SubElement(header, f"{{{WSA}}}To").text = to
    ET.SubElement(root, f"{{{SOAP_ENV}}}Body").append(body)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def fault(sender: bool, ocpp_error: str, reason: str, relates_to: str | None = None) -> bytes:
    """A SOAP 1.2 fault: `env:Sender` (the request's fault, HTTP 400) or `env:Receiver` (ours,
    HTTP 500), with the OCPP error's name as its subcode in the central system's namespace."""
    body = ET.Element(f"{{{SOAP_ENV}}}Fault")
    code = ET.SubElement(body, f"{{{SOAP_ENV}}}Code")
    ET.SubElement(code, f"{{{SOAP_ENV}}}Value").text = "env:Sender" if sender else "env:Receiver"
    ET.SubElement(
        ET.SubElement(code, f"{{{SOAP_ENV}}}Subcode"), f"{{{SOAP_ENV}}}Value"
    ).text = f"cs:{ocpp_error}"
    text = ET.SubElement(ET.SubElement(body, f"{{{SOAP_ENV}}}Reason"), f"{{{SOAP_ENV}}}Text")
    text.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    text.text = reason
    return envelope(body, f"{WSA}/fault", CS_NS, relates_to=relates_to)


def fault_of(envelope_: Envelope) -> tuple[str, str] | None:
    """An answer's fault, as (subcode or code, reason); None when it is no fault."""
    if local_name(envelope_.body.tag) != "Fault" or envelope_.namespace != SOAP_ENV:
        return None
    codes = envelope_.body.iter(f"{{{SOAP_ENV}}}Value")
    values = [(value.text or "").strip().rpartition(":")[2] for value in codes]
    reason = envelope_.body.find(f"{{{SOAP_ENV}}}Reason/{{{SOAP_ENV}}}Text")
    return (values[-1] if values else "Fault", (reason.text or "") if reason is not None else "")
