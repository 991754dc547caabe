"""The local runtime's FTP upload target against moto: one file per upload token, refused while
it arrives once over the size limit, and 226 only for a file stored and recorded."""

from __future__ import annotations

import ftplib
import io
from datetime import timedelta

import pytest

from local.runtime.aws import free_port
from local.runtime.files import ftp_server
from shared.aws import files
from shared.data import maintenance
from shared.domain.maintenance import Kind, Origin, UploadToken
from shared.domain.timestamps import utc_now

LIMIT = 1000


@pytest.fixture
def token(aws):
    """A log request of CP1 waiting for its upload, as asking for logs leaves it."""
    issued = UploadToken.new("CP1", maintenance.next_request_id())
    now = utc_now()
    maintenance.open_request(
        "CP1",
        Kind.LOG,
        issued.request_id,
        Origin.OPERATOR,
        {"via": "ftp"},
        now,
        upload_digest=issued.digest,
        upload_until=now + timedelta(hours=1),
    )
    return issued


@pytest.fixture
def ftp_port(aws, settings_env):
    settings_env(CSMS_MAX_UPLOAD_BYTES=str(LIMIT))
    with ftp_server("127.0.0.1", free_port("127.0.0.1")) as port:
        yield port


def login(port, token):
    ftp = ftplib.FTP()
    ftp.connect("127.0.0.1", port, timeout=10)
    ftp.login(token.user, token.secret)
    return ftp


def upload_of(token):
    return maintenance.find_request("CP1", Kind.LOG, token.request_id).upload


def test_a_file_over_the_limit_is_refused_while_it_arrives_and_the_token_stays_open(ftp_port, token):
    ftp = login(ftp_port, token)
    data = ftp.transfercmd("STOR big.log")
    try:
        for _ in range(64):  # 4 MB, far past the limit: the server stops taking it
            data.sendall(b"x" * 65536)
    except OSError:
        pass
    finally:
        data.close()
    with pytest.raises(ftplib.error_perm, match=rf"^552 .*{LIMIT} bytes"):
        ftp.voidresp()
    assert upload_of(token) is None
    assert files.size_of(f"logs/CP1/{token.request_id}/big.log") is None
    # The same login may still send the file within the limit.
    assert ftp.storbinary("STOR small.log", io.BytesIO(b"y" * LIMIT)).startswith("226")
    ftp.quit()
    assert files.read(f"logs/CP1/{token.request_id}/small.log") == b"y" * LIMIT


def test_one_file_per_token_and_the_226_means_it_is_stored(ftp_port, token):
    first, second = login(ftp_port, token), login(ftp_port, token)
    assert first.storbinary("STOR diag.log", io.BytesIO(b"the log")).startswith("226")
    # Stored and recorded by the time the station reads 226.
    assert (upload_of(token).file_name, upload_of(token).size, upload_of(token).via) == ("diag.log", 7, "ftp")
    assert files.read(f"logs/CP1/{token.request_id}/diag.log") == b"the log"
    with pytest.raises(ftplib.error_perm, match=r"^552"):  # a second file in the same login
        first.storbinary("STOR other.log", io.BytesIO(b"another"))
    with pytest.raises(ftplib.error_perm, match=r"^550"):  # or in another login made before
        second.storbinary("STOR other.log", io.BytesIO(b"another"))
    first.quit()
    second.quit()
    assert files.size_of(f"logs/CP1/{token.request_id}/other.log") is None
    assert upload_of(token).file_name == "diag.log"
    with pytest.raises(ftplib.error_perm, match=r"^530"):  # the spent token opens no login
        login(ftp_port, token)
