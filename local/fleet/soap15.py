"""An OCPP 1.5 station over SOAP: no connection to keep, a POST per message to the CSMS's SOAP
door, and a small HTTP server of its own for the CSMS's calls, whose address it gives as its
WS-Addressing `From` (decision 0043).

The station's life is the WebSocket station's (station.py); only the transport differs. Its
messages are 1.6's classes worded in 1.5's values (dialects.V15); here they become 1.5's XML
elements and back, written apart from the CSMS's own reader (shared/protocol/v15.py) so that a
mistake in one is not repeated in the other. Only the envelope is shared: plain SOAP 1.2 with
WS-Addressing, read through defusedxml.

"Connected", for such a station, means that its last POST was answered: a POST that finds no
one (refused, reset) ends the link, as a dropped WebSocket would, and the station comes back
by booting only if it never was accepted, then reporting its connectors again.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
import xml.etree.ElementTree as ET
from typing import Any

import aiohttp
from aiohttp import web
from ocpp import exceptions
from ocpp.charge_point import camel_to_snake_case, remove_nones, serialize_as_dict, snake_to_camel_case
from ocpp.messages import Call, CallResult, validate_payload

from local.fleet.obeying import ERRORS
from local.fleet.station import Link, Offline, Station
from shared.protocol import soap

MAX_BYTES = 512 * 1024  # what the station reads, either way
# The fields the WSDLs type as integers (the rest of what the station reads is text).
INTEGERS = frozenset(
    {
        "connectorId",
        "transactionId",
        "reservationId",
        "listVersion",
        "retries",
        "retryInterval",
        "heartbeatInterval",
    }
)
# What repeats in a call the CSMS makes (by 1.6's name): GetConfiguration's keys (where
# ChangeConfiguration's `key` is one), SendLocalList's entries.
REPEATED = {"GetConfiguration": frozenset({"key"}), "SendLocalList": frozenset({"localAuthorizationList"})}
# 1.5's names where 1.6 renamed: the station thinks in 1.6's.
NAMES_15 = {"localAuthorisationList": "localAuthorizationList", "heartbeatInterval": "interval"}
# Its answers' statuses in 1.5's values, from the 1.6 ones the rules give.
ANSWER_STATUS = {
    "UnlockConnector": {"Unlocked": "Accepted", "UnlockFailed": "Rejected", "NotSupported": "Rejected"},
    "SendLocalList": {"Failed": "HashError"},
}


# --- Writing ------------------------------------------------------------------------------


def _camel(payload: Any) -> dict[str, Any]:
    written: dict[str, Any] = snake_to_camel_case(remove_nones(serialize_as_dict(payload)))
    return written


def _add(parent: ET.Element, namespace: str, name: str, value: Any) -> None:
    if isinstance(value, list):
        for item in value:
            _add(parent, namespace, name, item)
        return
    child = ET.SubElement(parent, f"{{{namespace}}}{name}")
    if isinstance(value, dict):
        for key, inner in value.items():
            _add(child, namespace, key, inner)
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    else:
        child.text = str(value)


def request_element(payload: Any) -> tuple[str, ET.Element]:
    """A message of the station (a 1.6 class in 1.5's values) as 1.5's request element: its
    meter values are `values`, each a timestamp and readings with what they are as attributes."""
    action = type(payload).__name__
    message = _camel(payload)
    element = ET.Element(f"{{{soap.CS_NS}}}{action[0].lower()}{action[1:]}Request")
    for name, value in message.items():
        if name != "meterValue":
            _add(element, soap.CS_NS, name, value)
            continue
        for reading in value:
            values = ET.SubElement(element, f"{{{soap.CS_NS}}}values")
            ET.SubElement(values, f"{{{soap.CS_NS}}}timestamp").text = reading["timestamp"]
            for sample in reading["sampledValue"]:
                attributes = {k: str(v) for k, v in sample.items() if k != "value"}
                ET.SubElement(values, f"{{{soap.CS_NS}}}value", attributes).text = str(sample["value"])
    return action, element


def answer_element(action: str, result: Any) -> ET.Element:
    """The station's answer to a call of the CSMS, in 1.5's names and values."""
    message = _camel(result)
    status = message.get("status")
    if isinstance(status, str):
        message["status"] = ANSWER_STATUS.get(action, {}).get(status, status)
    element = ET.Element(f"{{{soap.CP_NS}}}{action[0].lower()}{action[1:]}Response")
    for name, value in message.items():
        _add(element, soap.CP_NS, name, value)
    return element


# --- Reading ------------------------------------------------------------------------------


def read_element(element: ET.Element, action: str, top: bool = True) -> dict[str, Any]:
    """A 1.5 element's fields in 1.6's camelCase names, integers where the WSDL has them, and
    the repeated fields of `action` as lists."""
    read: dict[str, Any] = {}
    repeated = REPEATED.get(action, frozenset()) if top else frozenset()
    for child in element:
        name = soap.local_name(child.tag)
        value: Any
        if len(child):
            value = read_element(child, action, top=False)
        else:
            text = (child.text or "").strip()
            value = int(text) if name in INTEGERS and text.lstrip("-").isdigit() else text
        name = NAMES_15.get(name, name)
        if name in repeated:
            read.setdefault(name, []).append(value)
        else:
            read[name] = value
    return read


def action_of(element: ET.Element, suffix: str) -> str | None:
    name = soap.local_name(element.tag)
    if not name.endswith(suffix) or name == suffix:
        return None
    return name[0].upper() + name[1 : -len(suffix)]


# --- The link: one POST per message -------------------------------------------------------


class SoapLink(Link):
    """What the station's life calls through: each call a POST, answered in its exchange.
    Calls go one at a time, as on a WebSocket, so that a station's messages keep their order."""

    def __init__(self, station: SoapStation) -> None:  # no WebSocket, no listener
        self.station = station
        self.ours = False
        self.answered = False  # the CSMS has answered on this link
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._one_at_a_time = asyncio.Lock()

    def _end(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    def abort(self) -> None:
        self.ours = True
        self._end()

    async def close(self) -> None:
        self.ours = True
        self._end()

    async def call(self, payload: Any) -> Any:
        if self.closed.done():
            raise Offline
        async with self._one_at_a_time:
            return await self._post(payload)

    async def _post(self, payload: Any) -> Any:
        station = self.station
        action, element = request_element(payload)
        message_id = f"urn:uuid:{uuid.uuid4()}"
        document = soap.envelope(
            element,
            f"/{action}",
            soap.CS_NS,
            charge_box_identity=station.id,
            from_address=station.endpoint,
            message_id=message_id,
        )
        headers = {"Content-Type": f'{soap.CONTENT_TYPE}; action="/{action}"', **station.headers()}
        try:
            async with station.session.post(station.url, data=document, headers=headers) as response:
                status, body = response.status, await response.read()
        except TimeoutError:
            raise
        except (aiohttp.ClientError, OSError) as error:
            self._end()  # no one answered: the link is lost
            raise Offline from error
        if self.closed.done():  # lost while the answer came (an outage, a reset): as on a WebSocket
            raise Offline
        try:
            answer = soap.parse(body, MAX_BYTES)
        except soap.Malformed as error:
            raise exceptions.InternalError(description=f"HTTP {status}: no envelope ({error})") from None
        faulted = soap.fault_of(answer)
        if faulted is not None:
            code, reason = faulted
            raise ERRORS.get(code, exceptions.GenericError)(description=reason)
        if action_of(answer.body, "Response") != action or answer.relates_to != message_id:
            raise exceptions.ProtocolError(description=f"{answer.operation} does not answer {action}")
        if not self.answered:  # the link is up: counted as a WebSocket's opening is
            self.answered = True
            station.stats.connected()
        fields = read_element(answer.body, action)
        await validate_payload(CallResult(message_id, fields, action=action), "1.6")
        return getattr(station.dialect.call_result, action)(**camel_to_snake_case(fields))


class _Routes:
    """Where Answers installs its rules, as it does on a WebSocket client."""

    def __init__(self) -> None:
        self.route_map: dict[str, dict[str, Any]] = {}


class SoapStation(Station):
    """A 1.5 station: the life of station.py over SoapLink, and an HTTP server for the CSMS."""

    def __init__(self, *args: Any, soap_url: str, host: str = "127.0.0.1", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.url = soap_url
        self.host = host
        self.endpoint = ""  # its server's address, once it listens
        self.routes = _Routes()
        self.answers.install(self.routes)  # type: ignore[arg-type]
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            timeout = aiohttp.ClientTimeout(total=self.life.call_timeout_s)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    def headers(self) -> dict[str, str]:
        """HTTP Basic where the station has a password: 1.5 itself carries no credential."""
        if not self.spec.password:
            return {}
        token = base64.b64encode(f"{self.id}:{self.spec.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    async def _listen(self) -> None:
        app = web.Application(client_max_size=MAX_BYTES)
        app.router.add_post(f"/ocpp/{self.id}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.endpoint = f"http://{self.host}:{port}/ocpp/{self.id}"

    async def _connection_loop(self) -> None:
        if self._runner is None:
            await self._listen()
        failures = 0
        while True:
            await self.network.wait()
            link = SoapLink(self)
            self.link = link
            self._lost = False
            heartbeats: asyncio.Task[None] | None = None
            try:
                if not self.booted:
                    await self._boot(link)
                await self._announce(link)
                if link.closed.done():
                    raise Offline
                failures = 0
                self.online.set()
                heartbeats = asyncio.create_task(self._heartbeats(link))
                await link.closed
            except Offline:
                pass
            finally:
                self.online.clear()
                self.link = None
                if heartbeats is not None:
                    heartbeats.cancel()
            if self.finishing:
                continue
            if not link.answered:  # the CSMS was never reached: as a refused connection
                failures += 1
                self.stats.connect_failures["SOAP door unreachable"] += 1
                await asyncio.sleep(min(30.0, 2**failures) * self.rng.uniform(0.5, 1.0))
                continue
            if not link.ours:
                self.stats.drops["SOAP door unreachable"] += 1
            await asyncio.sleep(self.rng.uniform(0.1, 2.0))

    async def finish(self, timeout_s: float) -> bool:
        delivered = await super().finish(timeout_s)
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()
        return delivered

    # --- The CSMS's calls -------------------------------------------------------------------

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        """A call of the CSMS: answered in the exchange, its follow-up (a reset, the start of
        a remote session) begun once the answer is out. While the station's network is down
        nothing answers, as nothing would reach it."""
        if not self.network.is_set():
            raise web.HTTPServiceUnavailable()
        try:
            envelope = soap.parse(await request.read(), MAX_BYTES)
        except soap.Malformed as error:
            return self._soap_fault(True, "FormationViolation", str(error), None)
        message_id = envelope.message_id or f"urn:uuid:{uuid.uuid4()}"
        action = action_of(envelope.body, "Request")
        route = self.routes.route_map.get(action or "")
        if action is None or route is None or envelope.namespace != soap.CP_NS:
            return self._soap_fault(True, "NotImplemented", f"{envelope.operation} is not served", message_id)
        if envelope.charge_box_identity != self.id:
            return self._soap_fault(True, "SecurityError", "The call names another charge point", message_id)
        payload = read_element(envelope.body, action)
        try:
            await validate_payload(Call(message_id, action, payload), "1.6")
            result = route["_on_action"](call_unique_id=message_id, **camel_to_snake_case(payload))
        except exceptions.OCPPError as error:
            return self._soap_fault(True, error.code, error.description, message_id)
        except Exception as error:  # a fault of the simulator: shown, and answered as ours
            self.stats.event(f"{self.id} <- {action}: simulator fault {error!r}")
            return self._soap_fault(False, "InternalError", "The station failed", message_id)
        answer = soap.envelope(
            answer_element(action, result), f"/{action}Response", soap.CP_NS, relates_to=message_id
        )
        response = web.Response(body=answer, content_type="application/soap+xml", charset="utf-8")
        await response.prepare(request)
        await response.write_eof()
        follow_up = asyncio.create_task(route["_after_action"](call_unique_id=message_id))
        self._tasks.append(follow_up)
        follow_up.add_done_callback(self._crashed)
        return response

    def _soap_fault(self, sender: bool, code: str, reason: str, relates_to: str | None) -> web.Response:
        document = soap.fault(sender, code, reason, relates_to)
        return web.Response(
            status=400 if sender else 500, body=document, content_type="application/soap+xml", charset="utf-8"
        )
