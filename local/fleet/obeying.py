"""How a simulated station answers the CSMS's calls: every CSMS-initiated action of its
version, so that the whole operator API can be tried against the fleet.

The actions a station acts on (remote start and stop, reset, availability, configuration,
trigger, local list, firmware updates, diagnostics and logs) have rules; every other action
gets the smallest answer its response schema accepts, with status Accepted where the schema
offers it. `overrides` change that per
action: a status ("Reset=Rejected") or a CALLERROR ("Reset=error:NotSupported").
"""

from __future__ import annotations

import inspect
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from ocpp import exceptions
from ocpp.charge_point import ChargePoint, camel_to_snake_case

from local.fleet.dialects import Dialect, RemoteStart
from local.fleet.samples import minimal, schema_of
from shared.protocol.versions import profile_for

PREFERRED = ("Accepted", "Unlocked")
COST_VENDOR = "org.openchargealliance.costmsg"
ERRORS: dict[str, type[exceptions.OCPPError]] = {
    cls.code: cls
    for cls in vars(exceptions).values()
    if inspect.isclass(cls) and issubclass(cls, exceptions.OCPPError) and hasattr(cls, "code")
}

FollowUp = Callable[[], Awaitable[None]]


class Commanded(Protocol):
    """What a station offers the rules."""

    id: str
    connectors: int
    configuration: dict[str, str]
    local_list_version: int
    local_list: dict[str, str]  # token -> status

    def accept_remote_start(self, request: RemoteStart) -> FollowUp | None: ...
    def accept_remote_stop(self, transaction_id: str) -> FollowUp | None: ...
    def reboot_later(self, hard: bool) -> FollowUp: ...
    def set_availability(self, connector: int | None, available: bool) -> FollowUp: ...
    def triggered(self, message: str, connector: int | None) -> FollowUp | None: ...
    def configuration_changed(self, key: str) -> None: ...
    def command_received(self, action: str) -> None: ...
    def update_firmware(self, location: str, request_id: int | None, signed: bool) -> FollowUp: ...
    def reserve(
        self, connector: int | None, reservation_id: int, tag: str, expires_at: str
    ) -> tuple[str, FollowUp | None]: ...
    def cancel_reservation(self, reservation_id: int) -> FollowUp | None: ...
    def send_log(self, location: str, request_id: int | None, kind: str) -> tuple[str, FollowUp]: ...
    def cost_shown(self, transaction_id: str, cost: float, final: bool) -> bool: ...
    def hold_profile(self, connector: int, profile: dict[str, Any]) -> None: ...
    def clear_profile(self, profile_id: int) -> bool: ...
    def limit_now(self, connector: int) -> float | None: ...
    def certificate_signed(self, chain: str) -> str: ...
    def keep_network_profile(self, slot: int, profile: int) -> None: ...


def parse_overrides(pairs: list[str], versions: list[str]) -> dict[str, str]:
    """ACTION=STATUS or ACTION=error:CODE ('*' for every action), checked against the schemas
    of the fleet's versions so that a typo fails at start, not in the middle of a run."""
    overrides: dict[str, str] = {}
    for pair in pairs:
        action, sep, answer = pair.partition("=")
        if not sep or not answer:
            raise ValueError(f"--answer {pair!r}: expected ACTION=STATUS or ACTION=error:CODE")
        if answer.startswith("error:") and answer.removeprefix("error:") not in ERRORS:
            raise ValueError(f"--answer {pair!r}: unknown error code; one of {', '.join(sorted(ERRORS))}")
        known = action == "*" or any(action in profile_for(v).from_csms for v in versions)
        if not known:
            raise ValueError(f"--answer {pair!r}: {action} is not a CSMS-initiated action of {versions}")
        overrides[action] = answer
    return overrides


def default_answer(version: str, action: str, status: str | None = None) -> dict[str, Any]:
    """The smallest schema-valid answer, in snake_case for the package's result classes."""
    prefer = (status, *PREFERRED) if status else PREFERRED
    return camel_to_snake_case(minimal(schema_of(version, action, response=True), prefer=prefer))


