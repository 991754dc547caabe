"""Diagnostics and logs through the API, the router and the upload endpoint: the location the
charge point gets, its statuses, the file over PUT and multipart POST, and refusals."""

import json
import urllib.parse
from datetime import timedelta

import pytest

import functions.operator_api.models.common as common
from functions.uploads.handler import lambda_handler as uploads
from local.runtime import events
from shared.aws import files
from shared.data.maintenance import MaintenanceRecord
from tests.builders import CONTEXT, call, call_api


def calls_to_station(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2]


def upload(location, body, method="PUT", name=None, content_type="application/octet-stream"):
    path = urllib.parse.urlsplit(location).path + (f"/{name}" if name else "")
    answer = uploads(events.http_request(method, path, "", [("Content-Type", content_type)], body), CONTEXT)
    return answer["statusCode"], json.loads(answer["body"])


def ask(log_type="Diagnostics", **extra):
    status, body = call_api("POST", "/charge-points/CP1/logs", {"type": log_type, **extra})
    assert status == 202, body
    return body


def location_of(sent):
    payload = sent[3]
    return payload.get("location") or payload["log"]["remoteLocation"]


def test_a_diagnostics_file_arrives_over_put_and_is_downloadable(station, posted, version):
    asked = ask(**{"from": "2026-12-01T00:00:00Z"})
    [sent] = calls_to_station(posted)
    if version == "1.6":
        assert sent[2] == "GetDiagnostics" and sent[3]["startTime"] == "2026-12-01T00:00:00.000Z"
        station([3, sent[1], {"fileName": "diag.zip"}])
    else:
        assert sent[2] == "GetLog" and sent[3]["logType"] == "DiagnosticsLog"
        assert sent[3]["requestId"] == asked["requestId"]
        station([3, sent[1], {"status": "Accepted", "filename": "diag.zip"}])
    location = location_of(sent)
    assert location.startswith("https://") and "/uploads/" in location
    with_id = {} if version == "1.6" else {"requestId": asked["requestId"]}
    action = "DiagnosticsStatusNotification" if version == "1.6" else "LogStatusNotification"
    call(station, action, {"status": "Uploading", **with_id}, "u1")
    assert upload(location, b"diagnostics \x00\x01 bytes", name="diag.zip") == (
        201,
        {"fileName": "diag.zip", "size": 20},
    )
    call(station, action, {"status": "Uploaded", **with_id}, "u2")
    status, got = call_api("GET", f"/charge-points/CP1/logs/{asked['requestId']}")
    assert status == 200
    assert (got["outcome"], got["status"], got["answer"]["fileName"]) == ("succeeded", "Uploaded", "diag.zip")
    assert got["upload"]["fileName"] == "diag.zip" and got["upload"]["via"] == "http-put"
    assert "X-Amz-Signature" in got["downloadUrl"]
    key = f"logs/CP1/{asked['requestId']}/diag.zip"
    assert files.read(key) == b"diagnostics \x00\x01 bytes"
    # The token is spent: a second upload is refused and stores nothing.
    assert upload(location, b"again")[0] == 403
    assert files.read(key) == b"diagnostics \x00\x01 bytes"


@pytest.mark.parametrize("version", ["1.6", "2.1"], indirect=True)
def test_a_log_request_whose_call_fails_ends_failed_not_pending(station, posted, version):
    asked = ask()
    [sent] = calls_to_station(posted)
    station([4, sent[1], "NotSupported", "No logs here", {}])
    got = call_api("GET", f"/charge-points/CP1/logs/{asked['requestId']}")[1]
    assert (got["outcome"], got["answer"]["status"]) == ("failed", f"{sent[2]} failed: NotSupported")


def test_a_security_log_arrives_as_a_multipart_form(station, posted, version):
    asked = ask("SecurityLog")
    [sent] = calls_to_station(posted)
    assert sent[2] == "GetLog" and sent[3]["logType"] == "SecurityLog"
    boundary = "XyZ"
    form = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="security.log"\r\n'
        "Content-Type: text/plain\r\n\r\nline 1\nline 2\n\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    status, body = upload(
        location_of(sent), form, "POST", content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert (status, body) == (201, {"fileName": "security.log", "size": 14})
    got = call_api("GET", f"/charge-points/CP1/logs/{asked['requestId']}")[1]
    assert got["upload"]["via"] == "http-post" and got["outcome"] == "succeeded"
    assert files.read(f"logs/CP1/{asked['requestId']}/security.log") == b"line 1\nline 2\n"


