"""The one place where the simulated station's life meets a version's messages.

A station thinks in plain terms (boot, a connector's state, a session started, metered,
stopped; a remote start for connector 2); a dialect turns those into the `ocpp` package's
request classes for 1.6 or 2.x, and reads the answers and commands back.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from types import ModuleType
from typing import Any

from ocpp.charge_point import ChargePoint
from ocpp.v201 import ChargePoint as ChargePoint201

from local.fleet.plan import SessionPlan

ENERGY = "Energy.Active.Import.Register"
POWER = "Power.Active.Import"


class State(StrEnum):
    AVAILABLE = "Available"
    PREPARING = "Preparing"
    CHARGING = "Charging"
    FINISHING = "Finishing"
    FAULTED = "Faulted"
    UNAVAILABLE = "Unavailable"
    RESERVED = "Reserved"


class StopKind(StrEnum):
    LOCAL = "Local"
    REMOTE = "Remote"
    RESET = "Reset"
    DEAUTHORIZED = "DeAuthorized"
    POWER_LOSS = "PowerLoss"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class Session:
    """A session as the station knows it. `transaction_id` is what the CSMS knows it by: the
    station's own id in 2.x, the id StartTransaction's answer gives in 1.6 (None until then)."""

    connector: int
    tag: str
    local_id: str
    meter_start_wh: int
    started_at: str
    remote_start_id: int | None = None
    reservation_id: int | None = None  # the reservation it started on
    transaction_id: str | None = None
    meter_wh: int = 0
    stop_kind: StopKind | None = None
    stopped_at: str | None = None
    seq_no: int = 0
    ended: bool = False  # the stop message has been answered
    start_answered: bool = False
    accrued_at: float = 0.0  # when its energy was last added up (monotonic)
    power_w: float = 0.0
    running_cost: float | None = None  # the latest cost the CSMS showed during the session
    final_cost: float | None = None  # what the CSMS said it cost at the end
    stop_requested: Any = field(default=None, repr=False)  # an asyncio.Event, set by a remote stop

    @property
    def energy_wh(self) -> int:
        return self.meter_wh - self.meter_start_wh

    def next_seq(self) -> int:
        seq, self.seq_no = self.seq_no, self.seq_no + 1
        return seq


@dataclass(frozen=True)
class RemoteStart:
    connector: int | None
    tag: str
    remote_start_id: int | None = None


VENDOR = "CSMS Fleet"
FIRST_FIRMWARE = "fleet-1.0"


class Dialect:
    """What both generations share; subclasses fill in the messages."""

    version: str
    # The version whose `ocpp` package classes and schemas the station words its messages in:
    # its own, or (1.5 and 2.0, which the package lacks) the one that replaced it.
    schemas: str
    # Whether the package checks what goes out and comes in against `schemas`' schemas: not for
    # 2.0, whose wire shapes differ from 2.0.1's where decision 0041 lists.
    validates = True
    heartbeat_key: str
    meter_interval_key: str
    # What moves the station to another security profile: 1.6's SecurityProfile key; 2.x's
    # NetworkConfigurationPriority, whose first slot's connection profile applies after a reset.
    security_key: str

    def __init__(self) -> None:
        package = "ocpp.v" + self.schemas.replace(".", "")
        self.call: ModuleType = importlib.import_module(package + ".call")
        self.call_result: ModuleType = importlib.import_module(package + ".call_result")
        self.client_class: type[ChargePoint] = importlib.import_module(package).ChargePoint

    def composite_answer(self, connector: int, duration: int, limit_w: float) -> dict[str, Any]:
        """A GetCompositeSchedule answer: one period at `limit_w` from now, in snake_case."""
        schedule = {
            "duration": duration,
            "charging_rate_unit": "W",
            "charging_schedule_period": [{"start_period": 0, "limit": round(limit_w, 1)}],
        }
        if self.schemas == "1.6":
            return {
                "status": "Accepted",
                "connector_id": connector,
                "schedule_start": now(),
                "charging_schedule": schedule,
            }
        return {"status": "Accepted", "schedule": {"evse_id": connector, "schedule_start": now(), **schedule}}

    def label(self, payload: Any) -> str:
        """The report's name for a message: its action, and the event type of a TransactionEvent."""
        name = type(payload).__name__
        event = getattr(payload, "event_type", None)
        return f"{name} {event}" if event else name

    def configuration(self, connectors: int, heartbeat_s: int, meter_s: float) -> dict[str, str]:
        raise NotImplementedError

    def read_only(self) -> frozenset[str]:
        return frozenset()

    def ready(self, session: Session) -> bool:
        """Whether a queued message of this session can be built (see 1.6)."""
        return True

    def remote_stop(self, request: dict[str, Any]) -> str:
        """The session a RemoteStop/RequestStopTransaction names, as the station knows it."""
        return str(request["transaction_id"])

    # Maintenance statuses. The names of failures differ: 1.6's DiagnosticsStatusNotification
    # says UploadFailed where LogStatusNotification says UploadFailure.
    def firmware_status(self, status: str, request_id: int | None) -> Any:
        return self.call.FirmwareStatusNotification(status=status, request_id=request_id)

    def reservation_expired(self, reservation_id: int) -> Any | None:
        """What the station says when a reservation lapses: 2.x ReservationStatusUpdate; 1.6
        says nothing."""
        return None

    def log_status(self, status: str, request_id: int | None) -> Any:
        if status == "UploadFailed":
            status = "UploadFailure"
        return self.call.LogStatusNotification(status=status, request_id=request_id)

    def charging_needs(self, session: Session, plan: SessionPlan) -> Any | None:
        """What an ISO 15118 EV tells the CSMS through the station; None: the version cannot."""
        return None


