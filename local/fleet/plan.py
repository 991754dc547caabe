"""What each simulated station will do, drawn from a seed before anything runs.

Every connector and every station's network gets its own random stream, named by the seed and
the station's place in the fleet (not its id, which carries a per-run prefix), so a plan does
not depend on how the CSMS's answers interleave: the same seed gives the same sessions, cards,
faults and outages on every run.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

VERSIONS = ("1.5", "1.6", "2.0", "2.0.1", "2.1")
# The older versions in small shares: 1.5 (SOAP) and 2.0 stations are still in the field. Chaos
# keeps to the WebSocket versions, whose faults docs/faults.md checks.
DEFAULT_MIX = "1.5=0.5,1.6=1,2.0=0.5,2.0.1=1,2.1=1"
WEBSOCKET_MIX = "1.6=1,2.0.1=1,2.1=1"
# Versions with no security profiles in the fleet: 1.5 has none (it is SOAP over HTTP), and the
# fleet's 2.0 stations keep to the messages that charge and obey.
UNSECURED = frozenset({"1.5", "2.0"})
CONNECTOR_POWERS_KW = (7.4, 11.0, 22.0, 50.0)


@dataclass(frozen=True)
class Life:
    """The pace of a station's life. The defaults are a busy public site; `demo` shortens them."""

    meter_interval_s: float = 10.0
    session_s: tuple[float, float] = (120.0, 600.0)
    idle_s: tuple[float, float] = (10.0, 120.0)
    fault_chance: float = 0.03  # per idle period: the connector reports Faulted for a while
    fault_s: tuple[float, float] = (5.0, 20.0)
    unknown_tag_chance: float = 0.02  # a driver presents a card the CSMS does not know
    offline_every_s: float = 900.0  # mean time between network outages; 0: never
    offline_s: tuple[float, float] = (10.0, 45.0)
    call_timeout_s: float = 30.0
    # Shares of firmware updates (failing to download or to install) and of log uploads that
    # fail on purpose, drawn per attempt from the seed.
    firmware_failure_chance: float = 0.0
    upload_failure_chance: float = 0.0


@dataclass(frozen=True)
class StationSpec:
    id: str
    version: str
    connectors: int = 1
    password: str | None = None
    index: int = 0  # its place in the fleet: names its random streams
    # Registered at security profile 2 (a password over wss://); it asks the CSMS for a
    # certificate (SignCertificate) and is moved to profile 3, where the certificate admits it.
    secure: bool = False

    @property
    def stream(self) -> str:
        return f"station-{self.index}"


@dataclass(frozen=True)
class SessionPlan:
    idle_s: float  # before the driver plugs in
    fault_s: float  # 0: no fault in this idle period
    tag: str
    known_tag: bool
    duration_s: float  # the driver leaves then
    power_kw: float  # the most the EV (and the connector) draws
    wanted_wh: float = float("inf")  # the EV is full after this much
    tells_needs: bool = False  # an ISO 15118 EV: says what it needs and when it leaves (2.x)


@dataclass(frozen=True)
class Outage:
    after_s: float  # online this long
    lasts_s: float


def tag_name(prefix: str, index: int) -> str:
    return f"{prefix}-{index:04d}"  # short: OCPP 1.6 allows an idTag 20 characters


def tags_of(prefix: str, count: int) -> list[str]:
    """The cards the operator has issued: the fleet registers them before it starts."""
    return [tag_name(prefix, i) for i in range(count)]


def _uniform(rng: random.Random, bounds: tuple[float, float]) -> float:
    return rng.uniform(*bounds)


def busy_share(life: Life) -> float:
    """The share of its time a connector charges, in the long run."""
    session, idle = sum(life.session_s) / 2, sum(life.idle_s) / 2
    return session / (session + idle)


