"""Firmware through the API and the router: the catalogue, an update of each version from the
request to Installed and the version the next boot reports, refusals, and rollouts in waves."""

import json
import urllib.parse
from datetime import timedelta

import pytest

from functions.connect.handler import lambda_handler as connect
from functions.firmware_rollouts.handler import lambda_handler as advance_rollouts
from functions.ocpp_router.handler import lambda_handler as route
from local.runtime import events
from shared.aws import files
from shared.data import charge_points
from shared.domain.timestamps import format_timestamp, utc_now
from shared.domain.x509 import new_authority, pem_of
from tests.builders import CONTEXT, boot, call, call_api, socket

SIGNING_CERTIFICATE = pem_of(new_authority("Acme Firmware Signing", utc_now()).certificate)


def register_image(model="Volt", **extra):
    status, image = call_api(
        "POST", "/firmware", {"vendor": "Acme", "model": model, "version": "2.0", **extra}
    )
    assert status == 201, image
    return image


def upload_image(image, body=b"\x7fELF firmware"):
    key = urllib.parse.urlsplit(image["uploadUrl"]).path.split("/", 2)[2]  # /{bucket}/{key}
    files.put(key, body)


def calls_to_station(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2]


def test_the_catalogue_registers_lists_and_removes_images(aws):
    image = register_image()
    assert image["uploadUrl"].startswith("https://") and "X-Amz-Signature" in image["uploadUrl"]
    assert not image["uploaded"]
    upload_image(image)
    status, got = call_api("GET", f"/firmware/{image['firmwareId']}")
    assert status == 200 and got["uploaded"] and got["size"] == len(b"\x7fELF firmware")
    external = register_image(location="https://fw.example/volt.bin", version="2.1")
    assert external["uploadUrl"] is None and external["uploaded"]
    status, page = call_api("GET", "/firmware")
    assert [i["firmwareId"] for i in page["items"]] == [external["firmwareId"], image["firmwareId"]]
    assert call_api("DELETE", f"/firmware/{image['firmwareId']}")[0] == 204
    assert call_api("GET", f"/firmware/{image['firmwareId']}")[0] == 404
    assert (
        call_api("POST", "/firmware", {"vendor": "A", "model": "B", "version": "1", "signature": "x"})[0]
        == 400
    )


def test_an_update_goes_from_the_catalogue_to_installed_and_the_new_version(station, posted, version):
    call(station, "BootNotification", boot(version), "b0")
    image = register_image()
    upload_image(image)
    retrieve_at = utc_now() + timedelta(minutes=5)
    status, update = call_api(
        "POST",
        "/charge-points/CP1/firmware-updates",
        {
            "firmwareId": image["firmwareId"],
            "retrieveAt": format_timestamp(retrieve_at),
            "retries": 2,
            "retryInterval": 600,
        },
    )
    assert status == 202, update
    [sent] = calls_to_station(posted)
    action, payload = sent[2], sent[3]
    request_id = update["requestId"]
    if version == "1.6":
        assert action == "UpdateFirmware" and "requestId" not in payload
        location = payload["location"]
    else:
        assert action == "UpdateFirmware" and payload["requestId"] == request_id
        location = payload["firmware"]["location"]
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)
    lifetime = int(query["X-Amz-Expires"][0])
    assert 300 + 2 * 600 + 3600 - 5 <= lifetime <= 300 + 2 * 600 + 3600  # retrieveAt, retries, margin
    station([3, sent[1], {} if version == "1.6" else {"status": "Accepted"}])
    with_id = {} if version == "1.6" else {"requestId": request_id}
    for number, status_name in enumerate(["Downloading", "Downloaded", "Installing", "Installed"]):
        call(station, "FirmwareStatusNotification", {"status": status_name, **with_id}, f"f{number}")
    upgraded = boot(version)
    if version == "1.6":
        upgraded["firmwareVersion"] = "2.0"
    else:
        upgraded["chargingStation"]["firmwareVersion"] = "2.0"
    call(station, "BootNotification", upgraded, "b1")
    status, got = call_api("GET", f"/charge-points/CP1/firmware-updates/{request_id}")
    assert status == 200
    assert [s["status"] for s in got["statuses"]] == ["Downloading", "Downloaded", "Installing", "Installed"]
    assert (got["outcome"], got["firmwareVersionAfter"], got["answer"]["status"]) == (
        "succeeded",
        "2.0",
        "Accepted",
    )
    assert got["details"]["firmwareVersionBefore"] == "1.0"
    status, page = call_api("GET", "/charge-points/CP1/firmware-updates")
    assert [u["requestId"] for u in page["items"]] == [request_id]


