"""What charge points report outside sessions: firmware and log statuses, security events,
device model events and vendor data, stored before they are answered, once however often they
are resent, and published."""

import json
from datetime import timedelta

import pytest

from shared.data import maintenance, station_events, vendors
from shared.domain.maintenance import Kind, Origin
from shared.domain.station_events import EventKind, Vendor
from shared.domain.timestamps import format_timestamp, utc_now
from tests.builders import V2, call, call_api

FIRMWARE_STATUS = {"1.6": "FirmwareStatusNotification", "2.0.1": "FirmwareStatusNotification"}


def _events(kind):
    return [body for body, _ in station_events.events_of("CP1", kind, 50, None).items]


def test_a_firmware_status_with_no_update_known_is_kept_as_unsolicited(station, version, published):
    payload = {"status": "Downloading"} if version == "1.6" else {"status": "Downloading", "requestId": 77}
    assert call(station, "FirmwareStatusNotification", payload) == {}
    request_id = 0 if version == "1.6" else 77
    request = maintenance.find_request("CP1", Kind.FIRMWARE, request_id)
    assert request is not None and request.origin is Origin.UNSOLICITED
    assert [s.status for s in request.statuses] == ["Downloading"]
    [event] = published.of("FirmwareStatusChanged")
    assert (event["requestId"], event["status"], event["origin"]) == (
        request_id,
        "Downloading",
        "unsolicited",
    )


def test_firmware_statuses_join_the_latest_update_and_a_resend_changes_nothing(station, version, published):
    maintenance.open_request("CP1", Kind.FIRMWARE, 5, Origin.OPERATOR, {"version": "2.0"}, utc_now())
    with_id = {} if version == "1.6" else {"requestId": 5}
    for number, status in enumerate(["Downloading", "Downloading", "Downloaded", "Installing", "Installed"]):
        assert call(station, "FirmwareStatusNotification", {"status": status, **with_id}, f"f{number}") == {}
    request = maintenance.find_request("CP1", Kind.FIRMWARE, 5)
    assert request is not None and request.origin is Origin.OPERATOR
    assert [s.status for s in request.statuses] == ["Downloading", "Downloaded", "Installing", "Installed"]
    assert request.outcome.value == "succeeded"
    assert [e["status"] for e in published.of("FirmwareStatusChanged")] == [
        "Downloading",
        "Downloaded",
        "Installing",
        "Installed",
    ]


def test_a_triggered_idle_status_does_not_touch_a_finished_update(station, version):
    maintenance.open_request("CP1", Kind.FIRMWARE, 9, Origin.OPERATOR, {}, utc_now())
    with_id = {} if version == "1.6" else {"requestId": 9}
    call(station, "FirmwareStatusNotification", {"status": "Installed", **with_id}, "a")
    call(station, "FirmwareStatusNotification", {"status": "Idle"}, "b")
    request = maintenance.find_request("CP1", Kind.FIRMWARE, 9)
    assert request is not None and request.status == "Installed"


def test_log_statuses_are_kept_per_request(station, version):
    maintenance.open_request("CP1", Kind.LOG, 12, Origin.OPERATOR, {"logType": "SecurityLog"}, utc_now())
    call(station, "LogStatusNotification", {"status": "Uploading", "requestId": 12}, "a")
    call(station, "LogStatusNotification", {"status": "UploadFailure", "requestId": 12}, "b")
    request = maintenance.find_request("CP1", Kind.LOG, 12)
    assert request is not None and [s.status for s in request.statuses] == ["Uploading", "UploadFailure"]
    assert request.outcome.value == "failed"


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_diagnostics_and_signed_firmware_statuses_of_1_6(station, version):
    maintenance.open_request("CP1", Kind.LOG, 3, Origin.OPERATOR, {"logType": "Diagnostics"}, utc_now())
    maintenance.open_request("CP1", Kind.FIRMWARE, 4, Origin.OPERATOR, {}, utc_now())
    assert call(station, "DiagnosticsStatusNotification", {"status": "Uploaded"}, "d") == {}
    assert (
        call(station, "SignedFirmwareStatusNotification", {"status": "InvalidSignature", "requestId": 4})
        == {}
    )
    log = maintenance.find_request("CP1", Kind.LOG, 3)
    firmware = maintenance.find_request("CP1", Kind.FIRMWARE, 4)
    assert log is not None and log.status == "Uploaded"
    assert firmware is not None and firmware.outcome.value == "failed"