class V16(Dialect):
    version = schemas = "1.6"
    heartbeat_key = "HeartbeatInterval"
    meter_interval_key = "MeterValueSampleInterval"
    security_key = "SecurityProfile"

    def boot(self, station_id: str, model: str, reason: str, firmware: str) -> Any:
        return self.call.BootNotification(
            charge_point_vendor=VENDOR,
            charge_point_model=model,
            charge_point_serial_number=station_id[-25:],
            firmware_version=firmware,
        )

    def firmware_status(self, status: str, request_id: int | None) -> Any:
        """A signed update (it has a request id) reports by SignedFirmwareStatusNotification."""
        if request_id is not None:
            return self.call.SignedFirmwareStatusNotification(status=status, request_id=request_id)
        return self.call.FirmwareStatusNotification(status=status)

    def log_status(self, status: str, request_id: int | None) -> Any:
        """GetDiagnostics (no request id) reports by DiagnosticsStatusNotification."""
        if request_id is None:
            return self.call.DiagnosticsStatusNotification(status=status)
        return super().log_status(status, request_id)

    def status(self, connector: int, state: State, error_code: str | None = None) -> Any:
        return self.call.StatusNotification(
            connector_id=connector,
            error_code=error_code or "NoError",
            status=state.value,
            timestamp=now(),
        )

    def authorize(self, tag: str) -> Any:
        return self.call.Authorize(id_tag=tag)

    def accepted(self, answer: Any) -> bool:
        return answer.id_tag_info["status"] == "Accepted"

    def started(self, session: Session, offline: bool) -> Any:
        return self.call.StartTransaction(
            connector_id=session.connector,
            id_tag=session.tag,
            meter_start=session.meter_start_wh,
            timestamp=session.started_at,
            reservation_id=session.reservation_id,
        )

    def on_started(self, session: Session, answer: Any) -> bool:
        session.transaction_id = str(answer.transaction_id)
        return answer.id_tag_info["status"] == "Accepted"

    def metered(self, session: Session, wh: int, power_w: float, at: str, offline: bool) -> Any:
        return self.call.MeterValues(
            connector_id=session.connector,
            transaction_id=int(session.transaction_id) if session.transaction_id else None,
            meter_value=[
                {
                    "timestamp": at,
                    "sampled_value": [
                        {"value": str(wh), "context": "Sample.Periodic", "measurand": ENERGY, "unit": "Wh"},
                        {
                            "value": f"{power_w:.0f}",
                            "context": "Sample.Periodic",
                            "measurand": POWER,
                            "unit": "W",
                        },
                    ],
                }
            ],
        )

    _REASONS = {
        StopKind.LOCAL: "Local",
        StopKind.REMOTE: "Remote",
        StopKind.RESET: "SoftReset",
        StopKind.DEAUTHORIZED: "DeAuthorized",
        StopKind.POWER_LOSS: "PowerLoss",
    }

    def ended(self, session: Session, offline: bool) -> Any:
        assert session.stop_kind is not None and session.stopped_at is not None
        return self.call.StopTransaction(
            meter_stop=session.meter_wh,
            timestamp=session.stopped_at,
            transaction_id=int(session.transaction_id or 0),
            reason=self._REASONS[session.stop_kind],
            id_tag=session.tag,
        )

    def ready(self, session: Session) -> bool:
        """Whether a queued message of this session can be built: 1.6 needs the id that the
        StartTransaction answer gives."""
        return session.transaction_id is not None

    def remote_start(self, request: dict[str, Any]) -> RemoteStart:
        return RemoteStart(request.get("connector_id"), request["id_tag"])

    def configuration(self, connectors: int, heartbeat_s: int, meter_s: float) -> dict[str, str]:
        return {
            "HeartbeatInterval": str(heartbeat_s),
            "MeterValueSampleInterval": str(int(meter_s)),
            "NumberOfConnectors": str(connectors),
            "AuthorizeRemoteTxRequests": "false",
            "LocalAuthorizeOffline": "true",
            "MeterValuesSampledData": f"{ENERGY},{POWER}",
            "CustomDisplayCostAndPrice": "true",  # OCA California pricing: it shows costs
            "SecurityProfile": "1",
        }

    def read_only(self) -> frozenset[str]:
        return frozenset({"NumberOfConnectors", "CustomDisplayCostAndPrice"})


