"""A charge point's client certificate as the edge verified it (security profile 3).

The edge (CloudFront viewer mTLS in the cloud, the local runtime's TLS listener here) checks
the chain against the trust store and the validity dates, and forwards what it verified as
`CloudFront-Viewer-Cert-*` headers. What the CSMS decides is whose certificate it is:

- by default the subject's common name (CN), which OCPP's security profiles ask to be the
  charge point's identity (its serial number);
- with `CSMS_CERTIFICATE_IDENTITY=serialNumber`, the subject's serialNumber attribute (OID
  2.5.4.5), where some manufacturers put the identity and keep the CN for a model name.

A certificate admits a charge point at profile 3 only when its extended key usage says client
authentication: what the CSMS signs for a station says so, while a V2G (ISO 15118) leaf it
signs for a SECC says TLS server, and so can never stand in for a station, whatever its
subject names. The edge forwards the leaf as PEM, from which the usage is read (x509.py);
where it forwards none, the usage is unknown and the certificate admits no one at profile 3.

Plain Python: the subject arrives as an RFC 4514 string.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

# The extended key usage a charge point's client certificate must carry (RFC 5280 id-kp-clientAuth).
CLIENT_AUTH = "1.3.6.1.5.5.7.3.2"
ATTRIBUTE_NAMES = {"CN": "CN", "SERIALNUMBER": "serialNumber", "2.5.4.5": "serialNumber", "2.5.4.3": "CN"}


class IdentityAttribute(StrEnum):
    COMMON_NAME = "CN"
    SERIAL_NUMBER = "serialNumber"


@dataclass(frozen=True)
class ClientCertificate:
    subject: str  # RFC 4514, as the edge forwards it
    not_before: datetime | None = None
    not_after: datetime | None = None
    serial: str | None = None  # hex, lower case, no separators or leading zeros (serial_hex)
    # Its extended key usages (dotted OIDs); empty without the extension, None when not known.
    purposes: frozenset[str] | None = None

    @property
    def for_client_auth(self) -> bool:
        return self.purposes is not None and CLIENT_AUTH in self.purposes

    def identity(self, attribute: IdentityAttribute) -> str | None:
        values = subject_attributes(self.subject).get(attribute.value, [])
        return values[0] if len(values) == 1 else None  # two CNs name nobody

    def valid_at(self, now: datetime) -> bool:
        return (self.not_before is None or self.not_before <= now) and (
            self.not_after is None or now <= self.not_after
        )


def subject_attributes(name: str) -> dict[str, list[str]]:
    """The attributes of an RFC 4514 distinguished name, by short name: escaped commas, plus
    signs and hex pairs read as the RFC says. An unreadable name has no attributes."""
    found: dict[str, list[str]] = {}
    for part in _split(name, ",+"):
        key, sep, value = part.partition("=")
        if not sep:
            return {}
        key = ATTRIBUTE_NAMES.get(key.strip().upper(), key.strip())
        found.setdefault(key, []).append(_unescape(value.strip()))
    return found


def _split(text: str, separators: str) -> list[str]:
    parts, current, escaped = [], [], False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def _unescape(value: str) -> str:
    out = bytearray()
    i = 0
    while i < len(value):
        char = value[i]
        if char == "\\" and _hex(value[i + 1 : i + 3]):
            out.append(int(value[i + 1 : i + 3], 16))
            i += 3
        elif char == "\\" and i + 1 < len(value):
            out += value[i + 1].encode()
            i += 2
        else:
            out += char.encode()
            i += 1
    return out.decode("utf-8", "replace")


def _hex(pair: str) -> bool:
    return len(pair) == 2 and all(c in "0123456789abcdefABCDEF" for c in pair)


def parse_validity(text: str) -> tuple[datetime | None, datetime | None]:
    """`NotBefore=2023-09-21T01:50:17Z;NotAfter=2024-09-20T01:50:17Z`, as the edge sends it."""
    dates: dict[str, datetime] = {}
    for part in text.split(";"):
        key, _, value = part.strip().partition("=")
        try:
            dates[key.lower()] = datetime.fromisoformat(value)
        except ValueError:
            continue
    return dates.get("notbefore"), dates.get("notafter")


def serial_hex(text: str) -> str:
    """A serial number as the CSMS writes it: CloudFront's "4a:3f:5c" and OCPP's "4A3F5C" are
    both "4a3f5c"."""
    return text.replace(":", "").strip().lower().lstrip("0") or "0"
