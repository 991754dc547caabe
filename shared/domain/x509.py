"""X.509 as OCPP's security profile 3 and ISO 15118 use it: the CSRs charge points send, the
certificates the CSMS's CA signs from them, the hashes that name a certificate on a station,
and the OCSP requests built from those hashes (docs/decisions/0028).

A CSR is signed when:
- it is a PEM PKCS#10 request whose signature verifies (the station holds the key);
- for a charging station certificate, its subject names the charge point by the attribute the
  handshake reads (CN, or serialNumber: `client_certificates`), so that the certificate it
  gets admits that charge point and no other; a V2G certificate names the station's SECC,
  which need not be its OCPP identity, and must at least have a CN;
- its key is EC of 256 bits or more, or RSA of 2048 or more (a V2G key: EC, as ISO 15118
  asks).

Plain computation over the `cryptography` package: no AWS, no OCPP payloads.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from shared.domain.certificates import CertificateUse, CsrRejected, Facts, SigningRequest, Standing
from shared.domain.client_certificates import ClientCertificate, IdentityAttribute, serial_hex

# Names as RFC 4514 strings write them: serialNumber by name, as the handshake's rule reads it.
_NAMES = {NameOID.SERIAL_NUMBER: "serialNumber"}
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
# Issued certificates start a little in the past: a station's clock may run behind.
BACKDATE = timedelta(minutes=5)

_ATTRIBUTE_OIDS = {
    IdentityAttribute.COMMON_NAME: NameOID.COMMON_NAME,
    IdentityAttribute.SERIAL_NUMBER: NameOID.SERIAL_NUMBER,
}
_HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "SHA256": hashes.SHA256,
    "SHA384": hashes.SHA384,
    "SHA512": hashes.SHA512,
}


@dataclass(frozen=True)
class Authority:
    """A CA that signs: its certificate, its key, and the certificates between it and a root
    (empty when it is the root)."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def root(self) -> x509.Certificate:
        return self.chain[-1] if self.chain else self.certificate


def check_csr(
    pem: str, use: CertificateUse, charge_point_id: str, attribute: IdentityAttribute
) -> SigningRequest:
    try:
        request = x509.load_pem_x509_csr(pem.encode())
    except ValueError:
        raise CsrRejected("not a PEM-encoded PKCS#10 certificate signing request") from None
    try:
        valid = request.is_signature_valid
    except (UnsupportedAlgorithm, InvalidSignature, ValueError):
        valid = False
    if not valid:
        raise CsrRejected("the request's signature does not verify")
    key = _key_description(request.public_key(), use)
    subject = request.subject
    if use is CertificateUse.CHARGING_STATION:
        named = [a.value for a in subject.get_attributes_for_oid(_ATTRIBUTE_OIDS[attribute])]
        if named != [charge_point_id]:
            raise CsrRejected(
                f"the subject's {attribute.value} must be the charge point's id {charge_point_id!r},"
                f" not {', '.join(map(str, named)) or 'absent'}"
            )
    elif not subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        raise CsrRejected("a V2G certificate's subject needs a CN (the SECC's id)")
    return SigningRequest(pem.strip(), use, subject.rfc4514_string(_NAMES), key)


def _key_description(key: object, use: CertificateUse) -> str:
    if isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.key_size < MIN_EC_BITS:
            raise CsrRejected(f"an EC key of {key.curve.key_size} bits; {MIN_EC_BITS} at least")
        return f"EC {key.curve.name}"
    if isinstance(key, rsa.RSAPublicKey) and not use.v2g:
        if key.key_size < MIN_RSA_BITS:
            raise CsrRejected(f"an RSA key of {key.key_size} bits; {MIN_RSA_BITS} at least")
        return f"RSA {key.key_size}"
    kind = "an RSA" if isinstance(key, rsa.RSAPublicKey) else "this kind of"
    raise CsrRejected(f"{kind} key is not accepted for a {use.value}")


def new_authority(name: str, now: datetime, days: int = 3650) -> Authority:
    """A root CA of the CSMS's own (path length 0: it signs station certificates only)."""
    key = ec.generate_private_key(ec.SECP384R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(key, hashes.SHA384())
    )
    return Authority(certificate, key)


