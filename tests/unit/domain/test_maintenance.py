from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.maintenance import (
    BootSeen,
    Firmware,
    Kind,
    MaintenanceRequest,
    Origin,
    StatusEntry,
    UploadToken,
    download_window_s,
    outcome,
    safe_file_name,
)

T0 = datetime(2026, 12, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "status", "expected"),
    [
        (Kind.FIRMWARE, "Installed", "succeeded"),
        (Kind.FIRMWARE, "InstallVerificationFailed", "failed"),
        (Kind.FIRMWARE, "Downloading", "pending"),
        (Kind.LOG, "UploadFailed", "failed"),  # 1.6 diagnostics
        (Kind.LOG, "UploadFailure", "failed"),  # LogStatusNotification
        (Kind.LOG, "Uploaded", "succeeded"),
        (Kind.LOG, None, "pending"),
    ],
)
def test_outcomes_of_statuses(kind, status, expected):
    assert outcome(kind, status).value == expected


def test_a_refused_call_fails_the_request_whatever_was_reported():
    request = MaintenanceRequest("CP1", Kind.FIRMWARE, 1, Origin.OPERATOR, T0, answer={"status": "Rejected"})
    assert request.outcome.value == "failed"
    reported = MaintenanceRequest(
        "CP1", Kind.FIRMWARE, 1, Origin.OPERATOR, T0, statuses=(StatusEntry("Installed", T0),)
    )
    assert reported.outcome.value == "succeeded" and reported.status == "Installed"


def installed_at(minutes, wanted="2.0"):
    return MaintenanceRequest(
        "CP1",
        Kind.FIRMWARE,
        1,
        Origin.OPERATOR,
        T0,
        details={"version": wanted},
        statuses=(StatusEntry("Installed", T0 + timedelta(minutes=minutes)),),
    )


@pytest.mark.parametrize(
    ("installed", "booted", "version", "expected"),
    [
        (10, None, None, ("pending", None)),  # not booted since it was asked
        (10, 5, "2.0", ("succeeded", None)),  # 1.6: booted into it, then Installed
        (10, 5, "1.0", ("pending", None)),  # booted before Installed: the reboot into it may come
        (10, 15, "2.0", ("succeeded", None)),  # 2.x: Installed, then booted into it
        (10, 15, "1.0", ("failed", "versionMismatch")),
    ],
)
def test_an_installed_update_is_decided_by_the_boot_after_it(installed, booted, version, expected):
    boot = BootSeen(T0 + timedelta(minutes=booted) if booted is not None else None, version)
    settled = installed_at(installed).settled(T0, boot)
    assert (settled.outcome.value, settled.reason.value if settled.reason else None) == expected
    # Without the boot (an older update, a later one since changed the version), the status says.
    assert installed_at(installed).settled(T0).outcome.value == "succeeded"


def test_a_log_reported_uploaded_waits_for_its_file_until_the_window_closes():
    until = T0 + timedelta(hours=24)
    request = MaintenanceRequest(
        "CP1",
        Kind.LOG,
        1,
        Origin.OPERATOR,
        T0,
        details={"uploadUntil": until.isoformat()},
        statuses=(StatusEntry("Uploaded", T0),),
    )
    assert request.outcome.value == "pending" and request.settled(until).outcome.value == "pending"
    closed = request.settled(until + timedelta(seconds=1))
    assert (closed.outcome.value, closed.reason and closed.reason.value) == ("failed", "uploadMissing")


@pytest.mark.parametrize("charge_point_id", ["CP1", "site/7 ünïcode", "a.b.c"])
def test_an_upload_token_names_its_request_and_keeps_its_secret(charge_point_id):
    token = UploadToken.new(charge_point_id, 42)
    parsed = UploadToken.parse(token.text)
    assert parsed == token and parsed.digest == token.digest
    assert "." not in token.text.split(".")[0]  # the name part never holds the separator
    assert UploadToken.new(charge_point_id, 42).digest != token.digest


@pytest.mark.parametrize(
    "text",
    ["", "x", "a.b.c", "Q1Ax.notanumber.secretsecretsecret", "Q1Ax.1.short", "!!.1.secretsecretsecret"],
)
def test_what_is_not_a_token_is_none(text):
    assert UploadToken.parse(text) is None


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("diag.zip", "diag.zip"),
        ("../../etc/passwd", "passwd"),
        ("C:\\logs\\a b.txt", "a_b.txt"),
        ("", "fallback"),
        (None, "fallback"),
        ("...", "fallback"),
    ],
)
def test_file_names_from_charge_points_are_made_safe(given, expected):
    assert safe_file_name(given, "fallback") == expected


def test_a_download_url_lasts_past_every_retry_with_a_margin():
    assert download_window_s(T0, T0 + timedelta(minutes=10), 3, 300) == 600 + 900 + 3600
    assert download_window_s(T0, T0 - timedelta(days=1), None, None) == 3600  # a past retrieveAt: from now


def test_an_image_fits_its_model_and_vendor_in_any_case():
    image = Firmware("f", "Acme", "AC22", "2.0", T0)
    assert image.fits("ACME", "ac22") and image.fits(None, "AC22")
    assert not image.fits("Acme", "AC11") and not image.fits("Other", "AC22")