def test_security_events_are_kept_once_and_critical_ones_flagged(station, version, published, aws_calls):
    event = {"type": "TamperDetectionActivated", "timestamp": "2026-12-01T10:00:00Z", "techInfo": "lid open"}
    aws_calls.reset()
    assert call(station, "SecurityEventNotification", event, "s1") == {}
    assert aws_calls.dynamodb_writes == 1 and aws_calls.dynamodb_reads == 0
    call(station, "SecurityEventNotification", event, "s2")  # resent after a reconnect
    call(
        station,
        "SecurityEventNotification",
        {"type": "InvalidMessages", "timestamp": "2026-12-01T11:00:00Z"},
        "s3",
    )
    kept = _events(EventKind.SECURITY)
    assert [(e["type"], e["critical"]) for e in kept] == [
        ("InvalidMessages", False),
        ("TamperDetectionActivated", True),
    ]
    assert [e["type"] for e in published.of("SecurityEvent")] == [
        "TamperDetectionActivated",
        "InvalidMessages",
    ]


def test_the_fleets_critical_security_events_are_listed_with_their_station(station, version):
    now = utc_now()
    for message_id, kind, ago in (("s1", "InvalidMessages", 1), ("s2", "TamperDetectionActivated", 2)):
        happened = format_timestamp(now - timedelta(hours=ago))
        call(station, "SecurityEventNotification", {"type": kind, "timestamp": happened}, message_id)
    old = format_timestamp(now - timedelta(hours=30))
    call(station, "SecurityEventNotification", {"type": "MemoryExhaustion", "timestamp": old}, "s3")
    status, page = call_api("GET", "/security-events")  # critical, of the last 24 hours
    assert status == 200, page
    assert [(e["chargePointId"], e["type"]) for e in page["items"]] == [("CP1", "TamperDetectionActivated")]
    since = format_timestamp(now - timedelta(days=2))
    _, page = call_api("GET", "/security-events", query=f"critical=true&from={since}&limit=1")
    assert [e["type"] for e in page["items"]] == ["TamperDetectionActivated"] and page["nextToken"]
    _, rest = call_api("GET", "/security-events", query=f"from={since}&limit=1&nextToken={page['nextToken']}")
    assert [e["type"] for e in rest["items"]] == ["MemoryExhaustion"]
    for bad, reason in (("critical=false", "critical=true"), ("from=2026-01-01T00:00:00", "time zone")):
        status, answer = call_api("GET", "/security-events", query=bad)
        assert status == 400 and reason in json.dumps(answer), answer
    assert call_api("GET", "/security-events", query="from=2001-01-01T00:00:00Z")[0] == 400