def test_an_update_whose_call_fails_ends_failed_not_pending(station, posted, version):
    body = {"location": "https://images.example.com/fw-2.0.bin"}
    status, update = call_api("POST", "/charge-points/CP1/firmware-updates", body)
    assert status == 202, update
    sent = calls_to_station(posted)[-1]
    station([4, sent[1], "InternalError", "Flash busy", {}])
    got = call_api("GET", f"/charge-points/CP1/firmware-updates/{update['requestId']}")[1]
    assert (got["outcome"], got["answer"]["status"]) == ("failed", f"{sent[2]} failed: InternalError")


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_signed_image_goes_to_1_6_as_signed_update_firmware(station, posted, version):
    call(station, "BootNotification", boot(version), "b0")
    image = register_image(signingCertificate=SIGNING_CERTIFICATE, signature="c2ln")
    upload_image(image)
    status, update = call_api(
        "POST", "/charge-points/CP1/firmware-updates", {"firmwareId": image["firmwareId"]}
    )
    assert status == 202
    [sent] = calls_to_station(posted)
    assert sent[2] == "SignedUpdateFirmware" and sent[3]["requestId"] == update["requestId"]
    assert sent[3]["firmware"]["signature"] == "c2ln"
    station([3, sent[1], {"status": "InvalidCertificate"}])
    status, got = call_api("GET", f"/charge-points/CP1/firmware-updates/{update['requestId']}")
    assert got["outcome"] == "failed" and got["answer"]["status"] == "InvalidCertificate"


def test_updates_that_cannot_go_are_refused_with_a_reason(station, posted, version):
    call(station, "BootNotification", boot(version), "b0")
    other = register_image(model="Other")
    upload_image(other)
    status, body = call_api(
        "POST", "/charge-points/CP1/firmware-updates", {"firmwareId": other["firmwareId"]}
    )
    assert status == 409 and "force" in body["error"]["message"]
    not_uploaded = register_image()
    status, body = call_api(
        "POST", "/charge-points/CP1/firmware-updates", {"firmwareId": not_uploaded["firmwareId"]}
    )
    assert status == 409 and "no file" in body["error"]["message"]
    assert call_api("POST", "/charge-points/CP1/firmware-updates", {"firmwareId": "nope"})[0] == 404
    assert call_api("POST", "/charge-points/CP1/firmware-updates", {})[0] == 400
    far = format_timestamp(utc_now() + timedelta(days=8))
    upload_image(not_uploaded)
    body = {"firmwareId": not_uploaded["firmwareId"], "retrieveAt": far}
    assert call_api("POST", "/charge-points/CP1/firmware-updates", body)[0] == 400
    assert calls_to_station(posted) == []
    status, body = call_api(
        "POST", "/charge-points/CP1/firmware-updates", {"firmwareId": other["firmwareId"], "force": True}
    )
    assert status == 202
    status, body = call_api(
        "POST", "/charge-points/CP1/firmware-updates", {"location": "https://fw.example/x.bin"}
    )
    assert status == 202 and body["details"]["location"] == "https://fw.example/x.bin"


@pytest.mark.parametrize("path", ["/charge-points/CP1/firmware-updates", "/firmware-rollouts"])
def test_an_empty_firmware_id_is_a_400_naming_it(aws, path):
    charge_points.register_charge_point("CP1", utc_now())
    status, body = call_api("POST", path, {"firmwareId": ""})
    assert status == 400 and "firmwareId" in body["error"]["message"]


def connected_station(charge_point_id, version="2.0.1"):
    """A registered charge point that connected and booted as an Acme Volt 1.0: a function that
    sends it a frame."""
    charge_points.register_charge_point(charge_point_id, utc_now())
    sock = socket(f"c-{charge_point_id}", charge_point_id, version)
    connect(events.connect(sock, [], []), CONTEXT)

    def send(frame):
        route(events.message(sock, json.dumps(frame)), CONTEXT)

    send([2, "b", "BootNotification", boot(version)])
    return send


def booted_with(firmware_version, version="2.0.1"):
    payload = boot(version)
    if version == "1.6":
        payload["firmwareVersion"] = firmware_version
    else:
        payload["chargingStation"]["firmwareVersion"] = firmware_version
    return payload


