"""Dollars per charge point-month, from what the local runtime counted (local/runtime/usage.py), the
stack as synthesized, list prices (prices.toml) and a station's month (a `Profile`).

What one invocation of each kind uses is measured; how many of each kind a station sends in a
month is the profile's; the stack says each function's memory, tracing and log levels, its
alarms and dashboards and its access log format. Decision 0027 gives the reasons.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PRICES = Path(__file__).with_name("prices.toml")
MONTH_S = 30.4375 * 86400
MONTH_MINUTES = MONTH_S / 60
GB = 1024**3
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# Lambda's own records per invocation with the JSON log format at system level INFO or DEBUG
# (platform.start and platform.report, as AWS documents their shape); none at WARN.
PLATFORM_LOG_BYTES = 560
# What API Gateway puts in place of each $context variable, at a typical length.
ACCESS_LOG_SAMPLE = {
    "$context.requestId": "b1a2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    "$context.connectionId": "L0SM9cOFvHcCIhw=",
    "$context.routeKey": "$default",
    "$context.eventType": "MESSAGE",
    "$context.status": "200",
    "$context.identity.sourceIp": "203.0.113.17",
    "$context.requestTime": "02/Dec/2026:15:46:07 +0000",
    "$context.requestTimeEpoch": "1796226367123",
    "$context.error.message": "-",
    "$context.authorizer.error": "-",
    "$context.integration.error": "-",
}
FLEETS = (100, 1_000, 10_000, 100_000)
COMPONENTS = (
    "WebSocket messages",
    "WebSocket connection minutes",
    "Lambda requests",
    "Lambda duration",
    "Lambda cold starts",
    "DynamoDB reads and writes",
    "DynamoDB storage and PITR",
    "EventBridge events",
    "CloudWatch Logs",
    "CloudWatch metrics, alarms, dashboard",
    "X-Ray traces",
    "CloudFront",
    "Schedules",
    "Secrets Manager",
    "Exports (Firehose, S3)",
)


def load_prices(path: Path = PRICES) -> dict[str, Any]:
    return tomllib.loads(path.read_text())


# --- What was measured -------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """What one invocation of a kind uses, on average over the run."""

    invocations: int
    cpu_ms: float
    calls: Mapping[str, float]
    read_units: float
    write_units: float
    stored_bytes: float
    events: float
    messages_in: float
    bytes_in: float
    messages_out: float
    bytes_out: float
    log_bytes: Mapping[str, float]
    metric_bytes: float

    @classmethod
    def of(cls, tally: Mapping[str, Any]) -> Unit:
        """Per invocation, from a kind's tally (local/runtime/usage.py): CPU seconds become milliseconds."""
        n = tally["invocations"] or 1
        per: dict[str, Any] = {"invocations": tally["invocations"]}
        for f in fields(cls):
            if f.name == "invocations":
                continue
            value = tally["cpu_s" if f.name == "cpu_ms" else f.name]
            if f.name == "cpu_ms":
                per[f.name] = max(0.0, value) * 1000 / n
            elif isinstance(value, Mapping):
                per[f.name] = {k: v / n for k, v in value.items()}
            else:
                per[f.name] = value / n
        return cls(**per)

    def logged(self, level: str) -> float:
        """Application log bytes at a level and above."""
        kept = LEVELS[LEVELS.index(level) :]
        return sum(b for lvl, b in self.log_bytes.items() if lvl in kept)


@dataclass(frozen=True)
class Measured:
    units: dict[str, Unit]
    metrics: list[tuple[str, dict[str, str]]]

    @classmethod
    def of(cls, usage: Mapping[str, Any]) -> Measured:
        return cls(
            {kind: Unit.of(tally) for kind, tally in usage["kinds"].items()},
            [(name, dims) for name, dims in usage["metrics"]],
        )

    def frame(self, versions: Iterable[str], kind: str) -> Unit:
        """A frame's unit over the versions given, weighted by how often each was seen."""
        seen = [self.units[f"{v} {kind}"] for v in versions if f"{v} {kind}" in self.units]
        if not seen:
            raise KeyError(f"{kind} for OCPP {'/'.join(versions)} was not seen in the run")
        return merge(seen)

    def function(self, name: str) -> Unit | None:
        return self.units.get(name)