def nested_form(levels):
    """A form whose one part is a multipart, whose one part is a multipart, ... `levels` deep."""
    level = (
        '--b{}\r\nContent-Disposition: form-data; name="f"\r\n'
        "Content-Type: multipart/mixed; boundary=b{}\r\n\r\n"
    )
    opening = b"".join(level.format(i, i + 1).encode() for i in range(levels))
    inner = f'--b{levels}\r\nContent-Disposition: form-data; name="f"; filename="x.log"\r\n\r\nhi\r\n'
    closing = b"".join(f"--b{i}--\r\n".encode() for i in reversed(range(levels + 1)))
    return opening + inner.encode() + closing


def form_of(parts, end=True):
    fields = "".join(
        f'--XyZ\r\nContent-Disposition: form-data; name="f{i}"\r\n\r\nv\r\n' for i in range(parts)
    )
    return (fields + ("--XyZ--\r\n" if end else "")).encode()


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_form_nested_too_many_parts_or_unfinished_gets_400_with_why_and_the_token_stays_open(
    station, posted, version
):
    asked = ask()
    [sent] = calls_to_station(posted)
    location = location_of(sent)
    refused = [
        upload(location, nested_form(3000), "POST", content_type="multipart/form-data; boundary=b0"),
        upload(location, form_of(1000), "POST", content_type="multipart/form-data; boundary=XyZ"),
        upload(location, form_of(2, end=False), "POST", content_type="multipart/form-data; boundary=XyZ"),
        upload(location, form_of(2), "POST", content_type="multipart/form-data"),
    ]
    assert [status for status, _ in refused] == [400, 400, 400, 400]
    assert "one level" in refused[0][1]["error"]["message"]
    assert all(body["error"]["message"] for _, body in refused)
    assert call_api("GET", f"/charge-points/CP1/logs/{asked['requestId']}")[1]["upload"] is None
    assert upload(location, form_of(1), "POST", content_type="multipart/form-data; boundary=XyZ")[0] == 201


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_uploads_without_a_good_token_or_too_large_are_refused_and_nothing_is_stored(
    station, posted, version, settings_env
):
    ask()
    [sent] = calls_to_station(posted)
    location = location_of(sent)
    token = urllib.parse.urlsplit(location).path.rsplit("/", 1)[1]
    _, request_id, secret = token.split(".")
    forged = location.replace(secret, "A" * len(secret))
    assert upload(forged, b"x")[0] == 403
    assert upload(location.replace(f".{request_id}.", f".{int(request_id) + 1}."), b"x")[0] == 403
    assert upload(location.rsplit("/", 1)[0] + "/not-a-token", b"x")[0] == 403
    settings_env(CSMS_MAX_UPLOAD_BYTES="10")
    status, body = upload(location, b"x" * 11)
    assert status == 413 and "10" in body["error"]["message"]
    record = MaintenanceRecord.get("CP1", f"log#{int(request_id):010d}")
    record.update(actions=[MaintenanceRecord.upload_until.set(record.upload_until - timedelta(days=2))])
    assert upload(location, b"late")[0] == 403  # expired
    assert call_api("GET", f"/charge-points/CP1/logs/{request_id}")[1]["upload"] is None


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_ftp_locations_need_an_ftp_server(station, posted, version, settings_env):
    status, body = call_api("POST", "/charge-points/CP1/logs", {"type": "Diagnostics", "via": "ftp"})
    assert status == 400 and "FTP" in body["error"]["message"]
    settings_env(CSMS_FTP_URL="ftp://files.example:2121")
    ask(via="ftp")
    [sent] = calls_to_station(posted)
    location = location_of(sent)
    assert location.startswith("ftp://") and location.endswith("@files.example:2121/")


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_the_cloud_ftp_server_lets_a_token_in_and_hands_its_file_to_the_request(
    station, posted, version, settings_env
):
    from functions.ftp_identity.handler import lambda_handler as identity
    from functions.ftp_received.handler import lambda_handler as received

    settings_env(CSMS_FTP_URL="ftp://ftp.csms.internal", CSMS_FTP_ROLE_ARN="arn:aws:iam::1:role/ftp")
    asked = ask(via="ftp")
    [sent] = calls_to_station(posted)
    parts = urllib.parse.urlsplit(location_of(sent))
    user, secret = urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password)
    assert identity({"username": user, "password": "A" * len(secret)}, CONTEXT) == {}
    answer = identity({"username": user, "password": secret, "sourceIp": "10.0.0.9"}, CONTEXT)
    assert answer["Role"] == "arn:aws:iam::1:role/ftp" and answer["HomeDirectoryType"] == "LOGICAL"
    [home] = json.loads(answer["HomeDirectoryDetails"])
    assert home["Entry"] == "/" and home["Target"].startswith(f"/test-files/ftp-incoming/{user}/")
    key = home["Target"].split("/", 2)[2] + "/diag%201.zip"
    files.put(urllib.parse.unquote_plus(key), b"over ftp")
    s3_event = {"Records": [{"s3": {"object": {"key": key.replace("%20", "+")}}}]}
    assert received(s3_event, CONTEXT) == {"taken": 1}
    got = call_api("GET", f"/charge-points/CP1/logs/{asked['requestId']}")[1]
    assert got["upload"] == {**got["upload"], "fileName": "diag_1.zip", "via": "ftp", "size": 8}
    assert files.read(f"logs/CP1/{asked['requestId']}/diag_1.zip") == b"over ftp"
    assert files.size_of(urllib.parse.unquote_plus(key)) is None  # the incoming copy is gone
    files.put(urllib.parse.unquote_plus(key), b"again")
    assert received(s3_event, CONTEXT) == {"taken": 0}  # the token is spent
    assert identity({"username": user, "password": secret}, CONTEXT) == {}


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_cloud_ftp_file_over_the_limit_is_refused_unread_and_removed(
    station, posted, version, settings_env, aws_calls
):
    from functions.ftp_identity.handler import lambda_handler as identity
    from functions.ftp_received.handler import lambda_handler as received

    settings_env(CSMS_FTP_URL="ftp://ftp.csms.internal", CSMS_FTP_ROLE_ARN="arn:aws:iam::1:role/ftp")
    asked = ask(via="ftp")
    [sent] = calls_to_station(posted)
    parts = urllib.parse.urlsplit(location_of(sent))
    user, secret = urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password)
    answer = identity({"username": user, "password": secret}, CONTEXT)
    [home] = json.loads(answer["HomeDirectoryDetails"])
    key = home["Target"].split("/", 2)[2] + "/big.log"
    files.put(key, b"x" * 11)
    settings_env(CSMS_MAX_UPLOAD_BYTES="10")
    aws_calls.reset()
    assert received({"Records": [{"s3": {"object": {"key": key}}}]}, CONTEXT) == {"taken": 0}
    assert aws_calls.by_operation[("s3", "GetObject")] == 0  # its size was enough to refuse it
    assert files.size_of(key) is None
    assert call_api("GET", f"/charge-points/CP1/logs/{asked['requestId']}")[1]["upload"] is None
    # The token still opens an upload within the limit.
    files.put(key.replace("big.log", "small.log"), b"x" * 10)
    small = {"Records": [{"s3": {"object": {"key": key.replace("big.log", "small.log")}}}]}
    assert received(small, CONTEXT) == {"taken": 1}
    assert files.read(f"logs/CP1/{asked['requestId']}/small.log") == b"x" * 10