class V2(Dialect):
    heartbeat_key = "OCPPCommCtrlr.HeartbeatInterval"
    meter_interval_key = "SampledDataCtrlr.TxUpdatedInterval"
    security_key = "OCPPCommCtrlr.NetworkConfigurationPriority"

    def __init__(self, version: str) -> None:
        self.version = self.schemas = version
        super().__init__()

    def reservation_expired(self, reservation_id: int) -> Any | None:
        return self.call.ReservationStatusUpdate(
            reservation_id=reservation_id, reservation_update_status="Expired"
        )

    def boot(self, station_id: str, model: str, reason: str, firmware: str) -> Any:
        return self.call.BootNotification(
            charging_station={
                "model": model,
                "vendor_name": VENDOR,
                "serial_number": station_id[-25:],
                "firmware_version": firmware,
            },
            reason=reason,
        )

    _STATES = {
        State.AVAILABLE: "Available",
        State.PREPARING: "Occupied",
        State.CHARGING: "Occupied",
        State.FINISHING: "Occupied",
        State.FAULTED: "Faulted",
        State.UNAVAILABLE: "Unavailable",
        State.RESERVED: "Reserved",
    }

    def status(self, connector: int, state: State, error_code: str | None = None) -> Any:
        return self.call.StatusNotification(
            timestamp=now(), connector_status=self._STATES[state], evse_id=connector, connector_id=1
        )

    @staticmethod
    def _token(tag: str) -> dict[str, str]:
        return {"id_token": tag, "type": "ISO14443"}

    def authorize(self, tag: str) -> Any:
        return self.call.Authorize(id_token=self._token(tag))

    def accepted(self, answer: Any) -> bool:
        return answer.id_token_info["status"] == "Accepted"

    @staticmethod
    def _meter(wh: int, power_w: float | None, at: str, context: str) -> list[dict[str, Any]]:
        samples: list[dict[str, Any]] = [
            {"value": wh, "context": context, "measurand": ENERGY, "unit_of_measure": {"unit": "Wh"}}
        ]
        if power_w is not None:
            samples.append(
                {
                    "value": round(power_w),
                    "context": context,
                    "measurand": POWER,
                    "unit_of_measure": {"unit": "W"},
                }
            )
        return [{"timestamp": at, "sampled_value": samples}]

    def started(self, session: Session, offline: bool) -> Any:
        info: dict[str, Any] = {"transaction_id": session.local_id, "charging_state": "Charging"}
        if session.remote_start_id is not None:
            info["remote_start_id"] = session.remote_start_id
        return self.call.TransactionEvent(
            event_type="Started",
            timestamp=session.started_at,
            trigger_reason="RemoteStart" if session.remote_start_id is not None else "Authorized",
            seq_no=session.next_seq(),
            transaction_info=info,
            id_token=self._token(session.tag),
            evse={"id": session.connector, "connector_id": 1},
            meter_value=self._meter(session.meter_start_wh, None, session.started_at, "Transaction.Begin"),
            reservation_id=session.reservation_id,
            offline=offline or None,
        )

    def on_started(self, session: Session, answer: Any) -> bool:
        info = answer.id_token_info or {"status": "Accepted"}
        return info["status"] == "Accepted"

    def charging_needs(self, session: Session, plan: SessionPlan) -> Any | None:
        began = datetime.fromisoformat(session.started_at.replace("Z", "+00:00"))
        leaves = (began + timedelta(seconds=plan.duration_s)).isoformat(timespec="seconds")
        wanted = min(plan.wanted_wh, plan.power_kw * 1000 * plan.duration_s / 3600 * 2)
        return self.call.NotifyEVChargingNeeds(
            evse_id=session.connector,
            charging_needs={
                "requested_energy_transfer": "AC_three_phase",
                "departure_time": leaves.replace("+00:00", "Z"),
                "ac_charging_parameters": {
                    "energy_amount": int(wanted),
                    "ev_min_current": 6,
                    "ev_max_current": int(plan.power_kw * 1000 / (230 * 3)),
                    "ev_max_voltage": 400,
                },
            },
        )

    def metered(self, session: Session, wh: int, power_w: float, at: str, offline: bool) -> Any:
        return self.call.TransactionEvent(
            event_type="Updated",
            timestamp=at,
            trigger_reason="MeterValuePeriodic",
            seq_no=session.next_seq(),
            transaction_info={"transaction_id": session.local_id},
            meter_value=self._meter(wh, power_w, at, "Sample.Periodic"),
            offline=offline or None,
        )

    _TRIGGERS = {
        StopKind.LOCAL: ("StopAuthorized", "Local"),
        StopKind.REMOTE: ("RemoteStop", "Remote"),
        StopKind.RESET: ("ResetCommand", "ImmediateReset"),
        StopKind.DEAUTHORIZED: ("Deauthorized", "DeAuthorized"),
        StopKind.POWER_LOSS: ("AbnormalCondition", "PowerLoss"),
    }

    def ended(self, session: Session, offline: bool) -> Any:
        assert session.stop_kind is not None and session.stopped_at is not None
        trigger, reason = self._TRIGGERS[session.stop_kind]
        return self.call.TransactionEvent(
            event_type="Ended",
            timestamp=session.stopped_at,
            trigger_reason=trigger,
            seq_no=session.next_seq(),
            transaction_info={"transaction_id": session.local_id, "stopped_reason": reason},
            meter_value=self._meter(session.meter_wh, None, session.stopped_at, "Transaction.End"),
            offline=offline or None,
        )

    def remote_start(self, request: dict[str, Any]) -> RemoteStart:
        return RemoteStart(
            request.get("evse_id"), request["id_token"]["id_token"], request.get("remote_start_id")
        )

    def configuration(self, connectors: int, heartbeat_s: int, meter_s: float) -> dict[str, str]:
        return {
            "OCPPCommCtrlr.HeartbeatInterval": str(heartbeat_s),
            "OCPPCommCtrlr.NetworkConfigurationPriority": "1",
            "SampledDataCtrlr.TxUpdatedInterval": str(int(meter_s)),
            "SampledDataCtrlr.TxUpdatedMeasurands": f"{ENERGY},{POWER}",
            "AuthCtrlr.AuthorizeRemoteStart": "false",
            "AuthCtrlr.LocalAuthorizeOffline": "true",
            "ChargingStation.AvailabilityState": "Available",
            "EVSE.Count": str(connectors),
        }

    def read_only(self) -> frozenset[str]:
        return frozenset({"EVSE.Count", "ChargingStation.AvailabilityState"})