def merge(units: list[Unit]) -> Unit:
    """The units of several kinds as one, each figure weighted by how often its kind was seen."""
    total = sum(u.invocations for u in units) or 1

    def mean(values: list[float]) -> float:
        return float(sum(v * u.invocations for v, u in zip(values, units, strict=True)) / total)

    merged: dict[str, Any] = {"invocations": total}
    for f in fields(Unit):
        if f.name == "invocations":
            continue
        values = [getattr(u, f.name) for u in units]
        if isinstance(values[0], Mapping):
            keys = {k for v in values for k in v}
            merged[f.name] = {k: mean([v.get(k, 0.0) for v in values]) for k in keys}
        else:
            merged[f.name] = mean(values)
    return Unit(**merged)


# --- What the stack says -----------------------------------------------------------------


@dataclass(frozen=True)
class FunctionConfig:
    memory_mb: int
    traced: bool
    log_level: str  # the application's (POWERTOOLS_LOG_LEVEL)
    platform_logs: bool  # Lambda's START/REPORT records (system log level INFO or DEBUG)


@dataclass(frozen=True)
class Stack:
    functions: dict[str, FunctionConfig]  # by handler module's function name (manifest name)
    alarms: int
    dashboards: int
    secrets: int
    access_log_bytes: int  # one WebSocket access log line
    schedules: dict[str, float]  # function name -> runs a month
    # function name -> the domain events its rule on the bus passes to it, and whether only
    # those of charge points on a site
    reactions: dict[str, tuple[frozenset[str], bool]] = field(default_factory=dict)
    # Firehose streams, each fed by a rule on the bus: the domain events each takes
    exports: list[frozenset[str]] = field(default_factory=list)

    def function(self, name: str) -> FunctionConfig:
        return self.functions[name]


def access_log_line(log_format: str) -> int:
    fields = json.loads(log_format)
    return len(json.dumps({k: ACCESS_LOG_SAMPLE.get(v, v) for k, v in fields.items()}).encode()) + 1


def stack_of(template: Mapping[str, Any]) -> Stack:
    """The figures the model needs from a synthesized template."""
    from shared.manifest import ALL_FUNCTIONS, SCHEDULES

    resources = template["Resources"].values()
    by_handler = {spec.handler: spec.name for spec in ALL_FUNCTIONS}
    functions: dict[str, FunctionConfig] = {}
    for resource in resources:
        if resource["Type"] != "AWS::Lambda::Function":
            continue
        props = resource["Properties"]
        name = by_handler.get(props.get("Handler", ""))
        if name is None:
            continue
        logging_config = props.get("LoggingConfig", {})
        variables = props.get("Environment", {}).get("Variables", {})
        functions[name] = FunctionConfig(
            memory_mb=int(props.get("MemorySize", 128)),
            traced=props.get("TracingConfig", {}).get("Mode") == "Active",
            log_level=str(variables.get("POWERTOOLS_LOG_LEVEL", "INFO")),
            platform_logs=logging_config.get("SystemLogLevel", "INFO") in ("INFO", "DEBUG"),
        )
    stages = [
        r["Properties"]
        for r in resources
        if r["Type"] == "AWS::ApiGatewayV2::Stage" and "AccessLogSettings" in r["Properties"]
    ]
    websocket = [s for s in stages if "$context.connectionId" in s["AccessLogSettings"]["Format"]]
    by_arn = {
        logical: by_handler.get(r["Properties"].get("Handler", ""))
        for logical, r in template["Resources"].items()
        if r["Type"] == "AWS::Lambda::Function"
    }
    reactions: dict[str, tuple[frozenset[str], bool]] = {}
    streams = {
        n for n, r in template["Resources"].items() if r["Type"] == "AWS::KinesisFirehose::DeliveryStream"
    }
    exports: list[frozenset[str]] = []
    for resource in resources:
        pattern = (
            resource["Properties"].get("EventPattern") if resource["Type"] == "AWS::Events::Rule" else None
        )
        if not pattern:
            continue
        for target in resource["Properties"].get("Targets", []):
            if target.get("Arn", {}).get("Fn::GetAtt", [""])[0] in streams:
                exports.append(frozenset(pattern.get("detail-type", [])))
            name = by_arn.get(target.get("Arn", {}).get("Fn::GetAtt", [""])[0])
            if name is not None:
                on_site = "siteId" in pattern.get("detail", {})
                reactions[name] = (frozenset(pattern.get("detail-type", [])), on_site)
    return Stack(
        functions=functions,
        alarms=sum(1 for r in resources if r["Type"] == "AWS::CloudWatch::Alarm"),
        dashboards=sum(1 for r in resources if r["Type"] == "AWS::CloudWatch::Dashboard"),
        # ...and the CSMS's CA, which the functions make on first use rather than the template.
        secrets=sum(1 for r in resources if r["Type"] == "AWS::SecretsManager::Secret")
        + any(
            "secretsmanager:CreateSecret" in json.dumps(r)
            for r in resources
            if r["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")  # CDK's overflow
        ),
        access_log_bytes=access_log_line(websocket[0]["AccessLogSettings"]["Format"]) if websocket else 0,
        schedules={s.function.name: MONTH_MINUTES / s.rate_minutes for s in SCHEDULES},
        reactions=reactions,
        exports=exports,
    )


