"""OCPP 1.5's messages as 1.6's JSON payloads, and back.

Every 1.5 operation has a 1.6 namesake whose payload holds the same fields under the same names,
so a 1.5 message is read into the 1.6 payload and from there by the 1.6 codecs, schemas and
action handlers (the 1.5 profile is read as 1.6: `read_as`). Where the two differ, the mapping
is here and explicit:

- StatusNotification: 1.5's `Occupied` is 1.6's `Charging` (1.6 split it into Preparing,
  Charging, SuspendedEV(SE) and Finishing; 1.5 tells none of them apart), and its error code
  `Mode3Error` is 1.6's `EVCommunicationError`.
- MeterValues: 1.5's `values` (a timestamp and `value` elements whose text is the reading and
  whose attributes say what it is) are 1.6's `meterValue` of `sampledValue` objects; the units
  `Amp` and `Volt` are 1.6's `A` and `V`. StopTransaction's `transactionData` (each a list of
  `values`) is 1.6's flat list of meter values. 1.5 has no `phase` and no stop `reason`.
- BootNotification's answer names the interval `heartbeatInterval` (1.6 `interval`), and 1.5
  has no `Pending` registration status (`Rejected`, which also makes the station retry).
- Calls the CSMS makes: SendLocalList's list is `localAuthorisationList` (1.6 `...Authorization...`),
  RemoteStartTransaction carries no charging profile (a call with one is refused), and the
  answers map back: UnlockConnector's `Accepted`/`Rejected` are 1.6's `Unlocked`/`UnlockFailed`,
  SendLocalList's `HashError` is `Failed`.

Integers and booleans are converted where the WSDL types them; a value that does not convert is
left as its text, so that 1.6's schema refuses it with the error name 1.6 gives (a
TypeConstraintViolation), as it does a missing field (an OccurenceConstraintViolation).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from shared.protocol.soap import local_name

# The element names and what they say, 1.5 to 1.6.
CONNECTOR_STATUS = {"Occupied": "Charging"}
ERROR_CODE = {"Mode3Error": "EVCommunicationError"}
UNIT = {"Amp": "A", "Volt": "V"}
# 1.6 answers the CSMS writes, to 1.5's values.
REGISTRATION_STATUS = {"Pending": "Rejected"}
# 1.5 answers to the CSMS's calls, to 1.6's values.
UNLOCK_STATUS = {"Accepted": "Unlocked", "Rejected": "UnlockFailed"}
LOCAL_LIST_STATUS = {"HashError": "Failed"}

_INTEGERS = frozenset(
    {
        "connectorId",
        "transactionId",
        "meterStart",
        "meterStop",
        "reservationId",
        "listVersion",
        "retries",
        "retryInterval",
        "heartbeatInterval",
    }
)
_BOOLEANS = frozenset({"readonly"})
_LISTS = frozenset({"key", "configurationKey", "unknownKey", "localAuthorisationList"})

# What the CSMS writes, in the order the WSDL's sequences declare.
_NESTED = {
    "idTagInfo": ("status", "expiryDate", "parentIdTag"),
    "localAuthorisationList": ("idTag", "idTagInfo"),
}
_ANSWERS: dict[str, tuple[str, ...]] = {
    "Authorize": ("idTagInfo",),
    "BootNotification": ("status", "currentTime", "heartbeatInterval"),
    "DataTransfer": ("status", "data"),
    "DiagnosticsStatusNotification": (),
    "FirmwareStatusNotification": (),
    "Heartbeat": ("currentTime",),
    "MeterValues": (),
    "StartTransaction": ("transactionId", "idTagInfo"),
    "StatusNotification": (),
    "StopTransaction": ("idTagInfo",),
}
_CALLS: dict[str, tuple[str, ...]] = {
    "CancelReservation": ("reservationId",),
    "ChangeAvailability": ("connectorId", "type"),
    "ChangeConfiguration": ("key", "value"),
    "ClearCache": (),
    "DataTransfer": ("vendorId", "messageId", "data"),
    "GetConfiguration": ("key",),
    "GetDiagnostics": ("location", "startTime", "stopTime", "retries", "retryInterval"),
    "GetLocalListVersion": (),
    "RemoteStartTransaction": ("idTag", "connectorId"),
    "RemoteStopTransaction": ("transactionId",),
    "ReserveNow": ("connectorId", "expiryDate", "idTag", "parentIdTag", "reservationId"),
    "Reset": ("type",),
    "SendLocalList": ("updateType", "listVersion", "localAuthorisationList"),
    "UnlockConnector": ("connectorId",),
    "UpdateFirmware": ("retrieveDate", "location", "retries", "retryInterval"),
}


def action_of(element_name: str, suffix: str) -> str | None:
    """`bootNotificationRequest` -> `BootNotification`; None for a name of another shape."""
    if not element_name.endswith(suffix) or len(element_name) <= len(suffix):
        return None
    stem = element_name.removesuffix(suffix)
    return stem[0].upper() + stem[1:]


def element_name(action: str, suffix: str) -> str:
    return action[0].lower() + action[1:] + suffix


# -- what a charge point sends, and the CSMS's answers ---------------------------------------


def read_request(action: str, element: ET.Element) -> dict[str, Any]:
    """A 1.5 request's body element as the 1.6 payload of the same action."""
    if action == "MeterValues":
        payload = _object(element, skip=("values",))
        payload["meterValue"] = [_meter_value(values) for values in _children(element, "values")]
        return payload
    if action == "StopTransaction":
        payload = _object(element, skip=("transactionData",))
        readings = [
            _meter_value(values)
            for data in _children(element, "transactionData")
            for values in _children(data, "values")
        ]
        if readings:
            payload["transactionData"] = readings
        return payload
    payload = _object(element)
    if action == "StatusNotification":
        for key, mapping in (("status", CONNECTOR_STATUS), ("errorCode", ERROR_CODE)):
            if isinstance(payload.get(key), str):
                payload[key] = mapping.get(payload[key], payload[key])
    return payload