def test_the_schedule_advances_rollouts_and_pauses_them_on_failures(aws, posted):
    """Three charge points, waves of one; the first fails: the rollout pauses itself."""
    stations = {cp: connected_station(cp) for cp in ("R1", "R2", "R3")}
    image = register_image()
    upload_image(image)
    body = {"firmwareId": image["firmwareId"], "waveSize": 1, "maxFailureRate": 0.4}
    status, rollout = call_api("POST", "/firmware-rollouts", body)
    assert status == 201, rollout
    assert rollout["counts"] == {"sent": 1, "waiting": 2} and rollout["wavesSent"] == 1
    first = next(m for m in rollout["members"] if m["outcome"] == "sent")
    advance_rollouts({}, CONTEXT)  # the first wave has not finished: no second one
    assert call_api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]["wavesSent"] == 1
    report = {"status": "DownloadFailed", "requestId": first["requestId"]}
    stations[first["chargePointId"]]([2, "f", "FirmwareStatusNotification", report])
    advance_rollouts({}, CONTEXT)
    status, rollout = call_api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")
    assert rollout["state"] == "paused" and "100%" in rollout["reason"]
    assert rollout["counts"] == {"failed": 1, "waiting": 2}
    advance_rollouts({}, CONTEXT)  # paused: nothing more goes
    assert call_api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]["wavesSent"] == 1
    status, rollout = call_api("POST", f"/firmware-rollouts/{rollout['rolloutId']}/resume")
    assert rollout["state"] == "paused"  # resumed, it pauses again: the rate is still over
    status, rollout = call_api("POST", f"/firmware-rollouts/{rollout['rolloutId']}/cancel")
    assert rollout["state"] == "cancelled"
    assert call_api("POST", f"/firmware-rollouts/{rollout['rolloutId']}/resume")[0] == 409


def test_a_rollout_completes_when_every_wave_succeeded(aws, posted):
    stations = {cp: connected_station(cp) for cp in ("S1", "S2")}
    charge_points.register_charge_point("OFF", utc_now())  # never connected: skipped, not failed
    image = register_image()
    upload_image(image)
    body = {"firmwareId": image["firmwareId"], "chargePoints": ["S1", "OFF", "S2"], "waveSize": 1}
    rollout_id = call_api("POST", "/firmware-rollouts", body)[1]["rolloutId"]
    for _ in range(3):
        rollout = call_api("GET", f"/firmware-rollouts/{rollout_id}")[1]
        for member in rollout["members"]:
            if member["outcome"] == "sent":
                report = {"status": "Installed", "requestId": member["requestId"]}
                stations[member["chargePointId"]]([2, "f", "FirmwareStatusNotification", report])
                stations[member["chargePointId"]]([2, "b2", "BootNotification", booted_with("2.0")])
        advance_rollouts({}, CONTEXT)
    rollout = call_api("GET", f"/firmware-rollouts/{rollout_id}")[1]
    assert rollout["state"] == "completed" and rollout["counts"] == {"succeeded": 2, "skipped": 1}
    off = next(m for m in rollout["members"] if m["chargePointId"] == "OFF")
    assert "not connected" in off["error"]
    assert call_api("POST", "/firmware-rollouts", {**body, "chargePoints": ["NOPE"]})[0] == 400


def test_rollouts_are_listed_newest_first_a_page_at_a_time_and_by_state(aws, posted):
    for cp in ("L1", "L2"):
        connected_station(cp)
    image = register_image()
    upload_image(image)
    made = []
    for cp in ("L1", "L2", "L1"):
        body = {"firmwareId": image["firmwareId"], "chargePoints": [cp], "waveSize": 1}
        made.append(call_api("POST", "/firmware-rollouts", body)[1]["rolloutId"])
    assert call_api("POST", f"/firmware-rollouts/{made[1]}/cancel")[0] == 200
    status, first = call_api("GET", "/firmware-rollouts", query="limit=2")
    assert status == 200 and [r["rolloutId"] for r in first["items"]] == made[:0:-1]
    assert first["items"][0]["firmwareId"] == image["firmwareId"] and "members" not in first["items"][0]
    rest = call_api("GET", "/firmware-rollouts", query=f"limit=2&nextToken={first['nextToken']}")[1]
    assert [r["rolloutId"] for r in rest["items"]] == made[:1] and rest["nextToken"] is None
    cancelled = call_api("GET", "/firmware-rollouts", query="state=cancelled")[1]["items"]
    assert [(r["rolloutId"], r["state"]) for r in cancelled] == [(made[1], "cancelled")]
    status, refused = call_api("GET", "/firmware-rollouts", query="state=stuck")
    assert status == 400 and "state" in json.dumps(refused)
    assert call_api("GET", "/firmware-rollouts", query="nextToken=bogus")[0] == 400