# --- A station's month -------------------------------------------------------------------


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    connectors: int = 2
    sessions_a_day: float = 1.0  # per connector
    session_minutes: float = 120
    meter_interval_s: float = 300
    heartbeat_s: float = 300
    connection_minutes: float = 100  # renewed between 90 and 110 minutes (decision 0026)
    boots_a_month: float = 1
    on_site: bool = False  # behind a site's limit (decision 0024)

    def sessions(self) -> float:
        return self.connectors * self.sessions_a_day * MONTH_S / 86400

    def events(self, version: str) -> dict[str, float]:
        """The domain events a month that functions react to: each status a station reports is
        a connector's change."""
        sessions = self.sessions()
        return {
            "SessionStarted": sessions,
            "SessionEnded": sessions,
            "ChargePointBooted": self.boots_a_month,
            "ConnectorStatusChanged": self.frames(version)["StatusNotification"],
        }

    def frames(self, version: str) -> dict[str, float]:
        """Frames a station sends in a month, by kind: each is answered with one message."""
        sessions = self.sessions()
        readings = self.session_minutes * 60 / self.meter_interval_s
        boot_statuses = self.boots_a_month * (self.connectors + (1 if version == "1.6" else 0))
        frames = {"Heartbeat": MONTH_S / self.heartbeat_s, "BootNotification": self.boots_a_month}
        if version == "1.6":
            frames |= {
                "Authorize": sessions,
                "StartTransaction": sessions,
                "MeterValues": sessions * readings,
                "StopTransaction": sessions,
                # Preparing, Charging, Finishing, Available
                "StatusNotification": sessions * 4 + boot_statuses,
            }
        else:
            frames |= {
                "Authorize": sessions,
                "TransactionEvent Started": sessions,
                # the readings, and the charging state's change when the EV starts drawing
                "TransactionEvent Updated": sessions * (readings + 1),
                "TransactionEvent Ended": sessions,
                "StatusNotification": sessions * 2 + boot_statuses,  # Occupied, Available
            }
        return frames

    def connections(self) -> float:
        return MONTH_MINUTES / self.connection_minutes


PROFILES = (
    Profile(
        "quiet",
        "a destination AC site: 2 connectors, 1 session of 2 h a connector a day, "
        "meter values every 300 s, a heartbeat every 540 s",
        sessions_a_day=1,
        session_minutes=120,
        meter_interval_s=300,
        heartbeat_s=540,
    ),
    Profile(
        "busy",
        "a busy public site: 2 connectors, 8 sessions of 45 min a connector a day, "
        "meter values every 60 s, a heartbeat every 540 s",
        sessions_a_day=8,
        session_minutes=45,
        meter_interval_s=60,
        heartbeat_s=540,
    ),
)
VERSIONS = {"1.6": ("1.6",), "2.x": ("2.0.1", "2.1")}


# --- Pricing -----------------------------------------------------------------------------


