"""Fetching a URL that someone outside the operator named (an OCSP responder or CRL a station's
message gives): only http(s), only public addresses, checked after resolution, with the
connection made to the very address checked (a second DNS answer cannot point it elsewhere); no
redirects; a short timeout and a size cap. The CSMS is no way into the network it runs in.

`private_allowed` lets loopback and private addresses through, for the local runtime whose
stand-ins (a responder, a provider) listen on this machine; never in the cloud by default."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urlsplit


class Refused(RuntimeError):
    """Why the URL was not fetched, for the log: a station is told only that it failed."""


def fetch(
    url: str,
    body: bytes | None,
    headers: dict[str, str],
    timeout_s: float,
    max_bytes: int,
    private_allowed: bool = False,
) -> bytes:
    """POST `body`, or GET without one; the answer's bytes (2xx only)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused(f"{url[:200]!r} is not an http(s) URL")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("its port is not a number") from None
    address = _public_address(parts.hostname, port, private_allowed)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedTLS(parts.hostname, address, port, timeout_s)
    else:
        connection = _Pinned(parts.hostname, address, port, timeout_s)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET" if body is None else "POST", path, body=body, headers=headers)
        answer = connection.getresponse()
        if 300 <= answer.status < 400:
            raise Refused(f"it redirects (HTTP {answer.status}), which is not followed")
        if not 200 <= answer.status < 300:
            raise Refused(f"HTTP {answer.status}")
        found = answer.read(max_bytes + 1)
    except (OSError, http.client.HTTPException) as error:
        raise Refused(f"unreachable ({error})") from None
    finally:
        connection.close()
    if len(found) > max_bytes:
        raise Refused("its answer is too large")
    return found


def _public_address(host: str, port: int, private_allowed: bool) -> str:
    """The first address the name resolves to, if every one is public (a name that also
    resolves to a private one is refused: which one a client picks is not ours to know)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(f"its name does not resolve ({error})") from None
    addresses = [str(info[4][0]) for info in found]
    if not private_allowed:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not ip.is_global or ip.is_multicast:
                raise Refused(f"{host} is not a public address ({address})")
    return addresses[0]


class _Pinned(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout_s: float) -> None:
        super().__init__(host, port, timeout=timeout_s)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedTLS(http.client.HTTPSConnection):
    def __init__(self, host: str, address: str, port: int, timeout_s: float) -> None:
        super().__init__(host, port, timeout=timeout_s, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        plain = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(plain, server_hostname=self.host)  # type: ignore[attr-defined]