class V15(V16):
    """OCPP 1.5, worded as its SOAP envelopes carry it (local/fleet/soap15.py writes the XML).

    1.6 kept 1.5's messages and widened them, so the station builds 1.6's classes with 1.5's
    values: one `Occupied` for a connector in use, no stop reason, and only the firmware and
    diagnostics statuses 1.5 has (it says nothing while downloading, installing or uploading)."""

    version = "1.5"
    _OCCUPIED = frozenset({State.PREPARING, State.CHARGING, State.FINISHING})
    FIRMWARE_STATUSES = frozenset({"Downloaded", "DownloadFailed", "InstallationFailed", "Installed"})
    DIAGNOSTICS_STATUSES = frozenset({"Uploaded", "UploadFailed"})

    def status(self, connector: int, state: State, error_code: str | None = None) -> Any:
        message = super().status(connector, state, error_code)
        if state in self._OCCUPIED:
            message.status = "Occupied"
        return message

    def ended(self, session: Session, offline: bool) -> Any:
        message = super().ended(session, offline)
        message.reason = None
        return message

    def configuration(self, connectors: int, heartbeat_s: int, meter_s: float) -> dict[str, str]:
        """1.6's keys but its security profile, which came with 1.6."""
        keys = super().configuration(connectors, heartbeat_s, meter_s)
        del keys["SecurityProfile"]
        return keys

    def firmware_status(self, status: str, request_id: int | None) -> Any | None:
        return (
            self.call.FirmwareStatusNotification(status=status) if status in self.FIRMWARE_STATUSES else None
        )

    def log_status(self, status: str, request_id: int | None) -> Any | None:
        if status not in self.DIAGNOSTICS_STATUSES:
            return None
        return self.call.DiagnosticsStatusNotification(status=status)