@pytest.mark.parametrize("version", ["1.6", "2.1"], indirect=True)
def test_every_log_example_in_the_openapi_is_accepted(station, version, settings_env):
    settings_env(CSMS_FTP_URL="ftp://files.example:2121")
    spec = call_api("GET", "/openapi.json")[1]
    body = spec["paths"]["/charge-points/{charge_point_id}/logs"]["post"]["requestBody"]
    examples = body["content"]["application/json"]["examples"].values()
    for example in examples:
        assert call_api("POST", "/charge-points/CP1/logs", example["value"])[0] == 202, example
    assert len(examples) >= 2


def test_a_log_reported_uploaded_with_no_file_is_not_a_success(station, posted, version, monkeypatch):
    asked = ask()
    [sent] = calls_to_station(posted)
    station([3, sent[1], {"fileName": "d.zip"} if version == "1.6" else {"status": "Accepted"}])
    with_id = {} if version == "1.6" else {"requestId": asked["requestId"]}
    action = "DiagnosticsStatusNotification" if version == "1.6" else "LogStatusNotification"
    call(station, action, {"status": "Uploaded", **with_id}, "u1")
    path = f"/charge-points/CP1/logs/{asked['requestId']}"
    got = call_api("GET", path)[1]
    assert (got["outcome"], got["outcomeReason"], got["upload"]) == ("pending", None, None)

    # The upload window closes with no file: failed, and said why.
    closes = common.utc_now() + timedelta(days=2)
    monkeypatch.setattr(common, "utc_now", lambda: closes)
    got = call_api("GET", path)[1]
    assert (got["outcome"], got["outcomeReason"]) == ("failed", "uploadMissing")
    monkeypatch.undo()

    # The file that comes within the window makes it a success.
    assert upload(location_of(sent), b"late bytes", name="d.zip")[0] == 201
    got = call_api("GET", path)[1]
    assert (got["outcome"], got["outcomeReason"], got["upload"]["fileName"]) == ("succeeded", None, "d.zip")