def authority_to_pem(authority: Authority) -> dict[str, str]:
    return {
        "certificate": pem_of(authority.certificate),
        "key": authority.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode(),
        "chain": "".join(pem_of(c) for c in authority.chain),
    }


def authority_from_pem(found: dict[str, str]) -> Authority:
    key = serialization.load_pem_private_key(found["key"].encode(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError("the CA's key must be EC or RSA")
    chain = found.get("chain") or ""
    return Authority(
        x509.load_pem_x509_certificate(found["certificate"].encode()),
        key,
        tuple(x509.load_pem_x509_certificates(chain.encode())) if chain.strip() else (),
    )


def issue(request: SigningRequest, authority: Authority, now: datetime, days: int) -> x509.Certificate:
    """The certificate for a checked CSR: its subject and key, the authority's name and
    signature, a client-authentication certificate for a station, a TLS server one for a SECC."""
    csr = x509.load_pem_x509_csr(request.pem.encode())
    public_key = csr.public_key()
    if not isinstance(public_key, ec.EllipticCurvePublicKey | rsa.RSAPublicKey):
        raise CsrRejected("the request's key cannot be certified")
    purpose = ExtendedKeyUsageOID.SERVER_AUTH if request.use.v2g else ExtendedKeyUsageOID.CLIENT_AUTH
    not_after = min(now + timedelta(days=days), authority.certificate.not_valid_after_utc)
    ca_key_id = authority.certificate.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
    return (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(authority.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=isinstance(public_key, rsa.RSAPublicKey),
                data_encipherment=False,
                key_agreement=isinstance(public_key, ec.EllipticCurvePublicKey),
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([purpose]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_key_id.value), critical=False
        )
        .sign(authority.key, hashes.SHA256())
    )


def chain_pem(certificate: x509.Certificate, authority: Authority) -> str:
    """What CertificateSigned carries: the leaf, then the CA and any intermediates, no root
    unless the CA is the root itself (a station holds the root as its CSMS root)."""
    between = (authority.certificate, *authority.chain[:-1]) if authority.chain else ()
    return "".join(pem_of(c) for c in (certificate, *between))


def without_root(leaf: str, chain: str) -> str:
    """A leaf and the chain above it as CertificateSigned carries them: no self-signed root (a
    station holds that as its CSMS root)."""
    certificates = x509.load_pem_x509_certificates((leaf.strip() + "\n" + chain.strip()).encode())
    return "".join(pem_of(c) for c in certificates if c.issuer != c.subject or c is certificates[0])


def root_of(certificate: str, chain: str) -> x509.Certificate:
    """The root above a CA: the last of its chain, or the CA itself when it has none."""
    return x509.load_pem_x509_certificates((chain if chain.strip() else certificate).encode())[-1]


def pem_of(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode()


def load(pem: str) -> x509.Certificate:
    """One PEM certificate (the first of a chain)."""
    try:
        return x509.load_pem_x509_certificates(pem.encode())[0]
    except (ValueError, IndexError):
        raise ValueError("not a PEM-encoded X.509 certificate") from None


def client_certificate(pem: str) -> ClientCertificate | None:
    """A client certificate as the edge forwards it (the leaf as PEM): whose it is, when it is
    valid and what it is for. None when it cannot be read."""
    try:
        certificate = load(pem)
    except ValueError:
        return None
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        purposes = frozenset(oid.dotted_string for oid in usage)
    except (x509.ExtensionNotFound, ValueError):  # none, or none that reads: for nothing
        purposes = frozenset()
    return ClientCertificate(
        certificate.subject.rfc4514_string(_NAMES),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        serial=serial_hex(format(certificate.serial_number, "x")),
        purposes=purposes,
    )


def ca_certificates(pem: str) -> list[x509.Certificate]:
    """Every certificate of a PEM, each a CA (basicConstraints cA): what a trust anchor or a
    root a station installs may hold. ValueError with why otherwise, so that a leaf slipped in
    beside a CA is not stored as trusted."""
    try:
        certificates = x509.load_pem_x509_certificates(pem.encode())
    except ValueError:
        raise ValueError("not a PEM-encoded X.509 certificate") from None
    for i, certificate in enumerate(certificates):
        try:
            ca = certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        except x509.ExtensionNotFound:
            ca = False
        if not ca:
            which = f"certificate {i + 1} of {len(certificates)}" if len(certificates) > 1 else "it"
            subject = certificate.subject.rfc4514_string(_NAMES)
            raise ValueError(f"{which} ({subject}) is not a CA certificate (basicConstraints cA)")
    return certificates


def facts(certificate: x509.Certificate) -> Facts:
    return Facts(
        subject=certificate.subject.rfc4514_string(_NAMES),
        issuer=certificate.issuer.rfc4514_string(_NAMES),
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
    )


def hash_data(
    certificate: x509.Certificate, issuer: x509.Certificate, algorithm: str = "SHA256"
) -> dict[str, str]:
    """OCPP's CertificateHashData, which is the OCSP CertID's fields: the hashes of the issuer's
    name and of its public key, and the serial number, in hex. A root is its own issuer."""
    request = ocsp.OCSPRequestBuilder().add_certificate(certificate, issuer, _hash(algorithm)).build()
    return {
        "hashAlgorithm": algorithm,
        "issuerNameHash": request.issuer_name_hash.hex(),
        "issuerKeyHash": request.issuer_key_hash.hex(),
        "serialNumber": format(certificate.serial_number, "x"),
    }


def _hash(algorithm: str) -> hashes.HashAlgorithm:
    try:
        return _HASHES[algorithm]()
    except KeyError:
        raise ValueError(f"hash algorithm {algorithm!r} is not SHA256, SHA384 or SHA512") from None


@dataclass(frozen=True)
class OcspAnswer:
    """A responder's answer: its DER bytes (relayed to the station as they are), the status of
    the certificate asked about, and until when it holds."""

    der: bytes
    status: str  # GOOD, REVOKED or UNKNOWN; or the response status when it was not SUCCESSFUL
    next_update: datetime | None


def ocsp_request(hash_data_: dict[str, str]) -> bytes:
    """An OCSP request for the certificate the hashes name (OCPP's OCSPRequestData)."""
    algorithm = _hash(hash_data_["hashAlgorithm"])
    try:
        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate_by_hash(
                bytes.fromhex(hash_data_["issuerNameHash"]),
                bytes.fromhex(hash_data_["issuerKeyHash"]),
                int(hash_data_["serialNumber"], 16),
                algorithm,
            )
            .build()
        )
    except ValueError as error:
        raise ValueError(f"the OCSP request data do not make a request: {error}") from None
    return request.public_bytes(serialization.Encoding.DER)


_STANDINGS = {"GOOD": "Good", "REVOKED": "Revoked", "UNKNOWN": "Unknown"}


def standing_of(answer: OcspAnswer) -> Standing:
    return Standing(
        _STANDINGS.get(answer.status, "Failed"), answer.next_update, base64.b64encode(answer.der).decode()
    )


def crl_standing(data: bytes, hash_data_: dict[str, str]) -> Standing:
    """A certificate's standing in a CRL (DER or PEM): Unknown when the CRL is another
    issuer's, which its name hash tells."""
    try:
        crl = (
            x509.load_der_x509_crl(data)
            if not data.lstrip().startswith(b"-----")
            else x509.load_pem_x509_crl(data)
        )
    except ValueError:
        raise ValueError("not a CRL") from None
    digest = hashes.Hash(_hash(hash_data_["hashAlgorithm"]))
    digest.update(crl.issuer.public_bytes())
    if digest.finalize().hex() != hash_data_["issuerNameHash"].lower():
        return Standing("Unknown", crl.next_update_utc)
    revoked = crl.get_revoked_certificate_by_serial_number(int(hash_data_["serialNumber"], 16))
    return Standing("Revoked" if revoked is not None else "Good", crl.next_update_utc)


def ocsp_answer(der: bytes) -> OcspAnswer:
    try:
        response = ocsp.load_der_ocsp_response(der)
    except ValueError:
        raise ValueError("the responder's answer is not an OCSP response") from None
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return OcspAnswer(der, response.response_status.name, None)
    return OcspAnswer(der, response.certificate_status.name, response.next_update_utc)