class Answers:
    def __init__(self, station: Commanded, dialect: Dialect, overrides: dict[str, str]) -> None:
        self.station = station
        self.dialect = dialect
        self.overrides = overrides
        self._follow_ups: dict[str, FollowUp] = {}
        self.received: Counter[str] = Counter()  # each CSMS call's message id: delivered once?

    def install(self, client: ChargePoint) -> None:
        """A route for every CSMS-initiated action of the version, on this connection's client."""
        for action in profile_for(self.dialect.version).from_csms:
            client.route_map[action] = {
                "_on_action": self._on(action),
                "_after_action": self._after,
                "_skip_schema_validation": not self.dialect.validates,
            }

    def _on(self, action: str) -> Callable[..., Any]:
        def answer(call_unique_id: str, **request: Any) -> Any:
            self.received[call_unique_id] += 1
            self.station.command_received(action)
            override = self.overrides.get(action) or self.overrides.get("*")
            if override and override.startswith("error:"):
                raise ERRORS[override.removeprefix("error:")](description=f"{self.station.id} answers so")
            if override and override != "Accepted":
                fields = default_answer(self.dialect.schemas, action, override)
            else:
                rule = getattr(self, "_" + action, None)
                fields, follow_up = (
                    rule(request) if rule else (default_answer(self.dialect.schemas, action), None)
                )
                if follow_up is not None:
                    self._follow_ups[call_unique_id] = follow_up
            return getattr(self.dialect.call_result, action)(**fields)

        return answer

    async def _after(self, call_unique_id: str, **request: Any) -> None:
        """Runs once the answer is on its way: a station resets after saying it will."""
        follow_up = self._follow_ups.pop(call_unique_id, None)
        if follow_up is not None:
            await follow_up()

    # --- Rules, named after the action ------------------------------------------------------

    def _status(
        self, follow_up: FollowUp | None, accepted: str = "Accepted"
    ) -> tuple[dict[str, Any], FollowUp | None]:
        return {"status": accepted if follow_up else "Rejected"}, follow_up

    def _RemoteStartTransaction(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        return self._status(self.station.accept_remote_start(self.dialect.remote_start(request)))

    _RequestStartTransaction = _RemoteStartTransaction

    def _RemoteStopTransaction(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        return self._status(self.station.accept_remote_stop(self.dialect.remote_stop(request)))

    _RequestStopTransaction = _RemoteStopTransaction

    def _Reset(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        hard = request.get("type") == "Hard"
        return {"status": "Accepted"}, self.station.reboot_later(hard)

    def _ChangeAvailability(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        if "connector_id" in request:  # 1.6
            where, wanted = request["connector_id"] or None, request["type"]
        else:  # 2.0 names the EVSE by its id alone
            evse = request.get("evse") or {"id": request.get("evse_id")}
            where, wanted = evse.get("id") or None, request["operational_status"]
        return {"status": "Accepted"}, self.station.set_availability(where, wanted in ("Operative",))

    def _UnlockConnector(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        return {"status": "Unlocked"}, None

    def _TriggerMessage(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        connector = request.get("connector_id") or (request.get("evse") or {}).get("id")
        follow_up = self.station.triggered(request["requested_message"], connector)
        return {"status": "Accepted" if follow_up else "NotImplemented"}, follow_up

    def _GetConfiguration(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        config, read_only = self.station.configuration, self.dialect.read_only()
        wanted = request.get("key") or list(config)
        return {
            "configuration_key": [
                {"key": key, "readonly": key in read_only, "value": config[key]}
                for key in wanted
                if key in config
            ],
            "unknown_key": [key for key in wanted if key not in config] or None,
        }, None

    def _ChangeConfiguration(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        return {"status": self._set(request["key"], request["value"])}, None

    def _set(self, key: str, value: str) -> str:
        config = self.station.configuration
        if key not in config:
            return "NotSupported" if self.dialect.schemas == "1.6" else "UnknownVariable"
        if key in self.dialect.read_only():
            return "Rejected"
        config[key] = value
        self.station.configuration_changed(key)
        return "Accepted"

    @staticmethod
    def _key(item: dict[str, Any]) -> str:
        return f"{item['component']['name']}.{item['variable']['name']}"

    def _GetVariables(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        config, results = self.station.configuration, []
        for item in request["get_variable_data"]:
            key = self._key(item)
            result = {"component": item["component"], "variable": item["variable"]}
            if key in config:
                result |= {"attribute_status": "Accepted", "attribute_value": config[key]}
            else:
                known = any(k.startswith(item["component"]["name"] + ".") for k in config)
                result["attribute_status"] = "UnknownVariable" if known else "UnknownComponent"
            results.append(result)
        return {"get_variable_result": results}, None

    def _SetVariables(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        results = []
        for item in request["set_variable_data"]:
            status = self._set(self._key(item), str(item["attribute_value"]))
            if status == "UnknownVariable" and not any(
                k.startswith(item["component"]["name"] + ".") for k in self.station.configuration
            ):
                status = "UnknownComponent"
            results.append(
                {"component": item["component"], "variable": item["variable"], "attribute_status": status}
            )
        return {"set_variable_result": results}, None

    # The local list's version is `listVersion` in 1.6 and `versionNumber` in 2.x.
    def _GetLocalListVersion(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        field = "list_version" if self.dialect.schemas == "1.6" else "version_number"
        return {field: self.station.local_list_version}, None

    def _SendLocalList(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        """Kept, entry by entry: a full list replaces the one held, a differential one changes
        it (an entry without its info removes the token). Offline, the station authorizes from it."""
        version = int(request.get("list_version", request.get("version_number", 0)))
        held = self.station.local_list
        if request["update_type"] == "Full":
            held.clear()
        elif version <= self.station.local_list_version:
            return {"status": "VersionMismatch"}, None
        for item in request.get("local_authorization_list") or []:
            token = item["id_tag"] if "id_tag" in item else item["id_token"]["id_token"]
            info = item.get("id_tag_info") or item.get("id_token_info")
            if info is None:
                held.pop(token, None)
            else:
                held[token] = info["status"]
        self.station.local_list_version = version
        return {"status": "Accepted"}, None

    # --- Maintenance ------------------------------------------------------------------------

    def _UpdateFirmware(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        if "firmware" in request:  # 2.x
            follow_up = self.station.update_firmware(
                request["firmware"]["location"], request["request_id"], False
            )
            return {"status": "Accepted"}, follow_up
        return {}, self.station.update_firmware(request["location"], None, False)

    def _SignedUpdateFirmware(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        return {"status": "Accepted"}, self.station.update_firmware(
            request["firmware"]["location"], request["request_id"], True
        )

    def _GetDiagnostics(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        name, follow_up = self.station.send_log(request["location"], None, "diagnostics")
        return {"file_name": name}, follow_up

    def _GetLog(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        kind = "security" if request["log_type"] == "SecurityLog" else "diagnostics"
        name, follow_up = self.station.send_log(
            request["log"]["remote_location"], request["request_id"], kind
        )
        return {"status": "Accepted", "filename": name}, follow_up

    # --- Reservations -------------------------------------------------------------------------

    def _ReserveNow(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        if "reservation_id" in request:  # 1.6
            where, reservation_id = request["connector_id"] or None, request["reservation_id"]
            tag, expires_at = request["id_tag"], request["expiry_date"]
        elif "reservation" in request:  # 2.0 nests the reservation
            held = request["reservation"]
            where, reservation_id = (held.get("evse") or {}).get("id"), held["id"]
            tag, expires_at = request["id_token"]["id_token"], held["expiry_date_time"]
        else:
            where, reservation_id = request.get("evse_id"), request["id"]
            tag, expires_at = request["id_token"]["id_token"], request["expiry_date_time"]
        status, follow_up = self.station.reserve(where, reservation_id, tag, expires_at)
        return {"status": status}, follow_up

    def _SetChargingProfile(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        """Held, and obeyed: its sessions draw no more than the profiles let them. A TxProfile
        for a transaction that is not the one on its connector is Rejected, as stations do (it
        may come late, after its session ended and another began)."""
        connector = request.get("connector_id", request.get("evse_id", 0))
        profile = request.get("cs_charging_profiles") or request["charging_profile"]
        if profile["charging_profile_purpose"] == "TxProfile":
            session = self.station.active.get(connector)
            named = profile.get("transaction_id")
            known = None if session is None else session.transaction_id  # 1.6: None until answered
            if session is None or (None not in (named, known) and str(named) != str(known)):
                return {"status": "Rejected"}, None
        self.station.hold_profile(connector, profile)
        return {"status": "Accepted"}, None

    def _ClearChargingProfile(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        profile_id = request.get("id", request.get("charging_profile_id"))
        if profile_id is None:  # 2.0 names it in the profile it describes
            profile_id = (request.get("charging_profile") or {}).get("id")
        found = profile_id is not None and self.station.clear_profile(int(profile_id))
        return {"status": "Accepted" if found else "Unknown"}, None

    def _GetCompositeSchedule(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        """The limit in force now, in watts, for the whole duration (or Rejected: nothing limits)."""
        connector = request.get("connector_id", request.get("evse_id", 0))
        limit = self.station.limit_now(connector)
        if limit is None:
            return {"status": "Rejected"}, None
        return self.dialect.composite_answer(connector, request["duration"], limit), None

    def _CostUpdated(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        self.station.cost_shown(request["transaction_id"], request["total_cost"], final=False)
        return {}, None

    def _DataTransfer(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        """1.6 cost messages (OCA California pricing) are shown; other vendors' are not known."""
        if request["vendor_id"] != COST_VENDOR:
            return {"status": "UnknownVendorId"}, None
        message = request.get("message_id")
        data = json.loads(request.get("data") or "{}")
        if message not in ("RunningCost", "FinalCost") or "transactionId" not in data:
            return {"status": "UnknownMessageId"}, None
        shown = self.station.cost_shown(
            str(data["transactionId"]), data["cost"], final=message == "FinalCost"
        )
        return {"status": "Accepted" if shown else "Rejected"}, None

    # --- Security -----------------------------------------------------------------------------

    def _CertificateSigned(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        return {"status": self.station.certificate_signed(request["certificate_chain"])}, None

    def _SetNetworkProfile(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        slot, data = request["configuration_slot"], request["connection_data"]
        self.station.keep_network_profile(slot, data["security_profile"])
        return {"status": "Accepted"}, None

    def _CancelReservation(self, request: dict[str, Any]) -> tuple[dict[str, Any], FollowUp | None]:
        follow_up = self.station.cancel_reservation(request["reservation_id"])
        return {"status": "Accepted" if follow_up else "Rejected"}, follow_up
