"""What each station will do is drawn from the seed alone: the same seed, the same lives."""

from __future__ import annotations

import itertools

import pytest

from local.fleet import plan

LIFE = plan.Life(fault_chance=0.3, unknown_tag_chance=0.2)
TAGS = plan.tags_of("T", 50)


def first(iterator, n=20):
    return list(itertools.islice(iterator, n))


def lives(specs, seed):
    return [
        (
            [first(plan.sessions(seed, s.stream, c, LIFE, TAGS)) for c in range(1, s.connectors + 1)],
            first(plan.outages(seed, s.stream, LIFE)),
            plan.meter_start(seed, s.stream, 1),
        )
        for s in specs
    ]


def test_the_same_seed_gives_the_same_sessions_faults_cards_and_outages_whatever_the_ids():
    mix = plan.parse_mix("1.6,2.0.1,2.1")
    today = plan.fleet(12, mix, "load-aaaa-", connectors=2)
    tomorrow = plan.fleet(12, mix, "load-bbbb-", connectors=2)
    assert [s.id for s in today] != [s.id for s in tomorrow]
    assert lives(today, seed=5) == lives(tomorrow, seed=5)


def test_another_seed_or_another_station_lives_otherwise():
    specs = plan.fleet(4, plan.parse_mix("2.1"), "x-", connectors=2)
    assert lives(specs, seed=5) != lives(specs, seed=6)
    one, other = lives(specs, seed=5)[:2]
    assert one != other
    # ...and a station's two connectors see different drivers.
    assert one[0][0] != one[0][1]


def test_a_life_has_the_faults_unknown_cards_and_outages_its_rates_ask_for():
    sessions = first(plan.sessions(1, "station-0", 1, LIFE, TAGS), 2000)
    faults = sum(1 for s in sessions if s.fault_s) / len(sessions)
    unknown = [s for s in sessions if not s.known_tag]
    assert 0.25 < faults < 0.35
    assert 0.15 < len(unknown) / len(sessions) < 0.25
    assert all(s.tag not in TAGS and len(s.tag) <= 20 for s in unknown)  # 1.6 allows 20 characters
    assert all(s.tag in TAGS for s in sessions if s.known_tag)
    assert all(LIFE.session_s[0] <= s.duration_s <= LIFE.session_s[1] for s in sessions)
    gaps = [o.after_s for o in first(plan.outages(1, "station-0", LIFE), 2000)]
    assert 0.9 * LIFE.offline_every_s < sum(gaps) / len(gaps) < 1.1 * LIFE.offline_every_s
    assert first(plan.outages(1, "station-0", plan.Life(offline_every_s=0))) == []


def test_versions_follow_the_mix_spread_through_the_fleet():
    assert plan.assign_versions(3, plan.parse_mix("1.6,2.0.1,2.1")) == ["1.6", "2.0.1", "2.1"]
    versions = plan.assign_versions(100, plan.parse_mix("1.6=3,2.1=1"))
    assert (versions.count("1.6"), versions.count("2.1")) == (75, 25)
    assert versions[:4].count("2.1") == 1
    assert plan.assign_versions(5, plan.parse_mix("2.0.1")) == ["2.0.1"] * 5


def test_the_default_mix_holds_the_older_versions_in_small_shares_and_none_of_them_secure():
    specs = plan.fleet(8, plan.parse_mix(plan.DEFAULT_MIX), "t-", secure_share=1.0)
    versions = [spec.version for spec in specs]
    assert (versions.count("1.5"), versions.count("2.0")) == (1, 1)
    assert {spec.version for spec in specs if not spec.secure} == {"1.5", "2.0"}


@pytest.mark.parametrize("text", ["", "1.4", "2.0.1=-1", "1.6=0"])
def test_a_mix_that_names_no_real_fleet_is_refused(text):
    with pytest.raises(ValueError):
        plan.parse_mix(text)


def test_a_fleet_begins_at_its_steady_pace_not_with_every_first_driver_at_once():
    quiet = plan.Life(session_s=(120.0, 600.0), idle_s=(600.0, 1800.0))
    assert plan.busy_share(quiet) == 360 / (360 + 1200)
    openings = [next(plan.sessions(1, f"station-{i}", 1, quiet, TAGS)) for i in range(4000)]
    busy = [s for s in openings if s.idle_s == 0]
    # A connector is found charging as often as it charges in the long run...
    assert 0.20 < len(busy) / len(openings) < 0.26
    # ...with some of its session left; the others are some way into their wait.
    assert all(0 <= s.duration_s <= 600 and not s.fault_s for s in busy)
    waiting = [s.idle_s for s in openings if s.idle_s]
    assert max(waiting) <= 1800 and min(waiting) < 600  # not all a full wait: arrivals from the start
    # After the opening, sessions and waits come from the whole ranges.
    later = first(plan.sessions(1, "station-0", 1, quiet, TAGS), 200)[1:]
    assert all(600 <= s.idle_s <= 1800 and 120 <= s.duration_s <= 600 for s in later)


def test_a_secure_share_is_spread_through_the_fleet_each_with_a_password_of_its_own():
    specs = plan.fleet(9, plan.parse_mix("1.6,2.0.1,2.1"), "s-", secure_share=1 / 3)
    secure = [s for s in specs if s.secure]
    assert [s.index for s in secure] == [2, 5, 8]
    assert len({s.password for s in secure}) == 3 and all(len(s.password or "") >= 16 for s in secure)
    assert all(s.password is None for s in specs if not s.secure)