def sessions(seed: int, station: str, connector: int, life: Life, tags: list[str]) -> Iterator[SessionPlan]:
    """The endless sequence of sessions one connector sees. The first finds the connector as a
    network long in service would: a driver already there (for the share of its time a
    connector charges), with some of the session left, or else some way into the wait for the
    next. So a fleet keeps its steady pace from the first minute, however long its drivers
    take to come, instead of waiting for every connector's first driver."""
    rng = random.Random(f"{seed}/{station}/{connector}")
    ev = random.Random(f"{seed}/{station}/{connector}/ev")  # its own stream: the rest stays as it was
    power = rng.choice(CONNECTOR_POWERS_KW)
    opening = True
    while True:
        known = rng.random() >= life.unknown_tag_chance
        tag = rng.choice(tags) if known else f"UNKNOWN{rng.getrandbits(48):012X}"  # 1.6 allows 20 characters
        fault = _uniform(rng, life.fault_s) if rng.random() < life.fault_chance else 0.0
        idle_s, duration_s = _uniform(rng, life.idle_s), _uniform(rng, life.session_s)
        if opening:
            opening = False
            if rng.random() < busy_share(life):
                idle_s, duration_s, fault = 0.0, duration_s * rng.random(), 0.0
            else:
                idle_s *= rng.random()
        # Some EVs are full before the driver comes back, some leave before they are.
        wanted_wh = power * 1000 * duration_s / 3600 * ev.uniform(0.5, 1.2)
        yield SessionPlan(
            idle_s=idle_s,
            fault_s=fault,
            tag=tag,
            known_tag=known,
            duration_s=duration_s,
            power_kw=power,
            wanted_wh=wanted_wh,
            tells_needs=ev.random() < 0.5,
        )


def outages(seed: int, station: str, life: Life) -> Iterator[Outage]:
    """When the station's network drops, and for how long: exponential gaps around the mean."""
    if life.offline_every_s <= 0:
        return
    rng = random.Random(f"{seed}/{station}/network")
    while True:
        yield Outage(after_s=rng.expovariate(1 / life.offline_every_s), lasts_s=_uniform(rng, life.offline_s))


def meter_start(seed: int, station: str, connector: int) -> int:
    """The register a connector's meter shows when the simulation begins, in Wh."""
    return random.Random(f"{seed}/{station}/{connector}/meter").randrange(0, 5_000_000)


def parse_mix(text: str) -> dict[str, float]:
    """'1.6=2,2.0.1=1,2.1=1' or '2.1' (weights; a bare version weighs 1; 0 leaves one out)."""
    mix: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        version, _, weight = part.partition("=")
        if version not in VERSIONS:
            raise ValueError(f"unknown OCPP version {version!r}: one of {', '.join(VERSIONS)}")
        mix[version] = float(weight) if weight else 1.0
        if mix[version] < 0:
            raise ValueError(f"negative weight for {version}")
    if not mix or sum(mix.values()) == 0:
        raise ValueError("the version mix is empty")
    return mix


def assign_versions(count: int, mix: dict[str, float]) -> list[str]:
    """Versions in proportion to the weights, spread evenly through the fleet (not drawn at
    random, so that three stations of an even mix are one of each)."""
    total = sum(mix.values())
    given = dict.fromkeys(mix, 0)
    versions = []
    for i in range(count):
        version = max(mix, key=lambda v: mix[v] / total * (i + 1) - given[v])
        given[version] += 1
        versions.append(version)
    return versions


def fleet(
    count: int,
    mix: dict[str, float],
    prefix: str,
    connectors: int = 2,
    password: str | None = None,
    secure_share: float = 0.0,
) -> list[StationSpec]:
    """`secure_share` of the stations, spread evenly through the fleet, are secure ones, each
    with a password of its own (but for the versions the fleet runs unsecured)."""
    specs = []
    for i, version in enumerate(assign_versions(count, mix)):
        secure = int((i + 1) * secure_share) > int(i * secure_share) and version not in UNSECURED
        own = password or f"fleet-{secrets.token_urlsafe(12)}" if secure else password
        specs.append(StationSpec(f"{prefix}{i + 1:04d}", version, connectors, own, index=i, secure=secure))
    return specs
