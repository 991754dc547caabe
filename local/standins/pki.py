"""Stand-ins for the services Plug & Charge asks outside the CSMS, to try it and test it
without a V2G PKI: an OCSP responder for one CA's certificates, and a contract-certificate
provider shaped like Hubject's contract certificate pool.

    python -m local.standins.pki --ca .csms/ca.pem --ca-key .csms/ca.key --port 8090

serves POST /ocsp (RFC 6960 over HTTP), GET /crl and POST /contract (certificateInstallationReq in,
CCPResponse out, bearer token `local-provider-token`). Point a station's responderURL at
the first, and the CSMS at the second (CSMS_CONTRACT_PROVIDER_URL, and the secret
csms/contract-certificate-provider as {"token": "local-provider-token"}).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp

PROVIDER_TOKEN = "local-provider-token"
# How long a "good" answer holds (its nextUpdate).
VALIDITY = timedelta(hours=1)


@dataclass
class Responder:
    """Answers for certificates the CA issued: good, unless their serial is revoked."""

    ca: x509.Certificate
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    revoked: set[int] = field(default_factory=set)
    asked: int = 0  # OCSP requests and CRLs answered (to see what a cache saves)
    contracts: int = 0
    # Seconds to wait before answering, to stand for a slow service.
    delay_s: float = 0.0

    def answer(self, der: bytes) -> bytes:
        self.asked += 1
        try:
            request = ocsp.load_der_ocsp_request(der)
        except ValueError:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            ).public_bytes(serialization.Encoding.DER)
        now = datetime.now(UTC).replace(microsecond=0)
        ours = request.issuer_key_hash == _key_hash(self.ca, request.hash_algorithm)
        if not ours:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            ).public_bytes(serialization.Encoding.DER)
        revoked = request.serial_number in self.revoked
        builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
            request.issuer_name_hash,
            request.issuer_key_hash,
            request.serial_number,
            request.hash_algorithm,
            ocsp.OCSPCertStatus.REVOKED if revoked else ocsp.OCSPCertStatus.GOOD,
            now,
            now + VALIDITY,
            now if revoked else None,
            None,
        )
        signed = builder.responder_id(ocsp.OCSPResponderEncoding.HASH, self.ca)
        return signed.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def crl(self) -> bytes:
        """The CA's CRL (DER), listing the revoked serials."""
        self.asked += 1
        now = datetime.now(UTC).replace(microsecond=0)
        builder = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(self.ca.subject)
            .last_update(now)
            .next_update(now + VALIDITY)
        )
        for serial in sorted(self.revoked):
            entry = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(now).build()
            builder = builder.add_revoked_certificate(entry)
        return builder.sign(self.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    def contract(self, body: dict[str, Any]) -> dict[str, Any]:
        """A CertificateInstallationRes of our own making: the request's digest stands for
        the signed contract data a real pool would hold for the EV."""
        self.contracts += 1
        request = base64.b64decode(body["certificateInstallationReq"], validate=True)
        made = b"CertificateInstallationRes:" + hashlib.sha256(request).digest()
        return {
            "CCPResponse": {
                "emaidContent": [
                    {"messageDef": {"certificateInstallationRes": base64.b64encode(made).decode()}}
                ]
            }
        }


def _key_hash(certificate: x509.Certificate, algorithm: hashes.HashAlgorithm) -> bytes:
    built = ocsp.OCSPRequestBuilder().add_certificate(certificate, certificate, algorithm).build()
    return built.issuer_key_hash


def _handler(responder: Responder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/crl":
                self._send(200, "application/pkix-crl", responder.crl())
            else:
                self._send(404, "text/plain", b"not found")

        def do_POST(self) -> None:
            import time

            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            time.sleep(responder.delay_s)
            if self.path == "/ocsp":
                self._send(200, "application/ocsp-response", responder.answer(body))
            elif self.path == "/contract":
                if self.headers.get("Authorization") != f"Bearer {PROVIDER_TOKEN}":
                    self._send(401, "application/json", b'{"message":"unauthorized"}')
                    return
                try:
                    answer = responder.contract(json.loads(body))
                except (ValueError, KeyError, TypeError):
                    self._send(400, "application/json", b'{"message":"bad request"}')
                    return
                self._send(200, "application/json", json.dumps(answer).encode())
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, status: int, content_type: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def serving(responder: Responder, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """The services on a thread; yields their base URL."""
    server = ThreadingHTTPServer((host, port), _handler(responder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def load_responder(ca: Path, key: Path) -> Responder:
    private = serialization.load_pem_private_key(key.read_bytes(), password=None)
    assert isinstance(private, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    return Responder(x509.load_pem_x509_certificate(ca.read_bytes()), private)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m local.standins.pki", description=__doc__.splitlines()[0])
    parser.add_argument("--ca", type=Path, default=Path(".csms/ca.pem"))
    parser.add_argument("--ca-key", type=Path, default=Path(".csms/ca.key"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args(argv)
    with serving(load_responder(args.ca, args.ca_key), args.host, args.port) as url:
        print(f"OCSP responder {url}/ocsp, contract provider {url}/contract (token {PROVIDER_TOKEN})")
        threading.Event().wait()


if __name__ == "__main__":
    main()
