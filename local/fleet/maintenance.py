"""What a simulated station does when the CSMS asks it for maintenance: download a firmware
image over HTTP(S) and check it, install it and reboot with the new version; or make a log file
and upload it to the location it was given, by HTTP PUT, a multipart POST or FTP.

A simulated image checks itself: a header names its version, and its last 32 bytes are the
SHA-256 of the rest, so a truncated or altered download is caught as a real station would.
"""

from __future__ import annotations

import ftplib
import hashlib
import io
import random
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass

HEADER = b"FLEET-FIRMWARE "
TIMEOUT_S = 30


def firmware_image(version: str, size: int = 64 * 1024) -> bytes:
    body = HEADER + version.encode() + b"\n" + random.Random(version).randbytes(max(0, size - 64))
    return body + hashlib.sha256(body).digest()


def image_version(data: bytes) -> str | None:
    """The version an intact image carries; None for anything else."""
    body, digest = data[:-32], data[-32:]
    if not body.startswith(HEADER) or hashlib.sha256(body).digest() != digest:
        return None
    return body[len(HEADER) :].split(b"\n", 1)[0].decode()


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_S) as answer:
        return bytes(answer.read())


def log_file(station_id: str, kind: str, lines: int = 200) -> bytes:
    text = "".join(f"{station_id} {kind} line {n}: all well\n" for n in range(lines))
    return text.encode()


@dataclass(frozen=True)
class Failures:
    """Which maintenance a station fails on purpose, drawn from the run's seed."""

    firmware_chance: float = 0.0
    upload_chance: float = 0.0

    def firmware(self, seed: int, stream: str, attempt: int) -> str | None:
        """None, "download" or "install"."""
        rng = random.Random(f"{seed}/{stream}/firmware/{attempt}")
        if rng.random() >= self.firmware_chance:
            return None
        return rng.choice(("download", "install"))

    def upload(self, seed: int, stream: str, attempt: int) -> bool:
        return random.Random(f"{seed}/{stream}/upload/{attempt}").random() < self.upload_chance


def upload(location: str, name: str, body: bytes, way: str) -> None:
    """To an HTTP(S) location (PUT to location/name, or a multipart POST) or an FTP one."""
    parts = urllib.parse.urlsplit(location)
    if parts.scheme == "ftp":
        with ftplib.FTP() as ftp:
            ftp.connect(parts.hostname or "", parts.port or 21, timeout=TIMEOUT_S)
            ftp.login(urllib.parse.unquote(parts.username or ""), urllib.parse.unquote(parts.password or ""))
            ftp.storbinary(f"STOR {name}", io.BytesIO(body))
        return
    if way == "post":
        boundary = uuid.uuid4().hex
        form = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + body
            + f"\r\n--{boundary}--\r\n".encode()
        )
        request = urllib.request.Request(
            location,
            data=form,
            method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
    else:
        request = urllib.request.Request(
            f"{location.rstrip('/')}/{name}",
            data=body,
            method="PUT",
            headers={"Content-Type": "application/octet-stream"},
        )
    with urllib.request.urlopen(request, timeout=TIMEOUT_S) as answer:
        answer.read()
