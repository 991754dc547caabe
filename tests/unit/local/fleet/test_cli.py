"""The command line: a soak is a load run of an hour in five-minute windows unless told
otherwise, a plain load run has no windows unless asked for, and a site's pace is set by its
sessions, idle times and meter interval."""

from __future__ import annotations

import pytest

from local.fleet.cli import options_from, parse_args


def options(*argv: str):
    return options_from(parse_args(list(argv)), "ws://x/ocpp", "http://x", "token")


def test_a_soak_runs_an_hour_in_five_minute_windows_by_default():
    soak = options("soak", "--stations", "3")
    assert (soak.duration_s, soak.window_s, soak.max_p99_ms) == (3600, 300, 1000)
    assert len(soak.specs) == 3


def test_a_soak_and_a_load_run_take_their_length_and_windows_from_the_options():
    soak = options("soak", "--duration", "600", "--window", "60")
    assert (soak.duration_s, soak.window_s) == (600, 60)
    load = options("load")
    assert (load.duration_s, load.window_s) == (120, None)
    assert options("load", "--window", "30").window_s == 30


def test_the_demo_has_no_end_and_no_windows():
    demo = options("demo")
    assert (demo.duration_s, demo.window_s, demo.max_p99_ms) == (None, None, None)
    with pytest.raises(SystemExit):
        parse_args(["demo", "--window", "30"])


def test_a_quieter_site_waits_longer_for_its_drivers():
    quiet = options("load", "--idle", "600-1800", "--session", "300", "--meter-interval", "15")
    assert (quiet.life.idle_s, quiet.life.session_s, quiet.life.meter_interval_s) == (
        (600, 1800),
        (300, 300),
        15,
    )
    busy = options("load")
    assert (busy.life.idle_s, busy.life.session_s) == ((10, 120), (120, 600))
    assert quiet.warmup_s == busy.warmup_s == 120  # a fleet begins at its steady pace
    assert options("load", "--warmup", "0").warmup_s == 0


@pytest.mark.parametrize("bad", ["ten", "600-300", "0-60", "-5"])
def test_a_range_that_is_not_one_is_refused(bad, capsys):
    with pytest.raises(SystemExit):
        parse_args(["load", "--idle", bad])
    assert "--idle" in capsys.readouterr().err


def test_stations_fail_maintenance_on_purpose_at_the_shares_asked():
    flaky = options("load", "--firmware-failures", "0.25", "--upload-failures", "0.1")
    assert (flaky.life.firmware_failure_chance, flaky.life.upload_failure_chance) == (0.25, 0.1)
    assert options("load").life.firmware_failure_chance == 0.0
    with pytest.raises(SystemExit):
        parse_args(["load", "--firmware-failures", "1.5"])


def test_drivers_accounts_are_asked_for_and_the_demo_has_a_few():
    assert options("load", "--drivers", "2").drivers == 2
    assert options("soak").drivers == options("load").drivers == 0
    assert options("demo").drivers == 3
    assert options("demo", "--drivers", "0").drivers == 0
    with pytest.raises(SystemExit):
        parse_args(["load", "--drivers", "-1"])