def openapi_examples(path):
    spec = call_api("GET", "/openapi.json")[1]
    body = spec["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return [example["value"] for example in body["examples"].values()]


def test_every_firmware_example_in_the_openapi_is_accepted(aws, posted):
    """With the placeholders an example shows (an image's id) swapped for real ones."""
    for cp in ("CP1", "CP2", "CP3"):
        connected_station(cp)
    for n, example in enumerate(openapi_examples("/firmware")):  # each its own model: one image a version
        assert call_api("POST", "/firmware", {**example, "model": f"Volt-{n}"})[0] == 201, example
    image = register_image()
    upload_image(image)

    def real(example):
        return {**example, "firmwareId": image["firmwareId"]} if "firmwareId" in example else example

    for example in openapi_examples("/charge-points/{charge_point_id}/firmware-updates"):
        status, body = call_api("POST", "/charge-points/CP1/firmware-updates", real(example))
        assert status == 202, (example, body)
    for example in openapi_examples("/firmware-rollouts"):
        status, body = call_api("POST", "/firmware-rollouts", real(example))
        assert status == 201, (example, body)


def test_a_rollout_update_whose_call_failed_counts_as_failed(aws, posted):
    connected_station("E1")
    image = register_image()
    upload_image(image)
    body = {"firmwareId": image["firmwareId"], "chargePoints": ["E1"], "waveSize": 1, "maxFailureRate": 0.5}
    rollout = call_api("POST", "/firmware-rollouts", body)[1]
    [member] = rollout["members"]
    command_id = call_api("GET", f"/charge-points/E1/firmware-updates/{member['requestId']}")[1]["commandId"]
    frame = [4, command_id, "NotSupported", "no firmware updates here", {}]
    route(events.message(socket("c-E1", "E1", "2.0.1"), json.dumps(frame)), CONTEXT)
    advance_rollouts({}, CONTEXT)
    rollout = call_api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]
    [member] = rollout["members"]
    assert (member["outcome"], member["error"]) == ("failed", "UpdateFirmware failed: NotSupported")
    assert rollout["state"] == "paused"


def test_two_advances_at_once_send_a_wave_once(aws, posted):
    """The schedule and an operator's request may read the same rollout at the same moment."""
    from shared.data import rollouts as rollout_records

    for cp in ("W1", "W2"):
        connected_station(cp)
    image = register_image()
    upload_image(image)
    body = {"firmwareId": image["firmwareId"], "chargePoints": ["W1", "W2"], "waveSize": 1}
    rollout_id = call_api("POST", "/firmware-rollouts", body)[1]["rolloutId"]
    read, _ = rollout_records.load(rollout_id)
    assert rollout_records.claim_wave(read, utc_now())
    assert not rollout_records.claim_wave(read, utc_now())  # the same read, a second time
    assert not rollout_records.set_state(read, read.state, None, utc_now())  # stale: refused
    assert rollout_records.take_turn(rollout_id, utc_now())
    assert not rollout_records.take_turn(rollout_id, utc_now())  # one advance at a time
    rollout_records.end_turn(rollout_id)
    assert rollout_records.take_turn(rollout_id, utc_now())


def installed_update(station, posted, version):
    """CP1, booted at 1.0, asked for the catalogue's 2.0 and reporting it Installed."""
    call(station, "BootNotification", boot(version), "b0")
    image = register_image()
    upload_image(image)
    update = call_api("POST", "/charge-points/CP1/firmware-updates", {"firmwareId": image["firmwareId"]})[1]
    [sent] = calls_to_station(posted)
    station([3, sent[1], {} if version == "1.6" else {"status": "Accepted"}])
    with_id = {} if version == "1.6" else {"requestId": update["requestId"]}
    call(station, "FirmwareStatusNotification", {"status": "Installed", **with_id}, "f1")
    return f"/charge-points/CP1/firmware-updates/{update['requestId']}"


def test_an_update_reported_installed_is_decided_by_the_version_of_the_next_boot(station, posted, version):
    path = installed_update(station, posted, version)
    got = call_api("GET", path)[1]
    assert (got["outcome"], got["outcomeReason"]) == ("pending", None)  # it has not booted into it yet
    call(station, "BootNotification", booted_with("1.0", version), "b1")
    got = call_api("GET", path)[1]
    assert (got["outcome"], got["outcomeReason"], got["status"]) == ("failed", "versionMismatch", "Installed")
    assert got["firmwareVersionAfter"] == "1.0"


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_an_update_installed_then_booted_into_succeeds(station, posted, version):
    path = installed_update(station, posted, version)
    call(station, "BootNotification", booted_with("2.0", version), "b1")
    got = call_api("GET", path)[1]
    assert (got["outcome"], got["outcomeReason"]) == ("succeeded", None)


