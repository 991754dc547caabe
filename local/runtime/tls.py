"""TLS for the local runtime's wss:// listener (security profiles 2 and 3).

On first start the runtime makes a CA of its own and a server certificate signed by it, and
keeps both under its data folder (`--data-dir`, default `.csms/`): a charge point that trusts
`ca.pem` connects with wss:// (profile 2). The listener asks for client certificates and
verifies them against that CA and any `--client-ca` given; what it verified goes to the
authorizer as CloudFront's viewer mTLS headers would (profile 3). `python -m local.runtime.tls client
CP-1` issues a client certificate for a charge point by hand.
"""

from __future__ import annotations

import argparse
import ipaddress
import ssl
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DATA_DIR = Path(".csms")
CA_NAME = "CSMS local CA"


@dataclass(frozen=True)
class Issued:
    certificate: Path
    key: Path


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _write(
    path: Path, certificate: x509.Certificate, key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
) -> Issued:
    path.parent.mkdir(parents=True, exist_ok=True)
    key_path = path.with_suffix(".key")
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    key_path.chmod(0o600)
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return Issued(path, key_path)


def make_csr(common_name: str, key: Any = None) -> tuple[str, Any]:
    """A PEM CSR naming a station, as one sends it with SignCertificate, signed by `key` (a new
    EC P-256 key unless given); and the key."""
    key = key or _key()
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    request = x509.CertificateSigningRequestBuilder().subject_name(subject).sign(key, hashes.SHA256())
    return request.public_bytes(serialization.Encoding.PEM).decode(), key


def local_ca(data_dir: Path = DATA_DIR) -> Issued:
    """The runtime's CA, made on first use and kept."""
    issued = Issued(data_dir / "ca.pem", data_dir / "ca.key")
    if issued.certificate.exists() and issued.key.exists():
        return issued
    from shared.domain.x509 import new_authority  # the CSMS's own kind of CA

    ca = new_authority(CA_NAME, datetime.now(UTC))
    return _write(issued.certificate, ca.certificate, ca.key)


def _issue(
    ca: Issued, subject: x509.Name, days: int, extensions: list[tuple[x509.ExtensionType, bool]], path: Path
) -> Issued:
    ca_certificate = x509.load_pem_x509_certificate(ca.certificate.read_bytes())
    ca_key = serialization.load_pem_private_key(ca.key.read_bytes(), None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)
    key = _key()
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return _write(path, builder.sign(ca_key, hashes.SHA256()), key)


def server_certificate(hosts: list[str], data_dir: Path = DATA_DIR) -> Issued:
    """The wss:// listener's certificate, for these names and addresses (made again if the list
    changed)."""
    path = data_dir / "server.pem"
    names = sorted({*hosts, "localhost", "127.0.0.1"})
    marker = data_dir / "server.names"
    if path.exists() and marker.exists() and marker.read_text() == ",".join(names):
        return Issued(path, path.with_suffix(".key"))
    alternative: list[x509.GeneralName] = []
    for name in names:
        try:
            alternative.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alternative.append(x509.DNSName(name))
    issued = _issue(
        local_ca(data_dir),
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]),
        825,
        [
            (x509.SubjectAlternativeName(alternative), False),
            (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        ],
        path,
    )
    marker.write_text(",".join(names))
    return issued


def client_certificate(charge_point_id: str, data_dir: Path = DATA_DIR, days: int = 365) -> Issued:
    """A charge point certificate from the local CA: CN = its identity (the rule of
    shared.domain.client_certificates), as SignCertificate would issue it."""
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CSMS local"),
            x509.NameAttribute(NameOID.COMMON_NAME, charge_point_id),
        ]
    )
    usage = [(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False)]
    return _issue(local_ca(data_dir), subject, days, usage, data_dir / "clients" / f"{charge_point_id}.pem")


def server_context(certificate: Issued, trusted: list[Path]) -> ssl.SSLContext:
    """Asks every client for a certificate, and verifies one that comes against `trusted`; a
    client with none goes on (profiles 1 and 2), and the authorizer decides."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate.certificate, certificate.key)
    context.verify_mode = ssl.CERT_OPTIONAL
    for path in trusted:
        context.load_verify_locations(cafile=str(path))
    return context


def viewer_headers(peer_der: bytes | None, over_tls: bool) -> dict[str, str]:
    """What CloudFront tells the origin of a viewer's TLS: the scheme, and the certificate it
    verified (RFC 4514 subject, validity, serial number as colon-separated hex, and the leaf as
    URL-encoded PEM)."""
    headers = {"CloudFront-Forwarded-Proto": "https" if over_tls else "http"}
    if not over_tls:
        return headers
    if peer_der is None:
        return headers | {"CloudFront-Viewer-Cert-Present": "0"}
    certificate = x509.load_der_x509_certificate(peer_der)

    def stamp(at: datetime) -> str:
        return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    return headers | {
        "CloudFront-Viewer-Cert-Present": "1",
        "CloudFront-Viewer-Cert-Subject": certificate.subject.rfc4514_string(),
        "CloudFront-Viewer-Cert-Issuer": certificate.issuer.rfc4514_string(),
        "CloudFront-Viewer-Cert-Serial-Number": ":".join(
            f"{byte:02x}" for byte in certificate.serial_number.to_bytes(20, "big").lstrip(b"\0")
        ),
        "CloudFront-Viewer-Cert-Validity": f"NotBefore={stamp(certificate.not_valid_before_utc)};"
        f"NotAfter={stamp(certificate.not_valid_after_utc)}",
        "CloudFront-Viewer-Cert-Pem": quote(certificate.public_bytes(serialization.Encoding.PEM).decode()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.runtime.tls", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    commands = parser.add_subparsers(dest="command", required=True)
    client = commands.add_parser("client", help="issue a client certificate for a charge point")
    client.add_argument("charge_point_id")
    args = parser.parse_args(argv)
    issued = client_certificate(args.charge_point_id, args.data_dir)
    print(
        f"certificate {issued.certificate}\nkey         {issued.key}\nCA          {args.data_dir / 'ca.pem'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