@dataclass
class TransactionEvent20:
    """2.0's TransactionEvent: 2.0.1 renamed its `transactionData` (and the `id` in it)."""

    event_type: str
    timestamp: str
    trigger_reason: str
    seq_no: int
    transaction_data: dict[str, Any]
    offline: bool | None = None
    number_of_phases_used: int | None = None
    cable_max_current: int | None = None
    reservation_id: int | None = None
    evse: dict[str, Any] | None = None
    id_token: dict[str, Any] | None = None
    meter_value: list[dict[str, Any]] | None = None


TransactionEvent20.__name__ = "TransactionEvent"  # the action the package names the frame by


@dataclass
class Authorize20:
    """2.0's Authorize may name the EVSEs the driver stands at, which 2.0.1 dropped."""

    id_token: dict[str, Any]
    evse_id: list[int] | None = None


Authorize20.__name__ = "Authorize"


class _Lenient:
    """2.0.1's answer classes, taking what 2.0 adds (Authorize's `evseId` beside the token's
    info) without failing on it: the station does not use it."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module

    def __getattr__(self, name: str) -> Any:
        cls = getattr(self.module, name)
        known = {f.name for f in fields(cls)}
        return lambda **given: cls(**{k: v for k, v in given.items() if k in known})


class Client20(ChargePoint201):
    """The 2.0.1 client, sending 2.0's shapes unchecked (there are no 2.0 schemas to check them)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._call_result = _Lenient(self._call_result)

    async def call(
        self, payload: Any, suppress: bool = True, unique_id: Any = None, skip_schema_validation: bool = True
    ) -> Any:
        return await super().call(payload, suppress, unique_id, skip_schema_validation=True)


class V20(V2):
    """OCPP 2.0 (2018), on the `ocpp` package's 2.0.1 classes with 2.0's shapes where they
    differ (shared/protocol/v20.py lists them): TransactionEvent's `transactionData`, an
    Authorize naming its EVSE, and the calls the CSMS words in 2.0 (a flat ChangeAvailability,
    a nested ReserveNow; obeying.py reads both shapes). The package has no 2.0 schemas, so
    nothing is validated here: the CSMS's rules are what checks the shapes."""

    validates = False

    def __init__(self) -> None:
        super().__init__("2.0.1")
        self.version = "2.0"
        self.client_class = Client20

    def authorize(self, tag: str) -> Any:
        return Authorize20(id_token=self._token(tag))

    @staticmethod
    def _as_2_0(message: Any) -> TransactionEvent20:
        info = dict(message.transaction_info)
        data = {"id": info.pop("transaction_id"), **info}
        return TransactionEvent20(
            event_type=message.event_type,
            timestamp=message.timestamp,
            trigger_reason=message.trigger_reason,
            seq_no=message.seq_no,
            transaction_data=data,
            offline=message.offline,
            reservation_id=message.reservation_id,
            evse=message.evse,
            id_token=message.id_token,
            meter_value=message.meter_value,
        )

    def started(self, session: Session, offline: bool) -> Any:
        return self._as_2_0(super().started(session, offline))

    def metered(self, session: Session, wh: int, power_w: float, at: str, offline: bool) -> Any:
        return self._as_2_0(super().metered(session, wh, power_w, at, offline))

    def ended(self, session: Session, offline: bool) -> Any:
        return self._as_2_0(super().ended(session, offline))

    def charging_needs(self, session: Session, plan: SessionPlan) -> Any | None:
        """2.0 names the energy transfer mode by its ISO 15118 service."""
        needs = super().charging_needs(session, plan)
        needs.charging_needs["requested_energy_transfer"] = "AC_three_phase_core"
        return needs

    def composite_answer(self, connector: int, duration: int, limit_w: float) -> dict[str, Any]:
        """2.0's schedule nests the charging schedule, with the EVSE beside it."""
        answer = super().composite_answer(connector, duration, limit_w)
        inner = answer.pop("schedule")
        answer["evse_id"] = inner.pop("evse_id")
        start = inner.pop("schedule_start")
        answer["schedule"] = {"start_date_time": start, "charging_schedule": inner}
        return answer


def dialect_for(version: str) -> Dialect:
    dialects: dict[str, type[Dialect]] = {"1.5": V15, "1.6": V16, "2.0": V20}
    found = dialects.get(version)
    return found() if found is not None else V2(version)