def write_answer(action: str, payload: dict[str, Any], namespace: str) -> ET.Element:
    """The 1.6 answer the handlers gave, as 1.5's response element."""
    fields = dict(payload)
    if action == "BootNotification":
        fields["heartbeatInterval"] = fields.pop("interval", None)
        fields["status"] = REGISTRATION_STATUS.get(fields["status"], fields["status"])
    return _element(namespace, element_name(action, "Response"), fields, _ANSWERS[action])


# -- what the CSMS sends, and the charge point's answers -------------------------------------


def write_call(action: str, payload: dict[str, Any], namespace: str) -> ET.Element:
    """A 1.6 call payload as 1.5's request element. ValueError for what 1.5 cannot carry."""
    order = _CALLS.get(action)
    if order is None:
        raise ValueError(f"{action} is no OCPP 1.5 call")
    fields = dict(payload)
    if action == "SendLocalList":
        fields["localAuthorisationList"] = fields.pop("localAuthorizationList", None)
    extra = sorted(set(fields) - set(order))
    if extra:
        raise ValueError(f"OCPP 1.5's {action} cannot carry {', '.join(extra)}")
    return _element(namespace, element_name(action, "Request"), fields, order)


def read_answer(action: str, element: ET.Element) -> dict[str, Any]:
    """A 1.5 answer to the CSMS's call as the 1.6 answer payload."""
    payload = _object(element)
    status = payload.get("status")
    if isinstance(status, str):
        mapping = {"UnlockConnector": UNLOCK_STATUS, "SendLocalList": LOCAL_LIST_STATUS}.get(action, {})
        payload["status"] = mapping.get(status, status)
    return payload


# -- shapes -----------------------------------------------------------------------------------


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child.tag) == name]


def _meter_value(values: ET.Element) -> dict[str, Any]:
    """1.5's `values`: a timestamp and readings, each a `value` with attributes."""
    reading: dict[str, Any] = {}
    samples = []
    for child in values:
        name = local_name(child.tag)
        if name == "timestamp":
            reading["timestamp"] = (child.text or "").strip()
        elif name == "value":
            sample: dict[str, Any] = {"value": (child.text or "").strip()}
            for attribute in ("context", "format", "measurand", "location", "unit"):
                if attribute in child.attrib:
                    value = child.attrib[attribute]
                    sample[attribute] = UNIT.get(value, value) if attribute == "unit" else value
            samples.append(sample)
    reading["sampledValue"] = samples
    return reading


def _object(element: ET.Element, skip: tuple[str, ...] = (), top: bool = True) -> dict[str, Any]:
    """A message's fields; the repeated ones (`_LISTS`) are lists at its top level only (a
    configuration key's `key` is one name, GetConfiguration's `key` a list of them)."""
    result: dict[str, Any] = {}
    for child in element:
        name = local_name(child.tag)
        if name in skip:
            continue
        value: Any = _object(child, top=False) if len(child) else _scalar(name, (child.text or "").strip())
        if top and name in _LISTS:
            result.setdefault(name, []).append(value)
        else:
            result[name] = value
    return result


def _scalar(name: str, text: str) -> Any:
    if name in _INTEGERS:
        try:
            return int(text)
        except ValueError:
            return text
    if name in _BOOLEANS and text in ("true", "false", "1", "0"):
        return text in ("true", "1")
    return text


def _element(namespace: str, name: str, fields: dict[str, Any], order: tuple[str, ...]) -> ET.Element:
    element = ET.Element(f"{{{namespace}}}{name}")
    for key in order:
        _add(element, namespace, key, fields.get(key))
    return element


def _add(parent: ET.Element, namespace: str, key: str, value: Any) -> None:
    if value is None:
        return
    if isinstance(value, list):
        for item in value:
            _add(parent, namespace, key, item)
        return
    child = ET.SubElement(parent, f"{{{namespace}}}{key}")
    if isinstance(value, dict):
        order = _NESTED.get(key, tuple(value))
        for inner in order:
            _add(child, namespace, inner, value.get(inner))
    elif isinstance(value, bool):
        child.text = "true" if value else "false"
    else:
        child.text = str(value)