def test_a_rollout_counts_an_installed_update_that_boots_the_old_version_as_failed(aws, posted):
    stations = {cp: connected_station(cp) for cp in ("V1", "V2")}
    image = register_image()
    upload_image(image)
    body = {"firmwareId": image["firmwareId"], "waveSize": 1, "maxFailureRate": 0.4}
    rollout = call_api("POST", "/firmware-rollouts", body)[1]
    [first] = [m for m in rollout["members"] if m["outcome"] == "sent"]
    send = stations[first["chargePointId"]]
    send([2, "f", "FirmwareStatusNotification", {"status": "Installed", "requestId": first["requestId"]}])
    send([2, "b2", "BootNotification", booted_with("1.0")])
    advance_rollouts({}, CONTEXT)
    rollout = call_api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]
    assert rollout["state"] == "paused" and rollout["counts"] == {"failed": 1, "waiting": 1}
    [failed] = [m for m in rollout["members"] if m["outcome"] == "failed"]
    assert failed["error"] == "versionMismatch"


# --- What the catalogue refuses --------------------------------------------------------------


def test_a_signed_image_needs_a_certificate_and_a_signature_a_station_can_read(aws):
    """Once any text was kept as the signing certificate, and the image shown as signed."""
    for signing, reason in [
        ({"signingCertificate": "garbage", "signature": "c2ln"}, "not a PEM-encoded X.509 certificate"),
        ({"signingCertificate": SIGNING_CERTIFICATE, "signature": "not base64!"}, "signature must be base64"),
    ]:
        status, body = call_api(
            "POST", "/firmware", {"vendor": "Acme", "model": "Volt", "version": "2.0", **signing}
        )
        assert (status, body["error"]["code"]) == (422, "InvalidCertificate") and reason in body["error"][
            "message"
        ]
    status, body = call_api(
        "POST",
        "/firmware",
        {"vendor": "A", "model": "B", "version": "1", "signingCertificate": SIGNING_CERTIFICATE},
    )
    assert status == 400 and "come together" in body["error"]["message"]
    assert call_api("GET", "/firmware")[1]["items"] == []


def test_the_catalogue_holds_one_image_per_vendor_model_and_version(aws):
    first = register_image()
    status, body = call_api(
        "POST",
        "/firmware",
        {"vendor": "Acme", "model": "Volt", "version": "2.0", "location": "https://fw.example/v.bin"},
    )
    assert status == 409 and first["firmwareId"] in body["error"]["message"]
    assert register_image(version="2.1")["version"] == "2.1"  # another version is another image
    assert call_api("DELETE", f"/firmware/{first['firmwareId']}")[0] == 204
    assert register_image()["version"] == "2.0"  # the version is free again


def test_an_image_a_station_may_still_fetch_is_not_removed(aws, posted):
    """Once removing it broke the URL of an update under way."""
    send = connected_station("U1")
    image = register_image()
    upload_image(image)
    update = call_api("POST", "/charge-points/U1/firmware-updates", {"firmwareId": image["firmwareId"]})[1]
    status, body = call_api("DELETE", f"/firmware/{image['firmwareId']}")
    assert status == 409 and f"the update {update['requestId']} of U1 (sent)" in body["error"]["message"]
    send([2, "f1", "FirmwareStatusNotification", {"status": "Installed", "requestId": update["requestId"]}])
    # A rollout not ended points at it too, paused or running
    connected_station("U2")
    rollout = call_api(
        "POST", "/firmware-rollouts", {"firmwareId": image["firmwareId"], "chargePoints": ["U2"]}
    )[1]
    call_api("POST", f"/firmware-rollouts/{rollout['rolloutId']}/pause")
    status, body = call_api("DELETE", f"/firmware/{image['firmwareId']}")
    assert status == 409 and f"the rollout {rollout['rolloutId']} (paused)" in body["error"]["message"]
    call_api("POST", f"/firmware-rollouts/{rollout['rolloutId']}/cancel")
    [member] = call_api("GET", f"/firmware-rollouts/{rollout['rolloutId']}")[1]["members"]
    send2 = connected_station("U2")
    send2(
        [
            2,
            "f2",
            "FirmwareStatusNotification",
            {"status": "DownloadFailed", "requestId": member["requestId"]},
        ]
    )
    assert call_api("DELETE", f"/firmware/{image['firmwareId']}")[0] == 204
