"""CSRs checked, certificates issued and named by hash, OCSP requests and CRLs read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from local.runtime.tls import make_csr
from shared.domain.certificates import CertificateUse, CsrRejected
from shared.domain.client_certificates import IdentityAttribute
from shared.domain.x509 import (
    Authority,
    authority_from_pem,
    authority_to_pem,
    chain_pem,
    check_csr,
    client_certificate,
    crl_standing,
    hash_data,
    issue,
    load,
    new_authority,
    ocsp_request,
    pem_of,
)

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)
CN = IdentityAttribute.COMMON_NAME
STATION = CertificateUse.CHARGING_STATION


def csr_with(names: list[x509.NameAttribute], key=None) -> str:
    key = key or ec.generate_private_key(ec.SECP256R1())
    built = x509.CertificateSigningRequestBuilder().subject_name(x509.Name(names)).sign(key, hashes.SHA256())
    return built.public_bytes(serialization.Encoding.PEM).decode()


def test_a_csr_naming_the_station_with_a_strong_key_passes():
    request = check_csr(make_csr("CP-1")[0], STATION, "CP-1", CN)
    assert (request.subject, request.key) == ("CN=CP-1", "EC secp256r1")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert check_csr(make_csr("CP-1", rsa_key)[0], STATION, "CP-1", CN).key == "RSA 2048"


def test_the_identity_may_be_the_serial_number_attribute():
    pem = csr_with(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "Acme AC-22"),
            x509.NameAttribute(NameOID.SERIAL_NUMBER, "CP-1"),
        ]
    )
    assert check_csr(pem, STATION, "CP-1", IdentityAttribute.SERIAL_NUMBER).subject.startswith(
        "serialNumber=CP-1"
    )
    with pytest.raises(CsrRejected, match="CN must be"):
        check_csr(pem, STATION, "CP-1", CN)


@pytest.mark.parametrize(
    "pem, why",
    [
        (lambda: make_csr("CP-2")[0], "must be the charge point's id 'CP-1'"),
        (lambda: csr_with([x509.NameAttribute(NameOID.COMMON_NAME, "CP-1")] * 2), "must be"),
        (lambda: csr_with([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Acme")]), "absent"),
        (
            lambda: make_csr("CP-1", rsa.generate_private_key(public_exponent=65537, key_size=1024))[0],
            "1024 bits",
        ),
        (lambda: make_csr("CP-1", ec.generate_private_key(ec.SECP224R1()))[0], "224 bits"),
        (lambda: "not a CSR", "not a PEM-encoded"),
    ],
)
def test_a_csr_that_names_another_or_has_a_weak_key_is_rejected(pem, why):
    with pytest.raises(CsrRejected, match=why):
        check_csr(pem(), STATION, "CP-1", CN)


def test_a_csr_whose_signature_does_not_verify_is_rejected():
    import base64

    der = bytearray(
        x509.load_pem_x509_csr(make_csr("CP-1")[0].encode()).public_bytes(serialization.Encoding.DER)
    )
    der[-1] ^= 1
    pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + base64.encodebytes(bytes(der)).decode()
    pem += "-----END CERTIFICATE REQUEST-----\n"
    with pytest.raises(CsrRejected, match="signature"):
        check_csr(pem, STATION, "CP-1", CN)


def test_a_v2g_csr_names_its_secc_and_needs_an_ec_key():
    assert check_csr(make_csr("SECC-7")[0], CertificateUse.V2G, "CP-1", CN).subject == "CN=SECC-7"
    with pytest.raises(CsrRejected, match="RSA key is not accepted"):
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
        check_csr(make_csr("SECC-7", rsa_key)[0], CertificateUse.V2G, "CP-1", CN)
    with pytest.raises(CsrRejected, match="needs a CN"):
        check_csr(
            csr_with([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "A")]), CertificateUse.V2G, "CP-1", CN
        )


def test_the_digest_names_a_request_by_its_csr():
    pem = make_csr("CP-1")[0]
    assert check_csr(pem, STATION, "CP-1", CN).digest == check_csr(pem + "\n", STATION, "CP-1", CN).digest
    assert (
        check_csr(make_csr("CP-1")[0], STATION, "CP-1", CN).digest
        != check_csr(pem, STATION, "CP-1", CN).digest
    )


def test_an_issued_certificate_is_the_csrs_subject_and_key_signed_by_the_ca():
    ca = new_authority("CSMS CA", NOW)
    pem, key = make_csr("CP-1")
    leaf = issue(check_csr(pem, STATION, "CP-1", CN), ca, NOW, 365)
    leaf.verify_directly_issued_by(ca.certificate)
    assert leaf.subject.rfc4514_string() == "CN=CP-1" and leaf.public_key() == key.public_key()
    assert leaf.not_valid_before_utc < NOW and leaf.not_valid_after_utc == NOW + timedelta(days=365)
    assert not leaf.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = leaf.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_agreement and not usage.key_cert_sign
    assert list(leaf.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == [
        ExtendedKeyUsageOID.CLIENT_AUTH
    ]
    # Never beyond the CA's own end.
    assert issue(check_csr(pem, STATION, "CP-1", CN), ca, NOW, 99_999).not_valid_after_utc == (
        ca.certificate.not_valid_after_utc
    )


def test_a_station_certificate_is_for_client_authentication_and_a_v2g_one_is_not():
    ca = new_authority("CSMS CA", NOW)
    station = issue(check_csr(make_csr("CP-1")[0], STATION, "CP-1", CN), ca, NOW, 365)
    v2g_use = CertificateUse.V2G
    # A V2G CSR may name any SECC, another station's id too: what it gets is no client certificate.
    v2g = issue(check_csr(make_csr("CP-2")[0], v2g_use, "CP-1", CN), ca, NOW, 365)
    as_station, as_v2g = client_certificate(pem_of(station)), client_certificate(pem_of(v2g))
    assert as_station is not None and as_v2g is not None
    assert (as_station.identity(CN), as_station.for_client_auth) == ("CP-1", True)
    assert as_station.serial == format(station.serial_number, "x")
    assert as_station.not_after == station.not_valid_after_utc
    assert (as_v2g.identity(CN), as_v2g.for_client_auth) == ("CP-2", False)
    assert client_certificate("not a certificate") is None


def test_a_sub_ca_sends_its_chain_with_the_leaf_but_not_the_root():
    root = new_authority("Root", NOW)
    sub_key = ec.generate_private_key(ec.SECP256R1())
    sub_certificate = (  # a CA certificate the root signed, as an operator's PKI would give
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sub CA")]))
        .issuer_name(root.certificate.subject)
        .public_key(sub_key.public_key())
        .serial_number(7)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=900))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(sub_key.public_key()), critical=False)
        .sign(root.key, hashes.SHA256())
    )
    sub = Authority(sub_certificate, sub_key, (root.certificate,))
    leaf = issue(check_csr(make_csr("CP-1")[0], STATION, "CP-1", CN), sub, NOW, 30)
    chain = x509.load_pem_x509_certificates(chain_pem(leaf, sub).encode())
    assert [c.subject.rfc4514_string() for c in chain] == ["CN=CP-1", "CN=Sub CA"]
    assert sub.root == root.certificate
    kept = authority_from_pem(authority_to_pem(sub))
    assert (kept.certificate, kept.chain) == (sub.certificate, sub.chain)


@pytest.mark.parametrize("algorithm, size", [("SHA256", 64), ("SHA384", 96), ("SHA512", 128)])
def test_hash_data_is_the_ocsp_cert_id_and_builds_the_same_request(algorithm, size):
    ca = new_authority("CA", NOW)
    leaf = issue(check_csr(make_csr("CP-1")[0], STATION, "CP-1", CN), ca, NOW, 30)
    named = hash_data(leaf, ca.certificate, algorithm)
    assert len(named["issuerNameHash"]) == len(named["issuerKeyHash"]) == size
    assert named["serialNumber"] == format(leaf.serial_number, "x")
    request = ocsp.load_der_ocsp_request(ocsp_request(named))
    assert request.serial_number == leaf.serial_number
    assert request.issuer_key_hash.hex() == named["issuerKeyHash"]
    assert load(chain_pem(leaf, ca)) == leaf
    with pytest.raises(ValueError, match="MD5"):
        ocsp_request({**named, "hashAlgorithm": "MD5"})


def test_a_crl_says_good_revoked_or_that_it_is_anothers():
    ca, other = new_authority("CA", NOW), new_authority("Other", NOW)
    leaf = issue(check_csr(make_csr("CP-1")[0], STATION, "CP-1", CN), ca, NOW, 30)

    def crl(issuer: Authority, revoked: list[int], encoding=serialization.Encoding.DER) -> bytes:
        builder = x509.CertificateRevocationListBuilder().issuer_name(issuer.certificate.subject)
        builder = builder.last_update(NOW).next_update(NOW + timedelta(hours=1))
        for serial in revoked:
            builder = builder.add_revoked_certificate(
                x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(NOW).build()
            )
        return builder.sign(issuer.key, hashes.SHA256()).public_bytes(encoding)

    named = hash_data(leaf, ca.certificate)
    assert crl_standing(crl(ca, []), named).status == "Good"
    assert crl_standing(crl(ca, [leaf.serial_number], serialization.Encoding.PEM), named).status == "Revoked"
    assert crl_standing(crl(other, [leaf.serial_number]), named).status == "Unknown"
    assert crl_standing(crl(ca, []), named).next_update == NOW + timedelta(hours=1)
    with pytest.raises(ValueError, match="not a CRL"):
        crl_standing(b"nonsense", named)