def test_data_transfer_is_answered_by_the_registered_vendors(station, version, published):
    vendors.put_vendor(Vendor("com.acme", frozenset({"meter"}), None, utc_now()))
    vendors.put_vendor(Vendor("org.open", None, None, utc_now()))
    send = {"vendorId": "com.acme", "messageId": "meter", "data": '{"wh": 12}'}
    assert call(station, "DataTransfer", send, "d1") == {"status": "Accepted"}
    assert call(station, "DataTransfer", send, "d1") == {"status": "Accepted"}  # resent: kept once
    assert call(station, "DataTransfer", {"vendorId": "com.acme", "messageId": "other"}, "d2") == {
        "status": "UnknownMessageId"
    }
    assert call(station, "DataTransfer", {"vendorId": "org.open", "data": "x"}, "d3") == {
        "status": "Accepted"
    }
    assert call(station, "DataTransfer", {"vendorId": "com.unknown"}, "d4") == {"status": "UnknownVendorId"}
    if version == "1.6":  # its schema lets the vendor be empty: no vendor is registered so
        assert call(station, "DataTransfer", {"vendorId": ""}, "d5") == {"status": "UnknownVendorId"}
    kept = _events(EventKind.DATA_TRANSFER)
    unknown_vendors = 2 if version == "1.6" else 1
    assert (
        sorted(e["status"] for e in kept)
        == ["Accepted"] * 2 + ["UnknownMessageId"] + ["UnknownVendorId"] * unknown_vendors
    )
    assert [(e["vendorId"], e["data"]) for e in published.of("DataTransferReceived")] == [
        ("com.acme", '{"wh": 12}'),
        ("org.open", "x"),
    ]


@pytest.mark.parametrize("version", V2, indirect=True)
def test_device_model_events_and_reports_are_kept_part_by_part(station, version, published):
    event_data = {
        "eventId": 1,
        "timestamp": "2026-12-01T10:00:00Z",
        "trigger": "Alerting",
        "actualValue": "91",
        "eventNotificationType": "CustomMonitor",
        "component": {"name": "EVSE", "evse": {"id": 1}},
        "variable": {"name": "Temperature"},
    }
    notify = {"generatedAt": "2026-12-01T10:00:01Z", "seqNo": 0, "eventData": [event_data]}
    assert call(station, "NotifyEvent", notify, "e1") == {}
    call(station, "NotifyEvent", notify, "e2")  # a resend
    monitor = {"id": 3, "transaction": False, "value": 90, "type": "UpperThreshold", "severity": 4}
    if version == "2.1":
        monitor["eventNotificationType"] = "CustomMonitor"
    monitors = {
        "requestId": 42,
        "generatedAt": "2026-12-01T10:05:00Z",
        "seqNo": 0,
        "tbc": True,
        "monitor": [
            {
                "component": {"name": "EVSE"},
                "variable": {"name": "Temperature"},
                "variableMonitoring": [monitor],
            }
        ],
    }
    call(station, "NotifyMonitoringReport", monitors, "r1")
    call(station, "NotifyMonitoringReport", {**monitors, "seqNo": 1, "tbc": False}, "r2")
    info = {
        "requestId": 43,
        "generatedAt": "2026-12-01T10:06:00Z",
        "seqNo": 0,
        "data": "no data for that token",
    }
    call(station, "NotifyCustomerInformation", info, "c1")
    assert [e["eventData"][0]["actualValue"] for e in _events(EventKind.DEVICE)] == ["91"]
    assert [(e["requestId"], e["seqNo"]) for e in _events(EventKind.MONITORING_REPORT)] == [(42, 1), (42, 0)]
    assert [e["data"] for e in _events(EventKind.CUSTOMER_INFORMATION)] == ["no data for that token"]
    assert len(published.of("DeviceEvent")) == 4


@pytest.mark.parametrize("version", V2, indirect=True)
def test_publish_firmware_status_is_kept(station, version, published):
    payload = {"status": "Published", "location": ["http://lc.local/fw.bin"], "requestId": 8}
    assert call(station, "PublishFirmwareStatusNotification", payload) == {}
    assert _events(EventKind.FIRMWARE_PUBLISH)[0]["location"] == ["http://lc.local/fw.bin"]
    assert published.of("FirmwareStatusChanged")[0]["status"] == "Published"


