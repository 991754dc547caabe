"""The cost model's tables, as `make cost` prints them and the README carries them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from local.cost.model import (
    COMPONENTS,
    FLEETS,
    PROFILES,
    VERSIONS,
    Measured,
    Model,
    Profile,
    load_prices,
    merge,
    per_charge_point_dimensions,
    stack_of,
)

TYPICAL = (PROFILES[0], "2.x", 10_000)  # the charge point the target is set for
TARGET = 0.035
MEMORIES = (128, 256, 384, 512, 768, 1024, 1769)
COLD_START_S = 1.5  # a charge point waits 30 s or more for an answer; a person, not that long
HEADROOM = 1.5


def dollars(value: float) -> str:
    return f"${value:.4f}"


def render(
    usage: Mapping[str, Any],
    template: Mapping[str, Any],
    imports_s: Mapping[str, float],
    footprints: Mapping[str, float],
) -> str:
    prices = load_prices()
    measured = Measured.of(usage)
    model = Model(measured, stack_of(template), prices, imports_s)
    invocations = sum(u.invocations for u in measured.units.values())
    lines = [
        f"Cost per charge point-month at {prices['region']} list prices of {prices['date']} "
        "(local/cost/prices.toml)",
        f"From {invocations:,} invocations of {len(measured.units)} kinds counted in a local run; "
        "a station's month as in each profile.",
        "",
    ]
    for profile in PROFILES:
        for version in VERSIONS:
            lines += _detail(model, profile, version)
    lines += _summary(model)
    lines += _levers(model)
    lines += _memory(model, footprints)
    lines += _checks(model)
    lines += _units(measured)
    return "\n".join(lines)


def _row(label: str, values: list[str], width: int = 40) -> str:
    return f"{label:<{width}}" + "".join(f"{v:>11}" for v in values)


def _detail(model: Model, profile: Profile, version: str) -> list[str]:
    bills = [model.bill(profile, version, n).at(n) for n in FLEETS]
    lines = [
        f"{profile.name}, OCPP {version}: {profile.description}",
        _row("charge points", [f"{n:,}" for n in FLEETS]),
    ]
    for component in COMPONENTS:
        lines.append(_row(component, [dollars(b[component]) for b in bills]))
    lines.append(_row("total", [dollars(sum(b.values())) for b in bills]))
    lines.append(_row("floor (connection minutes alone)", [dollars(model.floor())] * len(FLEETS)))
    return [*lines, ""]


def _summary(model: Model) -> list[str]:
    lines = ["Total per charge point-month", _row("profile, OCPP", [f"{n:,}" for n in FLEETS])]
    for profile in PROFILES:
        for version in VERSIONS:
            totals = [model.bill(profile, version, n).total(n) for n in FLEETS]
            lines.append(_row(f"{profile.name}, {version}", [dollars(t) for t in totals]))
    profile, version, stations = TYPICAL
    typical = model.bill(profile, version, stations).total(stations)
    verdict = "within" if typical <= TARGET else "OVER"
    lines.append(
        f"Typical ({profile.name}, {version}, {stations:,} stations): {dollars(typical)}, "
        f"{verdict} the target of {dollars(TARGET)}."
    )
    return [*lines, ""]


def _levers(model: Model) -> list[str]:
    """What an operator can change, each alone, for the typical charge point."""
    profile, version, stations = TYPICAL
    base = model.bill(profile, version, stations).total(stations)

    def quiet_with(**changes: Any) -> float:
        return model.bill(replace(profile, **changes), version, stations).total(stations)

    def stack_with(change: Any) -> float:
        functions = {name: change(config) for name, config in model.stack.functions.items()}
        return model.with_stack(functions=functions).bill(profile, version, stations).total(stations)

    levers = [
        ("heartbeat every 300 s (CSMS_HEARTBEAT_INTERVAL)", quiet_with(heartbeat_s=300)),
        ("meter values every 60 s (the station's setting)", quiet_with(meter_interval_s=60)),
        ("meter values every 900 s", quiet_with(meter_interval_s=900)),
        ("log level WARNING (logLevel context)", stack_with(lambda c: replace(c, log_level="WARNING"))),
        ("Lambda's START/REPORT records kept", stack_with(lambda c: replace(c, platform_logs=True))),
        ("every function traced by X-Ray", stack_with(lambda c: replace(c, traced=True))),
        ("no dashboard", model.with_stack(dashboards=0).bill(profile, version, stations).total(stations)),
    ]
    lines = [
        f"Levers, each alone, for the typical charge point ({dollars(base)} as deployed)",
    ]
    for label, total in levers:
        lines.append(f"  {label:<56}{dollars(total):>10}{total - base:>+11.4f}")
    return [*lines, ""]


def chosen_memory(model: Model, name: str, footprint_mb: float) -> int | None:
    """The rule of decision 0027: the smallest size whose cold-start import, at its CPU share,
    stays within COLD_START_S, and that holds the function with HEADROOM to spare."""
    seconds = model.imports_s.get(name)
    if seconds is None:
        return None
    for memory in MEMORIES:
        if seconds * model.cpu_scale(memory) <= COLD_START_S and memory >= footprint_mb * HEADROOM:
            return memory
    return MEMORIES[-1]


def _memory(model: Model, footprints: Mapping[str, float]) -> list[str]:
    """Every function at several memory sizes: the mean warm invocation of the run, the cold
    start (the import at that CPU share), the dollars; and the size the rule picks."""
    lines = [
        "Memory: warm ms (mean invocation in the run) / cold-start import ms / $ per million invocations",
        f"{'function':<20}{'MB now':>7}{'rule':>6}{'peak MB':>8}"
        + "".join(f"{f'{m} MB':>16}" for m in MEMORIES),
    ]
    price = model.prices["lambda"]
    for name, config in sorted(model.stack.functions.items()):
        units = [u for kind, u in model.measured.units.items() if _function_of(kind) == name]
        unit = merge(units) if units else None
        cells = []
        for memory in MEMORIES:
            cold = model.imports_s.get(name, 0.0) * 1000 * model.cpu_scale(memory)
            if unit is None:
                cells.append(f"-/{cold:.0f}/-")
                continue
            warm = model.duration_ms(unit, memory)
            per_million = 1e6 * (price["request"] + warm / 1000 * memory / 1024 * price["gb_second"])
            cells.append(f"{warm:.0f}/{cold:.0f}/{per_million:.2f}")
        footprint = footprints.get(name, 0.0)
        rule = chosen_memory(model, name, footprint)
        lines.append(
            f"{name:<20}{config.memory_mb:>7}{rule or '-':>6}{footprint:>8.0f}"
            + "".join(f"{c:>16}" for c in cells)
        )
    lines.append(
        f"The rule: the smallest size whose cold-start import is within {COLD_START_S:g} s at its CPU "
        f"share and that holds the function's peak with {HEADROOM:g} times to spare."
    )
    lines += _snapstart(model)
    return [*lines, ""]


def _snapstart(model: Model) -> list[str]:
    """SnapStart keeps a snapshot (billed by the second, per GB) and bills each restore; it
    pays only if the INIT phases it saves cost more."""
    price = model.prices["lambda"]
    lines = []
    for name in ("ocpp-router",):
        config = model.stack.function(name)
        gb = config.memory_mb / 1024
        cache = price["snapstart_cache_gb_second"] * gb * 30.4375 * 86400
        init = model.imports_s.get(name, 0.0) * model.cpu_scale(config.memory_mb)
        billed_init = 1000 * init * gb * price["gb_second"]
        restore = 1000 * price["snapstart_restore_gb"] * gb
        lines.append(
            f"SnapStart for {name}: {dollars(cache)} a month per published version kept; a thousand "
            f"cold starts would cost {dollars(restore)} in restores against {dollars(billed_init)} "
            f"for the INIT phases they replace ({init * 1000:.0f} ms each at {config.memory_mb} MB)."
        )
    return lines


def _checks(model: Model) -> list[str]:
    flagged = per_charge_point_dimensions(model.measured.metrics)
    names = sorted({name for name, _ in model.measured.metrics})
    lines = [
        f"Custom metrics seen: {len(model.measured.metrics)} ({', '.join(names)}); "
        f"alarms {model.stack.alarms}, dashboards {model.stack.dashboards}.",
        "No metric has a dimension but the service."
        if not flagged
        else "Metrics with more dimensions than the service: " + "; ".join(flagged),
    ]
    return [*lines, ""]


def _units(measured: Measured) -> list[str]:
    lines = [
        "Measured, per invocation (CPU outside AWS calls; DynamoDB units with index writes)",
        f"{'kind':<40}{'count':>7}{'CPU ms':>8}{'RRU':>7}{'WRU':>7}{'events':>8}{'log B':>8}{'out B':>7}",
    ]
    for kind, u in sorted(measured.units.items()):
        lines.append(
            f"{kind:<40}{u.invocations:>7}{u.cpu_ms:>8.2f}{u.read_units:>7.2f}{u.write_units:>7.2f}"
            f"{u.events:>8.2f}{u.logged('INFO'):>8.0f}{u.bytes_out:>7.0f}"
        )
    return lines


def _function_of(kind: str) -> str:
    """Router kinds start with the OCPP version; every other kind is a function's name."""
    return "ocpp-router" if kind[:1].isdigit() else kind
