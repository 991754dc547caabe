"""OCPP 2.0.1 and 2.1 messages to and from the domain (the two share these shapes)."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime
from typing import Any

from shared.domain.authorization import Authorization, IdToken
from shared.domain.availability import ConnectorStatusReport
from shared.domain.certificates import (
    CertificateUse,
    ContractRequest,
    Installed,
    Relayed,
    RootKind,
    Standing,
    StatusQuestion,
)
from shared.domain.charging_profiles import (
    DEFAULT_PHASES,
    NOMINAL_VOLTAGE,
    CompositeSchedule,
    ProfileFacts,
    peak_amps,
)
from shared.domain.commands import Command, Intent
from shared.domain.configuration import CHANGED, ConfigurationValue, ReportPart, variable_key
from shared.domain.display_messages import DisplayMessage
from shared.domain.errors import CommandRefused
from shared.domain.local_lists import ListChange, ListUpdate
from shared.domain.maintenance import (
    FirmwareUpdate,
    Kind,
    LogRequest,
    LogType,
    MaintenanceAnswer,
    StatusReport,
)
from shared.domain.meter_values import (
    DEFAULT_CONTEXT,
    DEFAULT_LOCATION,
    DEFAULT_MEASURAND,
    MeterValue,
    MeterValuesReport,
    Sample,
    normalise,
)
from shared.domain.passwords import REDACTED
from shared.domain.provisioning import BootInfo, NetworkSlot
from shared.domain.remote_control import RemoteStart
from shared.domain.reservations import Reservation
from shared.domain.sites import ALLOCATOR_STACK_LEVEL, ChargingNeeds, SiteProfile, SiteProfileKind
from shared.domain.station_events import DataTransferMessage, Monitor, StationEvent
from shared.domain.station_events import EventKind as Kept
from shared.domain.tariffs import Breakdown, Tariff
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import (
    EventKind,
    SessionEvent,
    SessionStart,
    SessionStop,
    TransactionEventReport,
)
from shared.protocol.adapters.base import (
    accepted,
    composite_call,
    composite_of,
    delete_certificate_call,
    firmware_payload,
    get_log_answer,
    get_log_payload,
    local_list_call,
    local_list_read,
    no_tariffs,
    not_in_version,
    parse_timestamp,
    read_data_transfer,
    read_limit,
    read_maintenance_status,
    read_meter_values,
    read_security_event,
    reservation_answer,
    started_schedule,
    token_entry,
)
from shared.protocol.errors import ErrorKind, RpcError

# The type of the group token in an answer: the list keeps a parent's value only, and a
# group is something the CSMS defines.
GROUP_TOKEN_TYPE = "Central"
# MessageContentType.content: 512 characters in 2.0.1 (1024 in 2.1; the lower bound serves both).
MESSAGE_CONTENT_MAX = 512


def _names(item: dict[str, Any], key: str) -> bool:
    """Whether a SetVariableData or SetVariableResult is of this setting (Component/Variable)."""
    return _key(item["component"], item["variable"], item.get("attributeType")) == key


def _sets(action: str, payload: dict[str, Any], key: str) -> bool:
    data = payload.get("setVariableData") if action == "SetVariables" else None
    return any(_names(item, key) for item in data or [])


def _why(relayed: Relayed) -> dict[str, Any]:
    """statusInfo for a Failed answer: why, for the station's log."""
    if relayed.reason is None:
        return {}
    return {"statusInfo": {"reasonCode": "Failed", "additionalInfo": relayed.reason[:512]}}


_SITE_PURPOSES = {
    SiteProfileKind.SESSION: "TxProfile",
    SiteProfileKind.FALLBACK: "TxDefaultProfile",
    SiteProfileKind.STATION_MAX: "ChargingStationMaxProfile",
}