def test_the_api_lists_security_events_and_data_transfers_newest_first(station, version):
    for hour in (9, 10, 11):
        event = {"type": "SettingSystemTime", "timestamp": f"2026-12-01T{hour:02d}:00:00Z"}
        call(station, "SecurityEventNotification", event, f"s{hour}")
    status, page = call_api("GET", "/charge-points/CP1/security-events", query="limit=2")
    assert status == 200 and [e["timestamp"][11:13] for e in page["items"]] == ["11", "10"]
    assert page["items"][0]["critical"] and page["items"][0]["receivedAt"]
    status, rest = call_api(
        "GET", "/charge-points/CP1/security-events", query=f"limit=2&nextToken={page['nextToken']}"
    )
    assert [e["timestamp"][11:13] for e in rest["items"]] == ["09"] and rest["nextToken"] is None
    assert call_api("GET", "/charge-points/CP1/security-events", query="nextToken=bogus")[0] == 400
    assert call_api("GET", "/charge-points/NOPE/security-events")[0] == 404
    assert call_api("PUT", "/data-transfer/vendors/com.acme", {"messageIds": ["meter"]})[0] == 200
    call(station, "DataTransfer", {"vendorId": "com.acme", "messageId": "meter", "data": "1"}, "d1")
    status, transfers = call_api("GET", "/charge-points/CP1/data-transfers")
    assert [(t["vendorId"], t["status"]) for t in transfers["items"]] == [("com.acme", "Accepted")]


def test_vendors_are_managed_through_the_api(aws):
    assert call_api("GET", "/data-transfer/vendors")[1] == {"items": []}
    status, vendor = call_api("PUT", "/data-transfer/vendors/com.acme", {"description": "Acme meters"})
    assert status == 200 and vendor["messageIds"] is None
    assert call_api("GET", "/data-transfer/vendors/com.acme")[1]["description"] == "Acme meters"
    assert [v["vendorId"] for v in call_api("GET", "/data-transfer/vendors")[1]["items"]] == ["com.acme"]
    assert call_api("DELETE", "/data-transfer/vendors/com.acme")[0] == 204
    assert call_api("DELETE", "/data-transfer/vendors/com.acme")[0] == 404
    assert call_api("PUT", "/data-transfer/vendors/x", {"messageIds": "meter"})[0] == 400


def test_variable_monitoring_commands_go_out_in_2x_and_are_refused_in_1_6(station, posted, version):
    monitors = {
        "monitors": [
            {"key": "EVSE/Temperature", "type": "UpperThreshold", "value": 80, "severity": 4, "evseId": 1}
        ]
    }
    status, body = call_api("POST", "/charge-points/CP1/monitors", monitors)
    if version == "1.6":
        assert status == 422 and "monitoring" in body["error"]["message"]
        return
    assert status == 202, body
    assert body["action"] == "SetVariableMonitoring"
    assert body["payload"]["setMonitoringData"][0]["component"] == {"name": "EVSE", "evse": {"id": 1}}
    station([3, body["commandId"], {"setMonitoringResult": []}])
    for path, request, action in (
        ("monitoring-base", {"base": "All"}, "SetMonitoringBase"),
        ("monitors/clear", {"ids": [3]}, "ClearVariableMonitoring"),
        ("monitoring-report", {"criteria": ["ThresholdMonitoring"]}, "GetMonitoringReport"),
    ):
        status, body = call_api("POST", f"/charge-points/CP1/{path}", request)
        assert (status, body["action"]) == (202, action), body
        station(
            [
                3,
                body["commandId"],
                {"status": "Accepted"}
                if action != "ClearVariableMonitoring"
                else {"clearMonitoringResult": [{"status": "Accepted", "id": 3}]},
            ]
        )


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_a_request_keeps_its_first_fifty_statuses_and_always_the_latest(station, version):
    for n in range(60):
        status = ("Downloading", "DownloadFailed")[n % 2]
        call(station, "FirmwareStatusNotification", {"status": status}, f"f{n}")
    call(station, "FirmwareStatusNotification", {"status": "DownloadFailed"}, "again")  # a resend
    request = maintenance.find_request("CP1", Kind.FIRMWARE, 0)
    assert request is not None and len(request.statuses) == 50
    assert (request.status, request.statuses_dropped) == ("DownloadFailed", 10)
