"""One simulated charge point: the `ocpp` package's ChargePoint over a real WebSocket, living
the plan drawn for it.

It behaves as field stations do: it boots and heartbeats at the interval the CSMS gives,
reports its connectors, authorizes cards, and keeps its transaction messages in a queue that
survives lost connections. A message whose answer never came is sent again after the
reconnect, with the same content; one that was never sent goes out late, flagged offline.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
import random
import secrets
import ssl
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import websockets
from ocpp.exceptions import OCPPError

from local.fleet import maintenance
from local.fleet.dialects import FIRST_FIRMWARE, RemoteStart, Session, State, StopKind, dialect_for, now
from local.fleet.obeying import Answers, FollowUp
from local.fleet.plan import Life, SessionPlan, StationSpec, meter_start, outages, sessions
from local.fleet.profiles import Held, limit_w
from local.fleet.stats import Stats

QUIET = logging.getLogger("local.fleet.ocpp")
QUIET.setLevel(logging.CRITICAL)  # the package logs every frame, and every CALLERROR as an exception
MAX_ATTEMPTS = 3  # a transaction message that times out (or fails) this often is given up (and counted)
RESEND_AFTER_S = 1.0  # after an InternalError, times the attempts so far


@dataclass(frozen=True)
class Tls:
    """Where secure stations connect (wss://host:port/ocpp), the CA they trust, and the folder
    they keep the certificates the CSMS issues them in."""

    url: str
    ca: Path | None  # None: the system's trust store (a CSMS with a public certificate)
    folder: Path


class Offline(Exception):
    """The connection ended before the answer came."""


class Link:
    """One WebSocket connection and the ChargePoint client speaking over it."""

    def __init__(self, ws: Any, client: Any) -> None:
        self.ws = ws
        self.client = client
        self.closed = asyncio.ensure_future(ws.wait_closed())
        self.listener = asyncio.ensure_future(self._listen())
        self.ours = False  # the station closed it (an outage, a reset, the end of the run)

    async def _listen(self) -> None:
        with contextlib.suppress(websockets.ConnectionClosed):
            await self.client.start()

    async def call(self, payload: Any) -> Any:
        call = asyncio.ensure_future(self.client.call(payload, suppress=False))
        try:
            await asyncio.wait({call, self.closed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not call.done():
                call.cancel()
        if not call.done() or call.cancelled():
            raise Offline
        try:
            return call.result()
        except websockets.ConnectionClosed as closed:  # it went down while the frame was sent
            raise Offline from closed

    def abort(self) -> None:
        """The network is gone: no close frame, as when a modem loses its signal."""
        self.ours = True
        transport = getattr(self.ws, "transport", None)
        if transport is not None:
            transport.abort()

    async def close(self) -> None:
        self.ours = True
        with contextlib.suppress(Exception):
            await self.ws.close()
        self.listener.cancel()


@dataclass
class Queued:
    """A transaction message waiting for its answer. It is built once, when first sent (a 1.6
    message needs the id its session's StartTransaction answer gave), and resent unchanged."""

    session: Session
    build: Callable[[bool], Any]
    offline: bool
    on_answer: Callable[[Any], None] | None = None
    first: bool = False  # the session's start, which needs no id from the CSMS
    payload: Any = None
    attempts: int = 0


class Station:
    def __init__(
        self,
        spec: StationSpec,
        url: str,
        *,
        seed: int,
        life: Life,
        tags: list[str],
        stats: Stats,
        overrides: dict[str, str] | None = None,
        tls: Tls | None = None,
    ) -> None:
        self.spec = spec
        self.id = spec.id
        self.connectors = spec.connectors
        self.tls = tls if spec.secure else None
        self.url = f"{(self.tls.url if self.tls else url).rstrip('/')}/{spec.id}"
        # Security: the profile it connects with; 2.x's connection profiles by slot; the
        # certificate the CSMS issued it (profile 3), and the key it asked with.
        self.profile = 2 if self.tls else 1
        self.slots = {1: self.profile}
        self.certificate: Path | None = None
        self._key: Any = None
        self._asked = False
        self.seed = seed
        self.life = life
        self.tags = tags
        self.stats = stats
        self.dialect = dialect_for(spec.version)
        self.answers = Answers(self, self.dialect, overrides or {})
        self.heartbeat_s = 60.0
        self._interval_changed = asyncio.Event()
        self.meter_interval_s = life.meter_interval_s
        self.configuration = self.dialect.configuration(
            spec.connectors, int(self.heartbeat_s), life.meter_interval_s
        )
        self.local_list_version = 0
        self.local_list: dict[str, str] = {}  # what SendLocalList gave it: token -> status
        self.firmware_version = FIRST_FIRMWARE
        self.failures = maintenance.Failures(life.firmware_failure_chance, life.upload_failure_chance)
        self.maintenance_done: list[str] = []  # what each update and upload came to, in order
        self._attempts = 0
        self.rng = random.Random(f"{seed}/{spec.stream}/reconnect")

        self.link: Link | None = None
        self.online = asyncio.Event()  # connected and booted
        self.network = asyncio.Event()  # the station's network is up (cleared during an outage)
        self.network.set()
        self.booted = False
        self.boot_reason = "PowerUp"
        self.finishing = False
        self._lost = False  # a drop was counted and no new connection has come since

        self.outbox: deque[Queued] = deque()
        self._queued = asyncio.Event()
        self.ledger: list[Session] = []  # every session whose start was queued
        self.active: dict[int, Session] = {}
        self.states = dict.fromkeys(range(1, spec.connectors + 1), State.AVAILABLE)
        self.available = dict.fromkeys(range(1, spec.connectors + 1), True)
        self.registers = {c: meter_start(seed, spec.stream, c) for c in self.states}
        self.accepted_tags: set[str] = set()  # the authorization cache, for offline starts
        self.reserved: dict[int, tuple[int, str]] = {}  # connector -> (reservation id, its tag)
        self.profiles: list[Held] = []  # the charging profiles the CSMS gave it
        self._plans: dict[int, SessionPlan] = {}  # what each connector's EV is doing
        self._remote: dict[int, RemoteStart] = {}
        self._wake = {c: asyncio.Event() for c in self.states}
        self._tasks: list[asyncio.Task[None]] = []
        self._counts = dict.fromkeys(self.states, 0)

    # --- Life -------------------------------------------------------------------------------

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._connection_loop()),
            asyncio.create_task(self._drain()),
            asyncio.create_task(self._network_life()),
            *(asyncio.create_task(self._connector_life(c)) for c in self.states),
        ]
        for task in self._tasks:
            task.add_done_callback(self._crashed)

    def _crashed(self, task: asyncio.Task[None]) -> None:
        """A part of the station that stops by itself is a fault of the simulator: counted,
        and shown, so that a run never passes on a station that quietly stopped living."""
        if not task.cancelled() and task.exception() is not None:
            self.stats.crashes += 1
            said = f"{self.id}: simulator fault {task.exception()!r}"
            self.stats.first_crash = self.stats.first_crash or said
            self.stats.event(said)

    async def finish(self, timeout_s: float) -> bool:
        """Stop every session, deliver the queue and disconnect. A station that was cut off
        comes back first, as one whose outage ends would, so that every lost connection of a
        run is followed by a new one. False if the queue could not be delivered in time (its
        messages are then lost, and the report says so)."""
        self.finishing = True
        self.network.set()
        for connector, session in list(self.active.items()):
            self._stop(session, StopKind.LOCAL)
            self._wake[connector].set()
        for event in self._wake.values():
            event.set()
        deadline = time.monotonic() + timeout_s

        def pending() -> bool:
            back = self.online.is_set() and not self._lost
            return bool(self.active or self.outbox) or (self.booted and not back)

        while pending() and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        delivered = not self.active and not self.outbox
        link = self.link  # cancelling the connection's loop forgets it
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if link is not None:
            await link.close()
        self.online.clear()
        return delivered

    def drop(self, reason: str, outage: bool = False) -> None:
        """The connection is lost; with `outage`, the network stays down until `restore`."""
        if outage:
            self.network.clear()
        if self.link is not None and not self.link.ours:  # a link lost twice is one loss
            self.stats.drops[reason] += 1
            self._lost = True  # until it is connected again, though `online` may still be set
            self.link.abort()

    # --- The connection ---------------------------------------------------------------------

    @property
    def model(self) -> str:
        return f"Fleet-{self.spec.version}-{self.connectors}"

    def _headers(self) -> dict[str, str]:
        if not self.spec.password or self.profile >= 3:  # at profile 3 the certificate is all
            return {}
        token = base64.b64encode(f"{self.id}:{self.spec.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    async def _connection_loop(self) -> None:
        failures = 0
        while True:
            await self.network.wait()
            try:
                ws = await websockets.connect(
                    self.url,
                    subprotocols=[f"ocpp{self.spec.version}"],  # type: ignore[list-item]
                    additional_headers=self._headers(),
                    open_timeout=self.life.call_timeout_s,
                    ssl=self._tls_context(),
                )
            except Exception as error:  # refused, 401/403, timeout: a station simply tries again
                failures += 1
                status = getattr(getattr(error, "response", None), "status_code", None)
                self.stats.connect_failures[f"HTTP {status}" if status else type(error).__name__] += 1
                await asyncio.sleep(min(30.0, 2**failures) * self.rng.uniform(0.5, 1.0))
                continue
            failures = 0
            client = self.dialect.client_class(self.id, ws, self.life.call_timeout_s, logger=QUIET)
            self.answers.install(client)
            link = self.link = Link(ws, client)
            self.stats.connected()
            if self.tls is not None:
                self.stats.security[f"profile {self.profile} connections"] += 1
            self._lost = False
            heartbeats: asyncio.Task[None] | None = None
            try:
                if not self.booted:
                    await self._boot(link)
                await self._announce(link)
                self.online.set()
                if self.tls is not None and self.certificate is None and not self._asked:
                    self._asked = True
                    asking = asyncio.create_task(self._ask_for_a_certificate(link))
                    asking.add_done_callback(self._crashed)
                heartbeats = asyncio.create_task(self._heartbeats(link))
                await link.closed
            except Offline:
                pass
            finally:
                self.online.clear()
                self.link = None
                if heartbeats is not None:
                    heartbeats.cancel()
                link.listener.cancel()
                if not link.ours and not self.finishing:
                    self.stats.drops[f"closed by the CSMS ({link.ws.close_code})"] += 1
            if not self.finishing:
                await asyncio.sleep(self.rng.uniform(0.1, 2.0))

    def _tls_context(self) -> ssl.SSLContext | None:
        if self.tls is None:
            return None
        context = ssl.create_default_context(cafile=str(self.tls.ca) if self.tls.ca else None)
        if self.profile >= 3 and self.certificate is not None:
            context.load_cert_chain(self.certificate, self.certificate.with_suffix(".key"))
        return context

    async def _ask_for_a_certificate(self, link: Link) -> None:
        """SignCertificate with a CSR for a new key; the certificate comes as CertificateSigned."""
        from local.runtime.tls import make_csr

        pem, self._key = make_csr(self.id)
        try:
            answer = await self.call(link, self.dialect.call.SignCertificate(csr=pem))
        except (OCPPError, TimeoutError, Offline):
            self._asked = False  # asked again at the next connection
            return
        self.stats.security["certificates asked" if answer.status == "Accepted" else "CSRs refused"] += 1

    def certificate_signed(self, chain: str) -> str:
        """Kept with its key, for the connections at profile 3."""
        if self.tls is None or self._key is None:
            return "Rejected"
        from cryptography.hazmat.primitives import serialization

        self.certificate = self.tls.folder / f"{self.id}.pem"
        self.certificate.with_suffix(".key").write_bytes(
            self._key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        self.certificate.write_text(chain)
        self.stats.security["certificates installed"] += 1
        return "Accepted"

    def keep_network_profile(self, slot: int, profile: int) -> None:
        self.slots[slot] = profile

    def _move(self, value: str) -> None:
        """1.6: the new profile at once, on a new connection. 2.x: the first slot's, from the
        next connection (the CSMS follows with a reset)."""
        if self.dialect.schemas == "1.6":
            self.profile = int(value)
            if self.link is not None:
                link = self.link
                asyncio.get_running_loop().call_later(0.5, lambda: asyncio.ensure_future(link.close()))
        else:
            first = int(value.split(",")[0])
            self.profile = self.slots.get(first, self.profile)

    async def call(self, link: Link, payload: Any) -> Any:
        """One CALL with its round trip counted; raises Offline, OCPPError or TimeoutError."""
        label = self.dialect.label(payload)
        began = time.perf_counter()
        try:
            answer = await link.call(payload)
        except OCPPError as error:
            self.stats.call_error(label, error.code)
            self.stats.event(f"{self.id} {label}: CALLERROR {error.code} {error.description}")
            raise
        except TimeoutError:
            self.stats.timeout(label)
            raise
        except Offline:
            self.stats.interrupted(label)
            raise
        self.stats.answered(label, time.perf_counter() - began)
        return answer

    async def _try(self, payload: Any) -> Any | None:
        """A message that is not worth queueing (a status, a heartbeat): sent if online."""
        link = self.link
        if link is None or not self.online.is_set():
            return None
        with contextlib.suppress(Offline, OCPPError, TimeoutError):
            return await self.call(link, payload)
        return None

    async def _boot(self, link: Link) -> None:
        while True:
            try:
                boot = self.dialect.boot(self.id, self.model, self.boot_reason, self.firmware_version)
                answer = await self.call(link, boot)
            except (OCPPError, TimeoutError):
                await asyncio.sleep(10)
                continue
            if answer.status == "Accepted":
                self.booted = True
                self.boot_reason = "PowerUp"
                self._set_heartbeat(answer.interval)
                self.configuration[self.dialect.heartbeat_key] = str(answer.interval)
                return
            await asyncio.sleep(answer.interval or 10)  # Pending or Rejected: ask again later

    def _set_heartbeat(self, seconds: float) -> None:
        if seconds > 0 and seconds != self.heartbeat_s:
            self.heartbeat_s = seconds
            self._interval_changed.set()

    async def _announce(self, link: Link) -> None:
        for connector, state in self.states.items():
            with contextlib.suppress(OCPPError, TimeoutError):
                await self.call(link, self.dialect.status(connector, state))

    async def _heartbeats(self, link: Link) -> None:
        while True:
            self._interval_changed.clear()
            try:
                await asyncio.wait_for(self._interval_changed.wait(), self.heartbeat_s)
                continue  # a new interval counts from now
            except TimeoutError:
                pass
            try:
                await self.call(link, self.dialect.call.Heartbeat())
            except (OCPPError, TimeoutError):
                continue
            except Offline:
                return

    async def _network_life(self) -> None:
        for outage in outages(self.seed, self.spec.stream, self.life):
            await asyncio.sleep(outage.after_s)
            if self.finishing:  # winding down: no more outages
                return
            self.stats.event(f"{self.id} loses its network for {outage.lasts_s:.0f} s")
            self.drop("network outage", outage=True)
            await asyncio.sleep(outage.lasts_s)
            self.network.set()

    # --- The transaction queue -----------------------------------------------------------------

    def _enqueue(self, item: Queued) -> None:
        self.outbox.append(item)
        self._queued.set()

    async def _drain(self) -> None:
        while True:
            await self._queued.wait()
            while self.outbox:
                await self.online.wait()
                link, item = self.link, self.outbox[0]
                if link is None:
                    continue
                if item.payload is None:
                    if not item.first and not self.dialect.ready(item.session):
                        self.outbox.popleft()  # its StartTransaction was refused with a CALLERROR
                        self.stats.orphaned += 1
                        continue
                    item.payload = item.build(item.offline)
                try:
                    answer = await self.call(link, item.payload)
                except Offline:
                    continue  # sent again, unchanged, once reconnected
                except TimeoutError:
                    item.attempts += 1
                    if item.attempts < MAX_ATTEMPTS:
                        self.stats.resends += 1
                        continue
                    answer = None
                except OCPPError as error:
                    # The CSMS could not store it (InternalError): sent again, as OCPP has a
                    # transaction message retried; any other CALLERROR is its final answer.
                    item.attempts += 1
                    if error.code == "InternalError" and item.attempts < MAX_ATTEMPTS:
                        self.stats.resends += 1
                        await asyncio.sleep(RESEND_AFTER_S * item.attempts)
                        continue
                    answer = None
                self.outbox.popleft()
                if answer is not None and item.on_answer is not None:
                    item.on_answer(answer)
            self._queued.clear()

    # --- A connector's life -------------------------------------------------------------------

    async def _connector_life(self, connector: int) -> None:
        await self.online.wait()  # a life begins with the station's first boot
        for plan in sessions(self.seed, self.spec.stream, connector, self.life, self.tags):
            if self.finishing:
                return
            if plan.fault_s:
                await self._fault(connector, plan.fault_s)
            request = await self._idle(connector, plan.idle_s)
            if self.finishing:
                return
            if not self.available[connector]:
                continue
            held = self.reserved.get(connector)
            if held is not None and (request is None or request.tag != held[1]):
                continue  # reserved: another driver goes elsewhere
            tag = request.tag if request else plan.tag
            await self._set_state(connector, State.PREPARING)
            if request is None and not await self._authorized(tag):
                self.stats.sessions_refused += 1
                self.stats.event(f"{self.id}/{connector}: card {tag} refused")
                await self._set_state(connector, State.AVAILABLE)
                continue
            if self.finishing:  # the station winds down while the card was checked: no session
                await self._set_state(connector, State.AVAILABLE)
                return
            session = self._begin(connector, tag, request, self.reserved.pop(connector, (None, ""))[0])
            await self._set_state(connector, State.CHARGING)
            await self._charge(session, plan)
            self._end(session)
            await self._set_state(connector, State.FINISHING)
            await asyncio.sleep(1.0)
            await self._set_state(
                connector, State.AVAILABLE if self.available[connector] else State.UNAVAILABLE
            )

    async def _idle(self, connector: int, seconds: float) -> RemoteStart | None:
        """Waits for the next driver, or for a remote start, whichever comes first."""
        wake = self._wake[connector]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), seconds)
        wake.clear()
        return self._remote.pop(connector, None)

    async def _fault(self, connector: int, seconds: float) -> None:
        self.stats.event(f"{self.id}/{connector}: fault for {seconds:.0f} s")
        await self._set_state(connector, State.FAULTED, "GroundFailure")
        await asyncio.sleep(seconds)
        await self._set_state(connector, State.AVAILABLE if self.available[connector] else State.UNAVAILABLE)

    async def _set_state(self, connector: int, state: State, error_code: str | None = None) -> None:
        self.states[connector] = state
        await self._try(self.dialect.status(connector, state, error_code))

    async def _authorized(self, tag: str) -> bool:
        answer = await self._try(self.dialect.authorize(tag))
        if answer is None:  # offline: the local list, then the cache decide (LocalAuthorizeOffline)
            listed = self.local_list.get(tag)
            return listed == "Accepted" if listed is not None else tag in self.accepted_tags
        accepted = self.dialect.accepted(answer)
        (self.accepted_tags.add if accepted else self.accepted_tags.discard)(tag)
        return accepted

    def _begin(
        self, connector: int, tag: str, request: RemoteStart | None, reservation_id: int | None = None
    ) -> Session:
        self._counts[connector] += 1
        # Unique beyond this run, as a station's own transaction ids are (2.x knows a session
        # by it): a fleet that runs again under the same ids must not merge into old sessions.
        local_id = f"{connector}-{self._counts[connector]}-{secrets.token_hex(8)}"
        register = self.registers[connector]
        session = Session(
            connector=connector,
            tag=tag,
            local_id=local_id,
            meter_start_wh=register,
            meter_wh=register,
            started_at=now(),
            remote_start_id=request.remote_start_id if request else None,
            reservation_id=reservation_id,
            transaction_id=None if self.dialect.schemas == "1.6" else local_id,
            stop_requested=asyncio.Event(),
        )
        self.active[connector] = session
        self.ledger.append(session)
        self.stats.sessions_started += 1

        def started(answer: Any) -> None:
            session.start_answered = True
            if not self.dialect.on_started(session, answer):
                self._stop(session, StopKind.DEAUTHORIZED)

        self._enqueue(
            Queued(
                session,
                lambda offline: self.dialect.started(session, offline),
                not self.online.is_set(),
                started,
                first=True,
            )
        )
        self.stats.event(f"{self.id}/{connector}: session for {tag}" + (" (remote start)" if request else ""))
        return session

    def _drawn_w(self, session: Session, plan: SessionPlan) -> float:
        """What the EV draws: its own power, or less where a charging profile says so, and
        nothing once its battery is full."""
        if session.energy_wh >= plan.wanted_wh:
            return 0.0
        since = datetime.fromisoformat(session.started_at.replace("Z", "+00:00"))
        limit = limit_w(self.profiles, session.connector, since)
        wanted = plan.power_kw * 1000
        return wanted if limit is None else max(min(wanted, limit), 0.0)

    async def _charge(self, session: Session, plan: SessionPlan) -> None:
        needs = self.dialect.charging_needs(session, plan) if plan.tells_needs else None
        if needs is not None:
            task = asyncio.create_task(self._tell_needs(session, needs))
            self._tasks.append(task)
            task.add_done_callback(self._crashed)
        self._plans[session.connector] = plan
        session.accrued_at = time.monotonic()
        session.power_w = self._drawn_w(session, plan)
        ends = time.monotonic() + plan.duration_s
        while not session.stop_requested.is_set():
            left = ends - time.monotonic()
            if left <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(session.stop_requested.wait(), min(self.meter_interval_s, left))
            moment = time.monotonic()
            self._accrue(session, plan)
            if session.stop_requested.is_set() or moment >= ends:
                break
            reading, at = session.meter_wh, now()
            self._enqueue(
                Queued(
                    session,
                    lambda offline, r=reading, t=at: self.dialect.metered(
                        session, r, session.power_w, t, offline
                    ),
                    not self.online.is_set(),
                )
            )
        self._accrue(session, plan)

    def _accrue(self, session: Session, plan: SessionPlan) -> None:
        """The energy drawn since the last look at the power then drawn; the power from now on."""
        moment = time.monotonic()
        wh = round(session.power_w * (moment - session.accrued_at) / 3600)
        session.accrued_at = moment
        session.meter_wh += wh
        self.registers[session.connector] = session.meter_wh
        self.stats.energy_wh += wh
        session.power_w = self._drawn_w(session, plan)

    def _obey(self) -> None:
        """A profile came or went: every session draws what it now allows, at once."""
        for connector, session in list(self.active.items()):
            plan = self._plans.get(connector)
            if plan is not None and session.stopped_at is None:
                self._accrue(session, plan)

    async def _tell_needs(self, session: Session, needs: Any) -> None:
        """An ISO 15118 EV says what it needs once its session is known to the CSMS."""
        while not session.start_answered and not session.stop_requested.is_set():
            await asyncio.sleep(0.2)
        if not session.stop_requested.is_set():
            await self._try(needs)

    def _stop(self, session: Session, kind: StopKind) -> None:
        if session.stop_kind is None:
            session.stop_kind = kind
        session.stop_requested.set()

    def _end(self, session: Session) -> None:
        session.stop_kind = session.stop_kind or StopKind.LOCAL
        session.stopped_at = now()
        session.power_w = 0.0
        self.active.pop(session.connector, None)
        # A transaction's profile ends with it.
        self.profiles = [
            p for p in self.profiles if not (p.purpose == "TxProfile" and p.connector == session.connector)
        ]

        def ended(answer: Any) -> None:
            session.ended = True
            self.stats.sessions_completed += 1
            total = getattr(answer, "total_cost", None)  # 2.x: the final cost in the answer
            if total is not None:
                session.final_cost = total

        self._enqueue(
            Queued(
                session, lambda offline: self.dialect.ended(session, offline), not self.online.is_set(), ended
            )
        )
        kwh = session.energy_wh / 1000
        self.stats.event(f"{self.id}/{session.connector}: session ended ({session.stop_kind}), {kwh:.2f} kWh")

    # --- What the CSMS asks (see answers.py) -------------------------------------------------

    def command_received(self, action: str) -> None:
        self.stats.command(action)
        self.stats.event(f"{self.id} <- {action}")

    def accept_remote_start(self, request: RemoteStart) -> FollowUp | None:
        free = [
            c
            for c in self.states
            if c not in self.active
            and c not in self._remote
            and self.available[c]
            and self.states[c] != State.FAULTED
            and self.reserved.get(c, (0, request.tag))[1] == request.tag
        ]
        if request.connector is not None:
            connector = request.connector if request.connector in free else None
        else:
            connector = free[0] if free else None
        if connector is None:
            return None
        self._remote[connector] = request

        async def begin() -> None:
            self._wake[connector].set()

        return begin

    def accept_remote_stop(self, transaction_id: str) -> FollowUp | None:
        session = next((s for s in self.active.values() if s.transaction_id == transaction_id), None)
        if session is None:
            return None

        async def stop() -> None:
            self._stop(session, StopKind.REMOTE)

        return stop

    def reboot_later(self, hard: bool) -> FollowUp:
        async def reboot() -> None:
            self.stats.event(f"{self.id} resets ({'hard' if hard else 'soft'})")
            await self._reboot("RemoteReset")

        return reboot

    async def _reboot(self, reason: str) -> None:
        for session in list(self.active.values()):
            self._stop(session, StopKind.RESET)
        await asyncio.sleep(0.5)  # the sessions' stops are queued before the power goes
        self.booted = False
        self.boot_reason = reason
        if self.link is not None:
            await self.link.close()

    def update_firmware(self, location: str, request_id: int | None, signed: bool) -> FollowUp:
        """Download, check, install, reboot with the new version, report Installed; or fail
        where the plan says so. 1.6 names no request id (a signed update does). What it did is
        kept before it says so: a run may end as soon as the CSMS has heard."""
        self._attempts += 1
        failure = self.failures.firmware(self.seed, self.spec.stream, self._attempts)
        reported = request_id if signed or self.dialect.schemas != "1.6" else None

        async def status(name: str) -> None:
            await self._report(self.dialect.firmware_status(name, reported))

        async def update() -> None:
            await status("Downloading")
            try:
                image = await asyncio.to_thread(maintenance.download, location)
            except OSError as error:
                image = b""
                self.stats.event(f"{self.id}: firmware download failed: {error}")
            version = maintenance.image_version(image) if failure != "download" else None
            if version is None:
                self.maintenance_done.append("DownloadFailed")
                await status("DownloadFailed")
                return
            await status("Downloaded")
            await status("Installing")
            if failure == "install":
                self.maintenance_done.append("InstallationFailed")
                await status("InstallationFailed")
                return
            self.stats.event(f"{self.id} installs firmware {version} and reboots")
            self.firmware_version = version
            await self._reboot("FirmwareUpdate")
            while not (self.booted and self.online.is_set()):  # back, and booted with the new version
                await asyncio.sleep(0.1)
            self.maintenance_done.append("Installed")
            await status("Installed")

        return self._in_background(update)

    def send_log(self, location: str, request_id: int | None, kind: str) -> tuple[str, FollowUp]:
        """The file's name for the answer, and the upload: by PUT, multipart POST (every other
        request) or FTP, as the location says. GetDiagnostics (no request id) is 1.6's."""
        self._attempts += 1
        fails = self.failures.upload(self.seed, self.spec.stream, self._attempts)
        name = f"{self.id}-{kind}-{self._attempts}.log"
        way = "post" if self._attempts % 2 else "put"
        failed = "UploadFailed" if request_id is None else "UploadFailure"

        async def send() -> None:
            await self._report(self.dialect.log_status("Uploading", request_id))
            try:
                if fails:
                    raise OSError("the upload fails, as planned")
                body = maintenance.log_file(self.id, kind)
                await asyncio.to_thread(maintenance.upload, location, name, body, way)
            except OSError as error:
                self.stats.event(f"{self.id}: upload failed: {error}")
                self.maintenance_done.append(failed)
                await self._report(self.dialect.log_status(failed, request_id))
                return
            self.maintenance_done.append("Uploaded")
            await self._report(self.dialect.log_status("Uploaded", request_id))

        return name, self._in_background(send)

    async def _report(self, payload: Any | None) -> None:
        """A maintenance status: sent once online, and again if its answer does not come (a
        station that lost one would leave its update unfinished in the CSMS's eyes). None: a
        status the version has no name for (1.5's steps between the start and the end)."""
        if payload is None:
            return
        for _ in range(MAX_ATTEMPTS):
            await self.online.wait()
            link = self.link
            if link is None:
                continue
            try:
                await self.call(link, payload)
                return
            except OCPPError:
                return  # refused: counted, and sending it again would be refused again
            except (Offline, TimeoutError):
                continue
        self.stats.event(f"{self.id}: a maintenance status was given up")

    def _in_background(self, work: Callable[[], Any]) -> FollowUp:
        """A follow-up that starts `work` and returns: the answer's handler must not wait on it."""

        async def start() -> None:
            task = asyncio.create_task(work())
            self._tasks.append(task)
            task.add_done_callback(self._crashed)

        return start

    def reserve(
        self, connector: int | None, reservation_id: int, tag: str, expires_at: str
    ) -> tuple[str, FollowUp | None]:
        """Holds a free connector (the one asked for, or any) for the tag until the expiry;
        Occupied, Faulted or Unavailable otherwise."""
        if connector is not None and connector not in self.states:
            return "Rejected", None
        candidates = [connector] if connector else list(self.states)
        free = [
            c
            for c in candidates
            if c not in self.active
            and c not in self.reserved
            and self.available[c]
            and self.states[c] in (State.AVAILABLE, State.FINISHING)
        ]
        if not free:
            states = {self.states[c] for c in candidates}
            if states == {State.FAULTED}:
                return "Faulted", None
            return ("Occupied", None) if any(self.available[c] for c in candidates) else ("Unavailable", None)
        held = free[0]
        self.reserved[held] = (reservation_id, tag)
        lasts_s = max(0.0, (datetime.fromisoformat(expires_at) - datetime.now(UTC)).total_seconds())

        async def hold() -> None:
            await self._set_state(held, State.RESERVED)
            self.stats.event(f"{self.id}/{held}: reserved for {tag} ({reservation_id})")
            await asyncio.sleep(lasts_s)
            if self.reserved.get(held, (None, ""))[0] == reservation_id:  # neither used nor cancelled
                del self.reserved[held]
                await self._set_state(held, State.AVAILABLE)
                expired = self.dialect.reservation_expired(reservation_id)
                if expired is not None:
                    await self._try(expired)

        return "Accepted", self._in_background(hold)

    def hold_profile(self, connector: int, profile: dict[str, Any]) -> None:
        """Kept in place of any profile with the same id."""
        held = Held(connector, profile)
        self.profiles = [p for p in self.profiles if p.profile_id != held.profile_id] + [held]
        self.stats.event(f"{self.id}/{connector}: charging profile {held.profile_id} ({held.purpose})")
        self._obey()

    def clear_profile(self, profile_id: int) -> bool:
        kept = [p for p in self.profiles if p.profile_id != profile_id]
        found, self.profiles = len(kept) < len(self.profiles), kept
        self._obey()
        return found

    def limit_now(self, connector: int) -> float | None:
        session = self.active.get(connector)
        since = (
            datetime.fromisoformat(session.started_at.replace("Z", "+00:00"))
            if session
            else datetime.now(UTC)
        )
        return limit_w(self.profiles, connector, since)

    def cost_shown(self, transaction_id: str, cost: float, final: bool) -> bool:
        """Shown on the session's display: the running cost, or the final one (1.6)."""
        session = next((s for s in reversed(self.ledger) if s.transaction_id == transaction_id), None)
        if session is None:
            return False
        if final:
            session.final_cost = cost
        else:
            session.running_cost = cost
        self.stats.event(f"{self.id}/{session.connector}: cost {'final' if final else 'so far'} {cost:.2f}")
        return True

    def cancel_reservation(self, reservation_id: int) -> FollowUp | None:
        held = next((c for c, (rid, _) in self.reserved.items() if rid == reservation_id), None)
        if held is None:
            return None
        del self.reserved[held]

        async def free() -> None:
            await self._set_state(held, State.AVAILABLE)

        return free

    def set_availability(self, connector: int | None, available: bool) -> FollowUp:
        async def apply() -> None:
            for c in [connector] if connector else list(self.states):
                self.available[c] = available
                if c not in self.active:
                    await self._set_state(c, State.AVAILABLE if available else State.UNAVAILABLE)

        return apply

    def triggered(self, message: str, connector: int | None) -> FollowUp | None:
        async def boot() -> None:
            await self._try(self.dialect.boot(self.id, self.model, "Triggered", self.firmware_version))

        async def heartbeat() -> None:
            await self._try(self.dialect.call.Heartbeat())

        async def status() -> None:
            for c in [connector] if connector else list(self.states):
                await self._try(self.dialect.status(c, self.states[c]))

        return {"BootNotification": boot, "Heartbeat": heartbeat, "StatusNotification": status}.get(message)

    def configuration_changed(self, key: str) -> None:
        value = self.configuration[key]
        if key == self.dialect.heartbeat_key:
            self._set_heartbeat(float(value))
        elif key == self.dialect.meter_interval_key and float(value) > 0:
            self.meter_interval_s = float(value)
        elif key == self.dialect.security_key:
            self._move(value)