@dataclass
class Bill:
    """Dollars a month: per station (what scales with the fleet) and in all (what does not)."""

    per_station: dict[str, float] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 0.0))
    fixed: dict[str, float] = field(default_factory=lambda: dict.fromkeys(COMPONENTS, 0.0))

    def at(self, stations: int) -> dict[str, float]:
        return {c: self.per_station[c] + self.fixed[c] / stations for c in COMPONENTS}

    def total(self, stations: int) -> float:
        return sum(self.at(stations).values())


class Model:
    def __init__(
        self,
        measured: Measured,
        stack: Stack,
        prices: Mapping[str, Any],
        imports_s: Mapping[str, float] | None = None,
    ) -> None:
        self.measured = measured
        self.stack = stack
        self.prices = prices
        self.imports_s = imports_s or {}
        self.assume = prices["assumptions"]

    # Lambda time

    def cpu_scale(self, memory_mb: int) -> float:
        return float(self.assume["cpu_speed_factor"]) * max(1.0, self.assume["full_vcpu_mb"] / memory_mb)

    def duration_ms(self, unit: Unit, memory_mb: int) -> float:
        """Billed milliseconds: the CPU at this memory's share, the round trips waited for."""
        waited = sum(n * float(self.assume.get(f"{service}_ms", 10)) for service, n in unit.calls.items())
        return float(math.ceil(unit.cpu_ms * self.cpu_scale(memory_mb) + waited))

    def invocation(self, function: str, unit: Unit, memory_mb: int | None = None) -> dict[str, float]:
        """One invocation's dollars by component (access logs and CloudFront are the gateway's)."""
        config = self.stack.function(function)
        memory = memory_mb or config.memory_mb
        p = self.prices
        logs = unit.logged(config.log_level) + unit.metric_bytes
        logs += PLATFORM_LOG_BYTES if config.platform_logs else 0
        return {
            "Lambda requests": p["lambda"]["request"],
            "Lambda duration": self.duration_ms(unit, memory)
            / 1000
            * memory
            / 1024
            * p["lambda"]["gb_second"],
            "DynamoDB reads and writes": unit.read_units * p["dynamodb"]["read_unit"]
            + unit.write_units * p["dynamodb"]["write_unit"],
            "DynamoDB storage and PITR": unit.stored_bytes
            / GB
            * self.assume["storage_months"]
            * (p["dynamodb"]["storage_gb_month"] + p["dynamodb"]["pitr_gb_month"]),
            "EventBridge events": unit.events * p["eventbridge"]["event"],
            "CloudWatch Logs": self._log_dollars(logs),
        }

    def _log_dollars(self, size: float) -> float:
        cw = self.prices["cloudwatch"]
        return size / GB * (cw["log_ingestion_gb"] + cw["log_storage_gb_month"])

    def traced(self, invocations_a_month: float) -> float:
        reservoir = self.assume["xray_reservoir_per_s"] * MONTH_S
        return min(invocations_a_month, reservoir) + self.assume["xray_rate"] * max(
            0.0, invocations_a_month - reservoir
        )

    def cold_starts(self, function: str, invocations_a_month: float, unit: Unit) -> float:
        """Dollars a month of INIT phases: each environment's import, once per environment life."""
        seconds = self.imports_s.get(function)
        if seconds is None:
            return 0.0
        config = self.stack.function(function)
        busy = invocations_a_month / MONTH_S * self.duration_ms(unit, config.memory_mb) / 1000
        environments = max(1, math.ceil(busy))
        starts = environments * MONTH_S / 3600 / self.assume["environment_hours"]
        init_s = seconds * self.cpu_scale(config.memory_mb)
        return starts * init_s * config.memory_mb / 1024 * self.prices["lambda"]["gb_second"]

    # A fleet's month

    def bill(self, profile: Profile, version: str, stations: int) -> Bill:
        """What a fleet of `stations` like the profile costs a month, component by component.
        Functions invoked per station scale; the schedules, metrics, alarms and dashboards do
        not; cold starts and X-Ray's reservoir depend on the fleet's size."""
        p = self.prices
        bill = Bill()
        versions = VERSIONS[version]
        counts: dict[str, float] = {}  # invocations a month, per station, by function
        units: dict[str, Unit] = {}

        def add(function: str, unit: Unit, n: float) -> None:
            for component, dollars in self.invocation(function, unit, None).items():
                bill.per_station[component] += n * dollars
            counts[function] = counts.get(function, 0.0) + n
            units.setdefault(function, unit)

        gateway = self.prices["api_gateway_websocket"]
        cloudfront = p["cloudfront"]
        for kind, n in profile.frames(version).items():
            unit = self.measured.frame(versions, kind)
            add("ocpp-router", unit, n)
            bill.per_station["WebSocket messages"] += (
                n * (unit.messages_in + unit.messages_out) * gateway["message"]
            )
            bill.per_station["CloudWatch Logs"] += n * self._log_dollars(self.stack.access_log_bytes)
            bill.per_station["CloudFront"] += n * (
                unit.bytes_out / GB * cloudfront["transfer_out_gb"]
                + unit.bytes_in / GB * cloudfront["transfer_to_origin_gb"]
            )
        connections = profile.connections()
        for function in ("authorizer", "connect", "disconnect"):
            unit = self.measured.function(function)
            if unit is None:
                raise KeyError(f"{function} was not seen in the run")
            add(function, unit, connections)
        # $connect and $disconnect each write an access log line; the handshake is a request.
        bill.per_station["CloudWatch Logs"] += (
            2 * connections * self._log_dollars(self.stack.access_log_bytes)
        )
        # The handshake is a request at the edge, and runs its viewer-request function once.
        bill.per_station["CloudFront"] += connections * (cloudfront["https_request"] + cloudfront["function"])
        bill.per_station["WebSocket connection minutes"] = MONTH_MINUTES * gateway["connection_minute"]

        events = profile.events(version)
        for function, (detail_types, on_site_only) in self.stack.reactions.items():
            unit = self.measured.function(function)
            if unit is None or (on_site_only and not profile.on_site):
                continue
            add(function, unit, sum(n for event, n in events.items() if event in detail_types))

        # Exports: Firehose bills each record rounded up to 5 KB, and its buffer puts an object
        # in S3 every five minutes at most, whatever the fleet's size.
        firehose = p["firehose"]
        for detail_types in self.stack.exports:
            records = sum(n for event, n in events.items() if event in detail_types)
            bill.per_station["Exports (Firehose, S3)"] += (
                records * firehose["record_kb"] / 2**20 * firehose["ingestion_gb"]
            )
            bill.fixed["Exports (Firehose, S3)"] += MONTH_MINUTES / 5 * p["s3"]["put"]

        for function, runs in self.stack.schedules.items():
            unit = self.measured.function(function) or _IDLE
            for dollars in self.invocation(function, unit).values():
                bill.fixed["Schedules"] += runs * dollars
            counts[function] = counts.get(function, 0.0) + runs / stations
            units.setdefault(function, unit)

        for function, per_station in counts.items():
            total = per_station * stations
            bill.fixed["Lambda cold starts"] += self.cold_starts(function, total, units[function])
            if self.stack.function(function).traced:
                bill.fixed["X-Ray traces"] += self.traced(total) * p["xray"]["trace_recorded"]
        cw = p["cloudwatch"]
        bill.fixed["CloudWatch metrics, alarms, dashboard"] = (
            len(self.measured.metrics) * cw["metric_month"]
            + self.stack.alarms * cw["alarm_month"]
            + self.stack.dashboards * cw["dashboard_month"]
        )
        bill.fixed["Secrets Manager"] = self.stack.secrets * p["secrets_manager"]["secret_month"]
        return bill

    def floor(self) -> float:
        """Connection minutes alone: what a station costs however lean the rest is."""
        return MONTH_MINUTES * self.prices["api_gateway_websocket"]["connection_minute"]

    def with_stack(self, **changes: Any) -> Model:
        return Model(self.measured, replace(self.stack, **changes), self.prices, self.imports_s)


_IDLE = Unit(0, 1.0, {}, 0, 0, 0, 0, 0, 0, 0, 0, {}, 0)  # a schedule the run never saw


def per_charge_point_dimensions(metrics: Iterable[tuple[str, Mapping[str, str]]]) -> list[str]:
    """Metrics with a dimension other than the service: each value would be a metric of its own,
    and one per charge point would cost 0.30 a month for each."""
    return sorted({f"{name} by {', '.join(sorted(d))}" for name, d in metrics if set(d) - {"service"}})
