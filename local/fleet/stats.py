"""What the fleet counts: messages per type with their round trips, what went wrong, and what
the stations received. Read by the live view while running and by the report afterwards."""

from __future__ import annotations

import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest rank, so that p99 of 100 values is the 99th, not an interpolation."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-int(fraction * 1000) * len(sorted_values) // 1000))
    return sorted_values[min(rank, len(sorted_values)) - 1]


@dataclass
class TypeStats:
    sent: int = 0
    latencies_s: list[float] = field(default_factory=list)
    call_errors: Counter[str] = field(default_factory=Counter)
    timeouts: int = 0
    interrupted: int = 0  # the connection dropped before the answer came; the message is resent
    # `sent` counts messages whose fate is known: a call cancelled before it went out is not one.

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies_s)
        return {
            "sent": self.sent,
            "answered": len(ordered),
            "p50Ms": round(percentile(ordered, 0.50) * 1000, 1),
            "p95Ms": round(percentile(ordered, 0.95) * 1000, 1),
            "p99Ms": round(percentile(ordered, 0.99) * 1000, 1),
            "maxMs": round((ordered[-1] if ordered else 0.0) * 1000, 1),
            "callErrors": dict(self.call_errors),
            "timeouts": self.timeouts,
            "interrupted": self.interrupted,
        }


PHASES = ("ramp", "warm-up", "steady", "wind-down")


@dataclass(frozen=True)
class Window:
    """A stretch of the steady phase, so that a long run shows whether anything drifts: the
    round trips, the CPU a message costs, the memory the processes hold."""

    from_s: float  # since the steady phase began
    seconds: float
    messages: TypeStats
    cpu_s: dict[str, float]  # by process: fleet, and the CSMS's if local
    rss_mb: dict[str, float]  # by process, at the window's end

    def summary(self) -> dict[str, Any]:
        sent = self.messages.sent
        return {
            "fromSeconds": round(self.from_s, 1),
            "seconds": round(self.seconds, 1),
            **self.messages.summary(),
            "messagesPerSecond": round(sent / self.seconds, 1) if self.seconds else 0.0,
            "cpuMsPerMessage": {
                who: round(s / sent * 1000, 2) if sent else 0.0 for who, s in self.cpu_s.items()
            },
            "rssMb": {who: round(mb, 1) for who, mb in self.rss_mb.items()},
        }


class Stats:
    """Round trips are kept per message type for the steady phase (the stations living their
    lives, a reconnect storm included), and per phase for all types: the ramp (every station
    connecting and booting), the warm-up (the sessions found at boot) and the wind-down
    (every session stopping) are bursts a network living its life rarely sees, reported beside
    the steady figures rather than mixed in."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.phase = PHASES[0]
        self.sites: Any = None  # local.fleet.sites.SiteWatch, when the stations are on sites
        self.drivers: list[Any] = []  # local.fleet.drivers.Driver: the accounts holding the cards
        self.types: dict[str, TypeStats] = defaultdict(TypeStats)
        self.phases: dict[str, TypeStats] = {phase: TypeStats() for phase in PHASES}
        self.window = TypeStats()  # the steady phase's current window, all types
        self.windows: list[Window] = []
        self.commands: Counter[str] = Counter()  # CSMS -> station calls, by action
        self.connects = 0
        self.connect_seconds: Counter[int] = Counter()  # connections opened, by second of the run
        self.storm_at: float | None = None  # when the reconnect storm came, in the run's seconds
        self.connect_failures: Counter[str] = Counter()
        self.drops: Counter[str] = Counter()  # why connections ended
        self.sessions_started = 0
        self.sessions_refused = 0  # the CSMS did not accept the card
        self.sessions_completed = 0
        self.energy_wh = 0
        self.orphaned = 0  # queued messages of a session whose start the CSMS refused with a CALLERROR
        self.undelivered = 0  # left in a queue when the run ended
        self.resends = 0  # transaction messages sent again after a timeout or an InternalError
        self.crashes = 0  # parts of stations that died of an error of the simulator's own
        self.first_crash: str | None = None  # what the first of them said, for the report
        # Secure stations: connections by profile, certificates asked for and installed.
        self.security: Counter[str] = Counter()
        self.events: deque[str] = deque(maxlen=8)
        self._frames = 0
        self._rate_mark = (time.monotonic(), 0)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def connected(self) -> None:
        self.connects += 1
        self.connect_seconds[int(self.elapsed())] += 1

    def connect_peak(self, since_s: float, until_s: float | None = None) -> tuple[int, int | None]:
        """The most connections opened in one second between two moments of the run, and when."""
        seconds = {
            s: n for s, n in self.connect_seconds.items() if s >= since_s and (until_s is None or s < until_s)
        }
        if not seconds:
            return 0, None
        at = max(seconds, key=lambda s: seconds[s])
        return seconds[at], at

    def _of(self, label: str) -> tuple[TypeStats, ...]:
        """Where a message's outcome is counted: its phase, and in the steady phase its type
        and the current window."""
        phase = self.phases[self.phase]
        return (phase, self.types[label], self.window) if self.phase == "steady" else (phase,)

    def close_window(
        self, from_s: float, seconds: float, cpu_s: dict[str, float], rss_mb: dict[str, float]
    ) -> None:
        self.windows.append(Window(from_s, seconds, self.window, cpu_s, rss_mb))
        self.window = TypeStats()

    def answered(self, label: str, latency_s: float) -> None:
        for stats in self._of(label):
            stats.sent += 1
            stats.latencies_s.append(latency_s)
        self._frames += 2

    def call_error(self, label: str, code: str) -> None:
        for stats in self._of(label):
            stats.sent += 1
            stats.call_errors[code] += 1
        self._frames += 2

    def timeout(self, label: str) -> None:
        for stats in self._of(label):
            stats.sent += 1
            stats.timeouts += 1
        self._frames += 1

    def interrupted(self, label: str) -> None:
        for stats in self._of(label):
            stats.sent += 1
            stats.interrupted += 1
        self._frames += 1

    def command(self, action: str) -> None:
        self.commands[action] += 1
        self._frames += 2

    def event(self, text: str) -> None:
        self.events.append(f"{self.elapsed():7.1f}s  {text}")

    @property
    def call_errors(self) -> int:
        return sum(sum(t.call_errors.values()) for t in self.phases.values())

    @property
    def timeouts(self) -> int:
        return sum(t.timeouts for t in self.phases.values())

    def frames_per_second(self) -> float:
        """Frames both ways since the previous reading."""
        now, frames = time.monotonic(), self._frames
        then, before = self._rate_mark
        self._rate_mark = (now, frames)
        return (frames - before) / (now - then) if now > then else 0.0

    def recent_latencies(self, count: int = 2000) -> list[float]:
        """The latest round trips of the current phase, sorted: what the live view shows."""
        return sorted(self.phases[self.phase].latencies_s[-count:])
