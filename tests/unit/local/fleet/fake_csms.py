"""A stand-in CSMS for watching simulated stations from the other side of a real WebSocket:
it answers every station CALL with a valid canned answer, records every frame, can withhold
an answer, and sends CALLs of its own."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import websockets

from local.fleet import plan
from local.fleet.station import Station
from local.fleet.stats import Stats

NOW = "2026-12-01T10:00:00Z"

# A life that fits in a test: a driver plugs in at once and charges for three seconds, no
# faults, no unknown cards, no outages but the ones a test makes.
QUICK = plan.Life(
    meter_interval_s=0.25,
    session_s=(3.0, 3.0),
    idle_s=(0.05, 0.05),
    fault_chance=0.0,
    unknown_tag_chance=0.0,
    offline_every_s=0.0,
    call_timeout_s=5.0,
)


FINAL_COST = 4.2


@dataclass
class Frame:
    connection: int
    action: str
    payload: dict[str, Any]


@dataclass
class FakeCsms:
    heartbeat_s: int = 60
    frames: list[Frame] = field(default_factory=list)
    connections: int = 0
    open: int = 0  # connections not yet closed
    withheld: dict[str, asyncio.Event] = field(default_factory=dict)
    failing: dict[str, int] = field(default_factory=dict)  # action -> CALLERRORs still to answer
    _socket: Any = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _transactions: dict[str, int] = field(default_factory=dict)
    _answered: dict[str, asyncio.Future[Any]] = field(default_factory=dict)
    url: str = ""

    def of(self, action: str, event_type: str | None = None) -> list[Frame]:
        return [
            f
            for f in self.frames
            if f.action == action and (event_type is None or f.payload.get("eventType") == event_type)
        ]

    def withhold(self, action: str) -> asyncio.Event:
        """The next `action` is recorded and never answered; the event says it came."""
        self.withheld[action] = asyncio.Event()
        return self.withheld[action]

    def answer(self, action: str, payload: dict[str, Any]) -> dict[str, Any]:
        if action == "BootNotification":
            return {"status": "Accepted", "currentTime": NOW, "interval": self.heartbeat_s}
        if action == "Heartbeat":
            return {"currentTime": NOW}
        if action == "Authorize":
            key = "idTagInfo" if "idTag" in payload else "idTokenInfo"
            return {key: {"status": "Accepted"}}
        if action == "StartTransaction":
            # As a real CSMS does: a resent start gets the id it got the first time.
            key = json.dumps(payload, sort_keys=True)
            transaction = self._transactions.setdefault(key, len(self._transactions) + 100)
            return {"transactionId": transaction, "idTagInfo": {"status": "Accepted"}}
        if action == "TransactionEvent" and payload.get("eventType") == "Ended":
            return {"totalCost": FINAL_COST}  # as a CSMS that prices sessions says
        return {}

    async def serve(self, ws: Any) -> None:
        self.connections += 1
        self.open += 1
        number, self._socket = self.connections, ws
        try:
            await self._frames_of(ws, number)
        finally:
            self.open -= 1

    async def _frames_of(self, ws: Any, number: int) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            async for raw in ws:
                message = json.loads(raw)
                if message[0] in (3, 4):
                    future = self._answered.pop(message[1], None)
                    if future is not None and not future.done():
                        future.set_result(message)
                    continue
                _, unique_id, action, payload = message
                self.frames.append(Frame(number, action, payload))
                withheld = self.withheld.get(action)
                if withheld is not None and not withheld.is_set():
                    withheld.set()
                    continue
                if self.failing.get(action):
                    self.failing[action] -= 1
                    await ws.send(json.dumps([4, unique_id, "InternalError", "could not store it", {}]))
                    continue
                await ws.send(json.dumps([3, unique_id, self.answer(action, payload)]))

    async def call(self, action: str, payload: dict[str, Any], timeout: float = 5.0) -> list[Any]:
        """A CSMS-initiated CALL; returns the station's CALLRESULT or CALLERROR frame."""
        unique_id = f"csms-{next(self._ids)}"
        future = self._answered[unique_id] = asyncio.get_running_loop().create_future()
        await self._socket.send(json.dumps([2, unique_id, action, payload]))
        return await asyncio.wait_for(future, timeout)


async def eventually(condition: Callable[[], Any], timeout: float = 15.0) -> Any:
    """Waits for what a station does in its own time (it runs on timers of its own)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not (value := condition()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the station did not get there in time")
        await asyncio.sleep(0.02)
    return value


@contextlib.asynccontextmanager
async def fake_csms(heartbeat_s: int = 60) -> AsyncIterator[FakeCsms]:
    fake = FakeCsms(heartbeat_s)
    protocols = ["ocpp1.6", "ocpp2.0.1", "ocpp2.1"]
    async with websockets.serve(fake.serve, "127.0.0.1", 0, subprotocols=protocols) as server:  # type: ignore[arg-type]
        port = next(iter(server.sockets)).getsockname()[1]
        fake.url = f"ws://127.0.0.1:{port}/ocpp"
        yield fake


@contextlib.asynccontextmanager
async def living(
    csms: FakeCsms, version: str, *, life: plan.Life = QUICK, connectors: int = 1, **options: Any
) -> AsyncIterator[Station]:
    """One station living against the fake CSMS; wound down afterwards."""
    spec = plan.StationSpec(f"T-{version}", version, connectors)
    station = Station(spec, csms.url, seed=7, life=life, tags=["CARD-1", "CARD-2"], stats=Stats(), **options)
    station.start()
    try:
        await eventually(station.online.is_set)
        yield station
    finally:
        await station.finish(5)
