"""Tariffs: what makes one unusable, which one applies, and what a session costs under it,
checked against a minute-by-minute reckoning written independently of the engine."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from shared.domain.tariffs import (
    WEEKDAYS,
    Assignment,
    Dimension,
    PriceComponent,
    Restrictions,
    Tariff,
    TariffElement,
    Usage,
    breakdown_json,
    cost_of,
    from_json,
    most_specific,
    price,
    to_json,
)

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # a Monday


def element(restrictions: Restrictions | None = None, **prices: str) -> TariffElement:
    return TariffElement(
        tuple(PriceComponent(Dimension(kind.upper()), Decimal(p)) for kind, p in prices.items()), restrictions
    )


def tariff(*elements: TariffElement, **fields: object) -> Tariff:
    return Tariff("t1", "EUR", tuple(elements), **fields)  # type: ignore[arg-type]


# --- What makes a tariff unusable -----------------------------------------------------------


def test_a_simple_tariff_is_usable() -> None:
    assert tariff(element(energy="0.30", flat="1")).problems() == []


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        (tariff(element(energy="-0.1")), "elements[0] has a negative ENERGY price"),
        (tariff(), "a tariff needs at least one element"),
        (tariff(element()), "elements[0] has no price component"),
        (
            tariff(element(energy="0.3"), element(Restrictions(time(7), time(22)), energy="0.4")),
            "elements[0] has no restrictions, so it must be the last (the fallback)",
        ),
        (
            tariff(
                element(Restrictions(time(7), time(12)), energy="0.4"),
                element(Restrictions(time(11), time(22), frozenset({"MONDAY"})), energy="0.5"),
            ),
            "elements[0] and elements[1] overlap in time",
        ),
        (
            tariff(
                element(Restrictions(time(22), time(6)), energy="0.2"),
                element(Restrictions(time(5), time(7), frozenset({"SUNDAY"})), energy="0.5"),
            ),
            "elements[0] and elements[1] overlap in time",
        ),
        (
            tariff(element(energy="0.3"), time_zone="Mars/Olympus"),
            "timeZone 'Mars/Olympus' is not an IANA time zone",
        ),
        (
            tariff(element(energy="0.3"), vat_percent=Decimal(120)),
            "vatRate is a percentage between 0 and 100",
        ),
        (
            tariff(element(energy="0.3"), min_price=Decimal(5), max_price=Decimal(2)),
            "minPrice is above maxPrice",
        ),
        (Tariff("t1", "QQQ", (element(energy="0.3"),)), "currency 'QQQ' is not an ISO 4217 currency code"),
    ],
)
def test_an_unusable_tariff_says_why(bad: Tariff, reason: str) -> None:
    assert reason in bad.problems()


def test_windows_that_only_touch_do_not_overlap() -> None:
    day = element(Restrictions(time(7), time(22)), energy="0.4")
    night = element(Restrictions(time(22), time(7)), energy="0.2")
    weekend = element(Restrictions(days_of_week=frozenset({"SATURDAY"})), energy="0.1")
    assert tariff(day, night).problems() == []
    assert "elements[0] and elements[2] overlap in time" in tariff(day, night, weekend).problems()


def test_json_round_trip() -> None:
    original = tariff(
        element(Restrictions(time(7), time(22), frozenset({"MONDAY", "FRIDAY"})), energy="0.35", flat="0.5"),
        element(energy="0.25", parking_time="6"),
        vat_percent=Decimal("20"),
        idle_grace_minutes=30,
        min_price=Decimal(1),
        time_zone="Europe/Paris",
        assigned=Assignment(sites=frozenset({"s1"})),
    )
    assert from_json(to_json(original)) == original


def test_a_bad_clock_is_refused_with_its_field() -> None:
    data = to_json(tariff(element(Restrictions(time(7), time(8)), energy="1"), element(energy="1")))
    data["elements"][0]["restrictions"]["startTime"] = "7h"
    with pytest.raises(ValueError, match=r"elements\[0\].restrictions.startTime must be HH:MM"):
        from_json(data)


# --- Which tariff applies -----------------------------------------------------------------


def test_the_most_specific_tariff_wins() -> None:
    default = Tariff("default", "EUR", (element(energy="0.5"),), assigned=Assignment(default=True))
    site = Tariff("site", "EUR", (element(energy="0.4"),), assigned=Assignment(sites=frozenset({"s1"})))
    here = Tariff(
        "cp", "EUR", (element(energy="0.3"),), assigned=Assignment(charge_points=frozenset({"CP1"}))
    )
    fleet = Tariff(
        "fleet", "EUR", (element(energy="0.2"),), assigned=Assignment(id_token_groups=frozenset({"G"}))
    )
    everything = [default, site, here, fleet]
    assert most_specific(everything, "CP1", "s1", "G") is fleet
    assert most_specific(everything, "CP1", "s1", None) is here
    assert most_specific(everything, "CP2", "s1", None) is site
    assert most_specific(everything, "CP2", "s2", "H") is default
    assert most_specific([site, here], "CP2", None, None) is None


# --- What a session costs -------------------------------------------------------------------


def test_a_session_across_the_evening_edge() -> None:
    """21:00 to 23:30 UTC: 10 kWh by day, 10 kWh by night, then idle for 30 minutes of
    which 10 are free; a 1 EUR fee and 20 % VAT."""
    t = tariff(
        element(Restrictions(time(7), time(22)), energy="0.30", flat="1"),
        element(energy="0.20", parking_time="6"),
        vat_percent=Decimal(20),
        idle_grace_minutes=10,
    )
    start = datetime(2026, 1, 5, 21, tzinfo=UTC)
    usage = Usage(
        start,
        start + timedelta(hours=2, minutes=30),
        ((start + timedelta(hours=1), 10_000.0), (start + timedelta(hours=2), 20_000.0)),
        0.0,
        20_000.0,
    )
    breakdown = breakdown_json(price(t, usage))
    assert breakdown["energy"] == 5.0  # 10 x 0.30 + 10 x 0.20
    assert breakdown["idle"] == 2.0  # 20 minutes at 6 an hour
    assert breakdown["fee"] == 1.0
    assert (breakdown["chargingSeconds"], breakdown["idleSeconds"]) == (7200, 1800)
    assert (breakdown["totalExclVat"], breakdown["tax"], breakdown["totalInclVat"]) == (8.0, 1.6, 9.6)
    assert breakdown["flags"] == []


def test_windows_are_read_in_the_tariffs_time_zone() -> None:
    """06:30 UTC is 07:30 in Paris in winter: the day price."""
    t = tariff(
        element(Restrictions(time(7), time(22)), energy="1"), element(energy="0"), time_zone="Europe/Paris"
    )
    start = datetime(2026, 1, 5, 6, 30, tzinfo=UTC)
    usage = Usage(start, start + timedelta(minutes=30), (), 0.0, 1000.0)
    assert price(t, usage).energy == Decimal("1.00")


def test_minimum_and_maximum_bound_the_price_before_tax() -> None:
    start = T0
    usage = Usage(start, start + timedelta(hours=1), (), 0.0, 1000.0)
    low = price(tariff(element(energy="0.30"), min_price=Decimal(2), vat_percent=Decimal(10)), usage)
    assert (low.total_excl_vat, low.adjustment, low.total_incl_vat) == (
        Decimal("2.00"),
        Decimal("1.70"),
        Decimal("2.20"),
    )
    high = price(tariff(element(energy="30"), max_price=Decimal(20)), usage)
    assert (high.total_excl_vat, high.adjustment) == (Decimal("20.00"), Decimal("-10.00"))


def test_missing_meter_values_are_flagged_not_invented() -> None:
    t = tariff(element(energy="0.30", time="2"))
    usage = Usage(T0, T0 + timedelta(hours=1), (), meter_start_wh=None, meter_stop_wh=None)
    cost = price(t, usage)
    assert cost.energy == 0 and cost.energy_wh == 0
    assert cost.time == Decimal("2.00")  # the time is known
    assert cost.flags == ["energyUnknown"]
    spread = price(t, Usage(T0, T0 + timedelta(hours=1), (), 0.0, 5000.0))
    assert spread.flags == ["energySpreadEvenly"]


def test_the_stations_charging_state_decides_idle_time() -> None:
    """2.x: SuspendedEV for the last 20 minutes, though the meter is read only at the ends."""
    t = tariff(element(energy="0", parking_time="3"))
    usage = Usage(
        T0,
        T0 + timedelta(hours=1),
        (),
        0.0,
        5000.0,
        charging_states=((T0, True), (T0 + timedelta(minutes=40), False)),
    )
    cost = price(t, usage)
    assert (cost.charging_seconds, cost.idle_seconds, cost.idle) == (2400, 1200, Decimal("1.00"))


# --- The property: the engine agrees with a minute-by-minute reckoning ------------------------


def oracle(t: Tariff, start: datetime, minutes: int, per_minute_wh: list[int]) -> Decimal:
    """Minute by minute: the element that applies at that minute, the energy of that minute,
    idle when none flowed; the grace period used up first; the fee at the start; then the
    bounds and the tax. Amounts rounded as the breakdown rounds them."""
    zone = ZoneInfo(t.time_zone)

    def applicable(kind: Dimension, at: datetime) -> Decimal:
        local = at.astimezone(zone)
        for e in t.elements:
            r = e.restrictions
            if e.price_of(kind) is None:
                continue
            if r is not None:
                if r.days_of_week and WEEKDAYS[local.weekday()] not in r.days_of_week:
                    continue
                m = local.hour * 60 + local.minute
                lo = r.start_time.hour * 60 + r.start_time.minute if r.start_time else 0
                hi = r.end_time.hour * 60 + r.end_time.minute if r.end_time else 1440
                inside = lo <= m < hi if lo < hi else (m >= lo or m < hi) if lo > hi else True
                if not inside:
                    continue
            return e.price_of(kind) or Decimal(0)
        return Decimal(0)

    energy = Decimal(0)
    charging_minutes: dict[Decimal, int] = {}  # minutes at each price, priced at the end
    idle_minutes: dict[Decimal, int] = {}
    grace = t.idle_grace_minutes
    for i in range(minutes):
        at = start + timedelta(minutes=i)
        wh = per_minute_wh[i]
        energy += wh * applicable(Dimension.ENERGY, at) / 1000
        if wh > 0:
            p = applicable(Dimension.TIME, at)
            charging_minutes[p] = charging_minutes.get(p, 0) + 1
        elif grace > 0:
            grace -= 1
        else:
            p = applicable(Dimension.PARKING_TIME, at)
            idle_minutes[p] = idle_minutes.get(p, 0) + 1
    time_cost = sum((p * n for p, n in charging_minutes.items()), Decimal(0)) / 60
    idle = sum((p * n for p, n in idle_minutes.items()), Decimal(0)) / 60
    fee = applicable(Dimension.FLAT, start)
    cents = Decimal("0.01")
    subtotal = sum((v.quantize(cents, "ROUND_HALF_UP") for v in (energy, time_cost, idle, fee)), Decimal(0))
    if t.min_price is not None and subtotal < t.min_price:
        subtotal = t.min_price.quantize(cents)
    if t.max_price is not None and subtotal > t.max_price:
        subtotal = t.max_price.quantize(cents)
    return subtotal + (subtotal * t.vat_percent / 100).quantize(cents, "ROUND_HALF_UP")


prices = st.decimals(min_value=0, max_value=5, places=2)
clock = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45]))


@st.composite
def tariffs(draw: st.DrawFn) -> Tariff:
    """Up to two windows that do not overlap (a day window and its complement, one of them
    perhaps on some weekdays only) and a fallback, with any of the four dimensions."""

    def components() -> tuple[PriceComponent, ...]:
        kinds = draw(st.lists(st.sampled_from(list(Dimension)), min_size=1, max_size=4, unique=True))
        return tuple(PriceComponent(k, draw(prices)) for k in kinds)

    a, b = draw(clock), draw(clock)
    elements = []
    if a != b and draw(st.booleans()):
        days = frozenset(draw(st.lists(st.sampled_from(WEEKDAYS), max_size=3, unique=True)))
        elements.append(TariffElement(components(), Restrictions(a, b, days)))
        if draw(st.booleans()):
            elements.append(TariffElement(components(), Restrictions(b, a, days)))
    elements.append(TariffElement(components()))
    low = draw(st.none() | prices)
    high = draw(st.none() | prices.map(lambda p: p * 10))
    if low is not None and high is not None and low > high:
        low, high = high, low
    return Tariff(
        "t",
        "EUR",
        tuple(elements),
        vat_percent=draw(st.sampled_from([Decimal(0), Decimal(7), Decimal("20"), Decimal("21.5")])),
        idle_grace_minutes=draw(st.integers(0, 90)),
        min_price=low,
        max_price=high,
        time_zone=draw(st.sampled_from(["UTC", "Europe/Amsterdam", "America/Los_Angeles", "Asia/Kolkata"])),
    )


@st.composite
def sessions(draw: st.DrawFn) -> tuple[datetime, int, list[int], list[int]]:
    """A start on a whole minute, then readings every few minutes: each interval delivers a
    whole number of Wh per minute or nothing (idle)."""
    start = T0 + timedelta(minutes=draw(st.integers(0, 14 * 24 * 60)))
    steps = draw(st.lists(st.integers(1, 240), min_size=1, max_size=12))
    rates = draw(
        st.lists(st.sampled_from([0, 0, 50, 120, 183, 366]), min_size=len(steps), max_size=len(steps))
    )
    return start, sum(steps), steps, rates


@settings(max_examples=300, deadline=None)
@given(tariffs(), sessions())
@example(
    # 141 billable idle minutes at 1.30 an hour: exactly 3.055, which rounds up to 3.06.
    Tariff(
        "t",
        "EUR",
        (TariffElement((PriceComponent(Dimension.PARKING_TIME, Decimal("1.30")),)),),
        idle_grace_minutes=1,
    ),
    (T0, 143, [1, 134, 1, 2, 5], [0, 0, 50, 0, 0]),
)
def test_the_cost_is_the_tariff_applied_to_the_metered_energy_and_times(
    t: Tariff, session: tuple[datetime, int, list[int], list[int]]
) -> None:
    assert t.problems() == []
    start, minutes, steps, rates = session
    readings, per_minute, at, register = [], [], start, 10_000
    for step, rate in zip(steps, rates, strict=True):
        at += timedelta(minutes=step)
        register += step * rate
        readings.append((at, float(register)))
        per_minute += [rate] * step
    usage = Usage(start, start + timedelta(minutes=minutes), tuple(readings), 10_000.0, float(register))
    assert price(t, usage).total_incl_vat == oracle(t, start, minutes, per_minute)
    exact = cost_of(t, usage)
    assert exact.energy_wh == register - 10_000
    assert exact.charging_s + exact.idle_s == minutes * 60