class V2Adapter:
    # --- Charge point to CSMS ------------------------------------------------------------

    def boot_info(self, payload: dict[str, Any]) -> BootInfo:
        station = payload["chargingStation"]
        modem = station.get("modem") or {}
        return BootInfo(
            vendor=station["vendorName"],
            model=station["model"],
            serial_number=station.get("serialNumber"),
            firmware_version=station.get("firmwareVersion"),
            iccid=modem.get("iccid"),
            imsi=modem.get("imsi"),
            reason=payload["reason"],
        )

    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport:
        return ConnectorStatusReport(
            evse_id=payload["evseId"],
            connector_id=payload["connectorId"],
            status=payload["connectorStatus"],
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
        )

    def id_token(self, payload: dict[str, Any]) -> IdToken:
        return _id_token(payload["idToken"])

    def id_token_info(self, authorization: Authorization, tariff: Tariff | None = None) -> dict[str, Any]:
        info: dict[str, Any] = {"status": authorization.status.value}
        if authorization.expiry_date is not None:
            info["cacheExpiryDateTime"] = format_timestamp(authorization.expiry_date)
        if authorization.parent_id_token is not None:
            info["groupIdToken"] = {"idToken": authorization.parent_id_token, "type": GROUP_TOKEN_TYPE}
        text = tariff.text_for() if tariff is not None and authorization.accepted else None
        if text is not None:
            info["personalMessage"] = {
                "format": "UTF8",
                "language": text.language[:8],
                "content": text.text[:MESSAGE_CONTENT_MAX],
            }
        return {"idTokenInfo": info}

    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport:
        return MeterValuesReport(
            meter_values=read_meter_values(payload["meterValue"], _sample), evse_id=payload["evseId"]
        )

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        raise not_in_version("StartTransaction")

    def transaction_stop(self, payload: dict[str, Any]) -> tuple[SessionStop, tuple[MeterValue, ...]]:
        raise not_in_version("StopTransaction")

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        info = payload["transactionInfo"]
        if not info["transactionId"]:
            raise RpcError(ErrorKind.PROPERTY_CONSTRAINT, "transactionInfo/transactionId: must not be empty")
        evse = payload.get("evse") or {}
        token = payload.get("idToken")
        event = SessionEvent(
            kind=EventKind(payload["eventType"]),
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            seq_no=payload["seqNo"],
            trigger_reason=payload["triggerReason"],
            charging_state=info.get("chargingState"),
            offline=bool(payload.get("offline", False)),
            meter_values=read_meter_values(payload.get("meterValue") or [], _sample),
        )
        return TransactionEventReport(
            event=event,
            transaction_id=info["transactionId"],
            evse_id=evse.get("id"),
            connector_id=evse.get("connectorId"),
            id_token=_id_token(token) if token else None,
            stopped_reason=info.get("stoppedReason"),
            remote_start_id=info.get("remoteStartId"),
            reservation_id=payload.get("reservationId"),
            cost_details=payload.get("costDetails"),
        )

    def report_part(self, payload: dict[str, Any]) -> ReportPart:
        values = [
            ConfigurationValue(
                _key(item["component"], item["variable"], attribute.get("type")),
                attribute.get("value"),
                attribute.get("mutability") == "ReadOnly" if "mutability" in attribute else None,
            )
            for item in payload.get("reportData") or []
            for attribute in item["variableAttribute"]
        ]
        return ReportPart(payload["requestId"], payload["seqNo"], not payload.get("tbc", False), values)

    def maintenance_status(self, action: str, payload: dict[str, Any]) -> StatusReport:
        return read_maintenance_status(action, payload)

    def station_event(self, action: str, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        if action == "SecurityEventNotification":
            return read_security_event(payload, received_at)
        if action == "PublishFirmwareStatusNotification":
            request_id = payload.get("requestId")
            sort = f"{request_id or 0:010d}#{payload['status']}"
            fields = ("status", "location", "requestId", "statusInfo")
            published: dict[str, Any] = {k: payload[k] for k in fields if k in payload}
            return StationEvent(Kept.FIRMWARE_PUBLISH, sort, received_at, published)
        as_sent = {k: v for k, v in payload.items() if k != "customData"}
        if action == "NotifyEVChargingSchedule":  # by its time base and EVSE: a resend is the same
            base = parse_timestamp(payload["timeBase"], "timeBase")
            return StationEvent(
                Kept.EV_CHARGING_SCHEDULE, f"{format_timestamp(base)}#{payload['evseId']}", base, as_sent
            )
        if action in ("NotifyChargingLimit", "ClearedChargingLimit"):  # the same message: the same fact
            digest = hashlib.sha256(json.dumps([action, as_sent], sort_keys=True).encode()).hexdigest()
            limit = {**as_sent, "cleared": action == "ClearedChargingLimit"}
            return StationEvent(Kept.CHARGING_LIMIT, digest[:24], received_at, limit)
        if action == "NotifySettlement":  # 2.1: the payment reference and time make a resend the same
            settled = parse_timestamp(payload["settlementTime"], "settlementTime")
            sort = f"{format_timestamp(settled)}#{payload['pspRef']}"
            return StationEvent(Kept.SETTLEMENT, sort, settled, as_sent)
        kind, field = _PARTS[action]
        generated = parse_timestamp(payload["generatedAt"], "generatedAt")
        body: dict[str, Any] = {
            "generatedAt": format_timestamp(generated),
            "seqNo": payload["seqNo"],
            "tbc": payload.get("tbc", False),
            field: payload.get(field),
        }
        if "requestId" in payload:
            body["requestId"] = payload["requestId"]
            sort = f"{payload['requestId']:010d}#{payload['seqNo']:06d}"
        else:  # NotifyEvent: its parts by when they were made
            sort = f"{format_timestamp(generated)}#{payload['seqNo']:06d}"
        return StationEvent(kind, sort, generated, body)

    def data_transfer(self, payload: dict[str, Any]) -> DataTransferMessage:
        return read_data_transfer(payload)

    def reservation_update(self, payload: dict[str, Any]) -> tuple[int, str]:
        return payload["reservationId"], payload["reservationUpdateStatus"]

    def display_messages_report(self, payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        return [(int(info["id"]), info) for info in payload.get("messageInfo") or []]

    # --- Operator intentions ---------------------------------------------------------------

    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Intent:
        payload: dict[str, Any] = {
            "idToken": {"idToken": id_token, "type": token_type},
            "remoteStartId": _request_id(),
        }
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "RequestStartTransaction", payload

    def remote_stop(self, transaction_id: str) -> Intent:
        return "RequestStopTransaction", {"transactionId": transaction_id}

    def reset(self, hard: bool, evse_id: int | None) -> Intent:
        payload: dict[str, Any] = {"type": "Immediate" if hard else "OnIdle"}
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "Reset", payload

    def unlock(self, evse_id: int | None, connector_id: int) -> Intent:
        return "UnlockConnector", {
            "evseId": evse_id if evse_id is not None else 1,
            "connectorId": connector_id,
        }

    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Intent:
        status = "Operative" if operative else "Inoperative"
        return "ChangeAvailability", {"operationalStatus": status, **_evse(evse_id, connector_id)}

    def read_configuration(self, keys: list[str]) -> Intent:
        if not keys:
            return "GetBaseReport", {"requestId": _request_id(), "reportBase": "FullInventory"}
        return "GetVariables", {"getVariableData": [_component_variable(key) for key in keys]}

    def change_configuration(self, key: str, value: str) -> Intent:
        return "SetVariables", {"setVariableData": [{**_component_variable(key), "attributeValue": value}]}

    password_key = "SecurityCtrlr/BasicAuthPassword"

    def _password(self, item: dict[str, Any]) -> bool:
        return _names(item, self.password_key)

    def sets_password(self, action: str, payload: dict[str, Any]) -> bool:
        return _sets(action, payload, self.password_key)

    def setting_taken(self, command: Command, response: dict[str, Any], key: str) -> bool | None:
        if not _sets(command.action, command.payload, key):
            return None
        results = [r for r in response.get("setVariableResult") or [] if _names(r, key)]
        return bool(results) and all(r.get("attributeStatus") in CHANGED for r in results)

    def redacted(self, command: Command) -> dict[str, Any]:
        if not self.sets_password(command.action, command.payload):
            return command.payload
        data = command.payload["setVariableData"]
        masked = [{**d, "attributeValue": REDACTED} if self._password(d) else d for d in data]
        return {**command.payload, "setVariableData": masked}

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Intent:
        return "TriggerMessage", {"requestedMessage": message, **_evse(evse_id, connector_id)}

    # The certificate uses this version signs, and the roots it installs.
    signing_uses: frozenset[CertificateUse] = frozenset({CertificateUse.CHARGING_STATION, CertificateUse.V2G})
    root_kinds: frozenset[RootKind] = frozenset(set(RootKind) - {RootKind.OEM})

    profile_key = "OCPPCommCtrlr/NetworkConfigurationPriority"

    # NetworkConnectionProfile.ocppVersion for this version's connection.
    network_version = "OCPP20"

    def raise_security_profile(self, profile: int, network: NetworkSlot | None) -> tuple[list[Intent], int]:
        if network is None:
            raise CommandRefused(
                "A 2.x station moves to a profile through a network connection profile: "
                "give configurationSlot and csmsUrl"
            )
        connection = {
            "ocppVersion": self.network_version,
            "ocppTransport": "JSON",
            "ocppCsmsUrl": network.csms_url,
            "messageTimeout": network.message_timeout_s,
            "securityProfile": profile,
            "ocppInterface": network.interface,
        }
        return [
            ("SetNetworkProfile", {"configurationSlot": network.slot, "connectionData": connection}),
            self.change_configuration(self.profile_key, network.priority),
            self.reset(False, None),
        ], 1

    def signing_request(self, payload: dict[str, Any]) -> tuple[str, CertificateUse]:
        # Without a type the certificate serves the CSMS connection (and ISO 15118 with it).
        use = payload.get("certificateType") or CertificateUse.CHARGING_STATION
        return payload["csr"], CertificateUse(use)

    def signing_answer(self, reason: str | None) -> dict[str, Any]:
        if reason is None:
            return {"status": "Accepted"}
        info = {"reasonCode": "InvalidCSR", "additionalInfo": reason[:512]}
        return {"status": "Rejected", "statusInfo": info}

    def contract_request(self, payload: dict[str, Any]) -> ContractRequest:
        return ContractRequest(
            payload["iso15118SchemaVersion"],
            payload["action"],
            payload["exiRequest"],
            payload.get("maximumContractCertificateChains"),
            tuple(payload.get("prioritizedEMAIDs") or ()),
        )

    def contract_answer(self, relayed: Relayed) -> dict[str, Any]:
        status = "Accepted" if relayed.accepted else "Failed"
        return {"status": status, "exiResponse": relayed.data, **_why(relayed)}

    def ocsp_request_data(self, payload: dict[str, Any]) -> tuple[dict[str, str], str]:
        data = dict(payload["ocspRequestData"])
        fields = ("hashAlgorithm", "issuerNameHash", "issuerKeyHash", "serialNumber")
        return {name: data[name] for name in fields}, data["responderURL"]

    def certificate_status_answer(self, relayed: Relayed) -> dict[str, Any]:
        if relayed.accepted:
            return {"status": "Accepted", "ocspResult": relayed.data}
        return {"status": "Failed", **_why(relayed)}

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        raise not_in_version("GetCertificateChainStatus")  # 2.1's

    def chain_status_answer(self, questions: list[StatusQuestion], found: list[Standing]) -> dict[str, Any]:
        raise not_in_version("GetCertificateChainStatus")

    def certificate_signed(self, chain: str, use: CertificateUse) -> Intent:
        return "CertificateSigned", {"certificateChain": chain, "certificateType": use.value}

    def renewal_trigger(self, use: CertificateUse) -> Intent | None:
        if use not in self.signing_uses:
            return None
        message = {
            CertificateUse.CHARGING_STATION: "SignChargingStationCertificate",
            CertificateUse.V2G: "SignV2GCertificate",
            CertificateUse.V2G20: "SignV2G20Certificate",
        }[use]
        return "TriggerMessage", {"requestedMessage": message}

    def install_certificate(self, kind: RootKind, pem: str) -> Intent:
        if kind not in self.root_kinds:
            raise CommandRefused(f"This OCPP version does not install a {kind.value}")
        return "InstallCertificate", {"certificateType": kind.value, "certificate": pem}

    def installed_certificate_queries(self) -> list[Intent]:
        return [("GetInstalledCertificateIds", {})]

    def installed_certificates(
        self, command: Command, response: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, list[Installed]] | None:
        if command.action != "GetInstalledCertificateIds":
            return None
        asked = command.payload.get("certificateType")
        return tuple(asked) if asked else None, [
            Installed(
                chain["certificateType"],
                dict(chain["certificateHashData"]),
                tuple(dict(child) for child in chain.get("childCertificateHashData") or []),
            )
            for chain in response.get("certificateHashDataChain") or []
        ]

    delete_certificate = staticmethod(delete_certificate_call)

    def update_firmware(self, update: FirmwareUpdate) -> Intent:
        return "UpdateFirmware", firmware_payload(update)

    def get_log(self, request: LogRequest) -> Intent:
        log_type = "SecurityLog" if request.log_type is LogType.SECURITY else "DiagnosticsLog"
        return "GetLog", get_log_payload(request, log_type)

    def reserve(self, reservation: Reservation) -> Intent:
        payload: dict[str, Any] = {
            "id": reservation.reservation_id,
            "expiryDateTime": format_timestamp(reservation.expires_at),
            "idToken": {"idToken": reservation.id_token, "type": reservation.id_token_type},
        }
        if reservation.evse_id is not None:
            payload["evseId"] = reservation.evse_id
        if reservation.parent_id_token is not None:
            payload["groupIdToken"] = {"idToken": reservation.parent_id_token, "type": GROUP_TOKEN_TYPE}
        return "ReserveNow", payload

    def send_local_list(self, update: ListUpdate) -> Intent:
        return local_list_call(update, "versionNumber", _list_item)

    def local_list_sent(self, command: Command) -> ListUpdate | None:
        return local_list_read(command, "versionNumber", _list_change)

    def local_list_limits(self, configuration: dict[str, str | None]) -> tuple[int | None, int | None]:
        return read_limit(configuration, "LocalAuthListCtrlr/Entries/maxLimit") or read_limit(
            configuration, "LocalAuthListCtrlr/Entries"
        ), read_limit(configuration, "LocalAuthListCtrlr/ItemsPerMessage")

    def set_display_message(self, message: DisplayMessage) -> Intent:
        content: dict[str, Any] = {"format": message.format, "content": message.content}
        if message.language is not None:
            content["language"] = message.language
        info: dict[str, Any] = {"id": message.message_id, "priority": message.priority, "message": content}
        optional = {
            "state": message.state,
            "startDateTime": format_timestamp(message.start_at) if message.start_at else None,
            "endDateTime": format_timestamp(message.end_at) if message.end_at else None,
            "transactionId": message.transaction_id,
        }
        info |= {key: value for key, value in optional.items() if value is not None}
        if message.evse_id is not None:
            info["display"] = {"name": "DisplayMessageCtrlr", "evse": {"id": message.evse_id}}
        return "SetDisplayMessage", {"message": info}

    def get_display_messages(self, request_id: int) -> Intent:
        return "GetDisplayMessages", {"requestId": request_id}

    def clear_display_message(self, message_id: int) -> Intent:
        return "ClearDisplayMessage", {"id": message_id}

    def cancel_reservation(self, reservation_id: int) -> Intent:
        return "CancelReservation", {"reservationId": reservation_id}

    def profile_facts(self, profile: dict[str, Any]) -> ProfileFacts:
        tid = profile.get("transactionId")
        return ProfileFacts(
            profile["id"],
            profile["chargingProfilePurpose"],
            profile["stackLevel"],
            profile["chargingProfileKind"],
            tid,
            peak_amps(profile["chargingSchedule"]),
        )

    def with_start_schedule(self, profile: dict[str, Any], now: datetime) -> dict[str, Any]:
        kind = profile["chargingProfileKind"]
        return {
            **profile,
            "chargingSchedule": [started_schedule(s, kind, now) for s in profile["chargingSchedule"]],
        }

    def set_charging_profile(self, evse_id: int, profile: dict[str, Any]) -> Intent:
        return "SetChargingProfile", {"evseId": evse_id, "chargingProfile": profile}

    def profile_sent(self, command: Command) -> tuple[int, dict[str, Any]]:
        return command.payload["evseId"], command.payload["chargingProfile"]

    def clear_charging_profile(self, profile_id: int) -> Intent:
        return "ClearChargingProfile", {"chargingProfileId": profile_id}

    def get_composite_schedule(self, evse_id: int, duration_s: int, unit: str | None) -> Intent:
        return composite_call("evseId", evse_id, duration_s, unit)

    def composite_schedule(self, command: Command, response: dict[str, Any]) -> CompositeSchedule | None:
        schedule = response.get("schedule")
        if response.get("status") != "Accepted" or not schedule:
            return None
        return composite_of(schedule.get("evseId", command.payload["evseId"]), schedule, None)

    def get_charging_profiles(self, request_id: int, evse_id: int | None) -> Intent:
        payload: dict[str, Any] = {"requestId": request_id, "chargingProfile": {}}
        if evse_id is not None:
            payload["evseId"] = evse_id
        return "GetChargingProfiles", payload

    def charging_needs(self, payload: dict[str, Any]) -> ChargingNeeds:
        needs = payload["chargingNeeds"]
        ac, dc = needs.get("acChargingParameters") or {}, needs.get("dcChargingParameters") or {}
        max_amps = ac.get("evMaxCurrent")
        if max_amps is None and dc.get("evMaxPower") is not None:
            max_amps = float(dc["evMaxPower"]) / (NOMINAL_VOLTAGE * DEFAULT_PHASES)
        energy = ac.get("energyAmount", dc.get("energyAmount"))
        departure = needs.get("departureTime")
        return ChargingNeeds(
            evse_id=payload["evseId"],
            max_amps=None if max_amps is None else float(max_amps),
            energy_wh=None if energy is None else float(energy),
            departure=None
            if departure is None
            else parse_timestamp(departure, "chargingNeeds/departureTime"),
        )

    def site_profile(self, wanted: SiteProfile, now: datetime) -> Intent:
        kind, schedule = wanted.schedule(now)
        profile: dict[str, Any] = {
            "id": wanted.profile_id,
            "stackLevel": ALLOCATOR_STACK_LEVEL,
            "chargingProfilePurpose": _SITE_PURPOSES[wanted.kind],
            "chargingProfileKind": kind,
            "chargingSchedule": [{"id": 1, **schedule}],
        }
        if wanted.transaction_id is not None:
            profile["transactionId"] = wanted.transaction_id
        return self.set_charging_profile(wanted.evse_id, profile)

    def reported_profiles(self, payload: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        return payload["evseId"], list(payload.get("chargingProfile") or [])

    cost_display_key = None

    def running_cost(
        self, transaction_id: str, cost: Breakdown, meter_wh: float | None, at: datetime
    ) -> Intent:
        return "CostUpdated", {"totalCost": float(cost.total_incl_vat), "transactionId": transaction_id}

    def final_cost(self, transaction_id: str, cost: Breakdown, text: str | None) -> Intent | None:
        return None  # totalCost in the TransactionEvent (Ended) answer

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        return {}

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        raise no_tariffs("2.0.1")

    def set_monitoring(self, monitors: list[Monitor]) -> Intent:
        data = []
        for monitor in monitors:
            target = _component_variable(monitor.key)
            if monitor.evse_id is not None:
                target["component"]["evse"] = {"id": monitor.evse_id}
            item: dict[str, Any] = {
                **target,
                "type": monitor.type,
                "value": monitor.value,
                "severity": monitor.severity,
                "transaction": monitor.transaction,
            }
            if monitor.monitor_id is not None:
                item["id"] = monitor.monitor_id
            data.append(item)
        return "SetVariableMonitoring", {"setMonitoringData": data}

    def monitoring_base(self, base: str) -> Intent:
        return "SetMonitoringBase", {"monitoringBase": base}

    def clear_monitoring(self, monitor_ids: list[int]) -> Intent:
        return "ClearVariableMonitoring", {"id": monitor_ids}

    def monitoring_report(self, request_id: int, criteria: list[str]) -> Intent:
        payload: dict[str, Any] = {"requestId": request_id}
        if criteria:
            payload["monitoringCriteria"] = criteria
        return "GetMonitoringReport", payload

    # --- Answers -------------------------------------------------------------------------

    def configuration_answer(self, command: Command, response: dict[str, Any]) -> list[ConfigurationValue]:
        if command.action == "GetVariables":
            return [
                ConfigurationValue(
                    _key(r["component"], r["variable"], r.get("attributeType")), r.get("attributeValue")
                )
                for r in response.get("getVariableResult") or []
                if r.get("attributeStatus") == "Accepted"
            ]
        if command.action == "SetVariables":
            asked = {
                _key(d["component"], d["variable"], d.get("attributeType")): d["attributeValue"]
                for d in command.payload.get("setVariableData") or []
            }
            changed = (
                _key(r["component"], r["variable"], r.get("attributeType"))
                for r in response.get("setVariableResult") or []
                if r.get("attributeStatus") in CHANGED
            )
            return [ConfigurationValue(key, asked[key], False) for key in changed if key in asked]
        return []

    def result_fields(self, command: Command) -> dict[str, Any]:
        payload = command.payload
        if command.action == "ChangeAvailability":
            return {"requested": payload["operationalStatus"], "evse": payload.get("evse")}
        if command.action == "Reset":
            return {"type": payload["type"]}
        if command.action == "UnlockConnector":
            return {"evseId": payload["evseId"], "connectorId": payload["connectorId"]}
        return {}

    def local_list_version(self, command: Command, response: dict[str, Any]) -> int | None:
        if command.action == "SendLocalList" and accepted(response):
            return int(command.payload["versionNumber"])
        if command.action == "GetLocalListVersion":
            return int(response["versionNumber"])
        return None

    def remote_start_of(self, command: Command, accepted_only: bool = True) -> RemoteStart | None:
        if command.action != "RequestStartTransaction" or (accepted_only and not accepted(command.response)):
            return None
        payload, response = command.payload, command.response or {}
        return RemoteStart(
            command.command_id,
            command.created_at,
            payload["idToken"]["idToken"],
            id_token_type=payload["idToken"]["type"],
            evse_id=payload.get("evseId"),
            remote_start_id=payload["remoteStartId"],
            already_started=response.get("transactionId"),
        )

    def reservation_answer(self, command: Command, response: dict[str, Any]) -> tuple[int, str] | None:
        return reservation_answer(command, response, "id")

    def maintenance_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        if command.action == "UpdateFirmware":
            return MaintenanceAnswer(Kind.FIRMWARE, command.payload["requestId"], response["status"])
        if command.action == "GetLog":
            return get_log_answer(command, response)
        return None


# NotifyMonitoringReport and NotifyCustomerInformation come in parts by requestId and seqNo;
# NotifyEvent in parts by seqNo. Each part is kept as it came.
_PARTS = {
    "NotifyEvent": (Kept.DEVICE, "eventData"),
    "NotifyMonitoringReport": (Kept.MONITORING_REPORT, "monitor"),
    "NotifyCustomerInformation": (Kept.CUSTOMER_INFORMATION, "data"),
}


def _list_item(change: ListChange) -> dict[str, Any]:
    """An entry of a 2.x local list; without idTokenInfo it removes the token."""
    entry = change.entry
    token_type = (entry.token_type if entry else None) or "ISO14443"
    item: dict[str, Any] = {"idToken": {"idToken": change.id_token, "type": token_type}}
    if entry is not None:
        info: dict[str, Any] = {"status": entry.status.value}
        if entry.expiry_date is not None:
            info["cacheExpiryDateTime"] = format_timestamp(entry.expiry_date)
        if entry.parent_id_token is not None:
            info["groupIdToken"] = {"idToken": entry.parent_id_token, "type": GROUP_TOKEN_TYPE}
        item["idTokenInfo"] = info
    return item


def _list_change(item: dict[str, Any]) -> ListChange:
    token, info = item["idToken"], item.get("idTokenInfo")
    if not info:
        return ListChange(token["idToken"], None)
    group = (info.get("groupIdToken") or {}).get("idToken")
    expiry = info.get("cacheExpiryDateTime")
    return ListChange(
        token["idToken"], token_entry(token["idToken"], info["status"], token["type"], expiry, group)
    )


def _request_id() -> int:
    return random.randint(1, 2**31 - 1)


def _key(component: dict[str, Any], variable: dict[str, Any], attribute_type: str | None) -> str:
    evse = component.get("evse") or {}
    return variable_key(
        component["name"],
        variable["name"],
        component_instance=component.get("instance"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connectorId"),
        variable_instance=variable.get("instance"),
        attribute_type=attribute_type,
    )


def _evse(evse_id: int | None, connector_id: int | None) -> dict[str, Any]:
    if evse_id is None:
        return {}
    evse: dict[str, Any] = {"id": evse_id}
    if connector_id is not None:
        evse["connectorId"] = connector_id
    return {"evse": evse}


def _component_variable(key: str) -> dict[str, Any]:
    """`Component/Variable`, the configuration endpoint's 2.x key form."""
    component, _, variable = key.partition("/")
    return {"component": {"name": component}, "variable": {"name": variable or component}}


def _id_token(token: dict[str, Any]) -> IdToken:
    return IdToken(token["idToken"], token["type"])


def _sample(sampled: dict[str, Any]) -> Sample:
    unit_of_measure = sampled.get("unitOfMeasure") or {}
    sent = float(sampled["value"])
    value, unit = normalise(sent, unit_of_measure.get("unit", "Wh"), unit_of_measure.get("multiplier", 0))
    return Sample(
        measurand=sampled.get("measurand", DEFAULT_MEASURAND),
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        location=sampled.get("location", DEFAULT_LOCATION),
        context=sampled.get("context", DEFAULT_CONTEXT),
        # A multiplier that takes it past any reading: what was sent is kept, flagged by value None.
        raw=None if value is not None else f"{sampled['value']}e{unit_of_measure.get('multiplier', 0)}",
    )


ADAPTER = V2Adapter()
