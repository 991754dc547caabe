"""OCPP 1.6 messages to and from the domain."""

from __future__ import annotations

import json
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
from shared.domain.charging_profiles import CompositeSchedule, ProfileFacts, peak_amps
from shared.domain.commands import Command, Intent
from shared.domain.configuration import CHANGED, ConfigurationValue, ReportPart
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
from shared.domain.tariffs import Breakdown, Tariff
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import SessionStart, SessionStop, TransactionEventReport
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
    no_charging_profile_reports,
    no_display_messages,
    no_monitoring,
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

# The security extension's root types, and 2.x's names for them.
_ROOTS = {
    RootKind.CSMS: "CentralSystemRootCertificate",
    RootKind.MANUFACTURER: "ManufacturerRootCertificate",
}
_ROOT_KINDS = {name: kind.value for kind, name in _ROOTS.items()}

_SITE_PURPOSES = {
    SiteProfileKind.SESSION: "TxProfile",
    SiteProfileKind.FALLBACK: "TxDefaultProfile",
    SiteProfileKind.STATION_MAX: "ChargePointMaxProfile",
}


class V16Adapter:
    # --- Charge point to CSMS ------------------------------------------------------------

    def boot_info(self, payload: dict[str, Any]) -> BootInfo:
        return BootInfo(
            vendor=payload["chargePointVendor"],
            model=payload["chargePointModel"],
            serial_number=payload.get("chargePointSerialNumber") or payload.get("chargeBoxSerialNumber"),
            firmware_version=payload.get("firmwareVersion"),
            iccid=payload.get("iccid"),
            imsi=payload.get("imsi"),
        )

    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport:
        stamp = payload.get("timestamp")
        return ConnectorStatusReport(
            evse_id=None,
            connector_id=payload["connectorId"],
            status=payload["status"],
            timestamp=parse_timestamp(stamp, "timestamp") if stamp else received_at,
            error_code=payload["errorCode"],
            info=payload.get("info"),
            vendor_id=payload.get("vendorId"),
            vendor_error_code=payload.get("vendorErrorCode"),
        )

    def id_token(self, payload: dict[str, Any]) -> IdToken:
        return IdToken(payload["idTag"])

    def id_token_info(self, authorization: Authorization, tariff: Tariff | None = None) -> dict[str, Any]:
        info: dict[str, Any] = {"status": authorization.status.value}
        if authorization.expiry_date is not None:
            info["expiryDate"] = format_timestamp(authorization.expiry_date)
        if authorization.parent_id_token is not None:
            info["parentIdTag"] = authorization.parent_id_token
        return {"idTagInfo": info}

    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport:
        transaction_id = payload.get("transactionId")
        return MeterValuesReport(
            meter_values=read_meter_values(payload["meterValue"], _sample),
            connector_id=payload["connectorId"],
            transaction_id=None if transaction_id is None else str(transaction_id),
        )

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        return SessionStart(
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            connector_id=payload["connectorId"],
            id_token=IdToken(payload["idTag"]),
            meter_start_wh=float(payload["meterStart"]),
            reservation_id=payload.get("reservationId"),
        )

    def transaction_stop(self, payload: dict[str, Any]) -> tuple[SessionStop, tuple[MeterValue, ...]]:
        id_tag = payload.get("idTag")
        stop = SessionStop(
            transaction_id=str(payload["transactionId"]),
            timestamp=parse_timestamp(payload["timestamp"], "timestamp"),
            meter_stop_wh=float(payload["meterStop"]),
            reason=payload.get("reason", "Local"),  # the specification's default
            id_token=IdToken(id_tag) if id_tag else None,
        )
        return stop, read_meter_values(payload.get("transactionData") or [], _sample)

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        raise not_in_version("TransactionEvent")

    def report_part(self, payload: dict[str, Any]) -> ReportPart:
        raise not_in_version("NotifyReport")

    def maintenance_status(self, action: str, payload: dict[str, Any]) -> StatusReport:
        return read_maintenance_status(action, payload)

    def station_event(self, action: str, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        if action == "SecurityEventNotification":
            return read_security_event(payload, received_at)
        raise not_in_version(action)

    def data_transfer(self, payload: dict[str, Any]) -> DataTransferMessage:
        return read_data_transfer(payload)

    def reservation_update(self, payload: dict[str, Any]) -> tuple[int, str]:
        raise not_in_version("ReservationStatusUpdate")

    def display_messages_report(self, payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        raise not_in_version("NotifyDisplayMessages")

    # --- Operator intentions ---------------------------------------------------------------

    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Intent:
        payload: dict[str, Any] = {"idTag": id_token}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return "RemoteStartTransaction", payload

    def remote_stop(self, transaction_id: str) -> Intent:
        return "RemoteStopTransaction", {"transactionId": int(transaction_id)}

    def reset(self, hard: bool, evse_id: int | None) -> Intent:
        return "Reset", {"type": "Hard" if hard else "Soft"}

    def unlock(self, evse_id: int | None, connector_id: int) -> Intent:
        return "UnlockConnector", {"connectorId": connector_id}

    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Intent:
        return "ChangeAvailability", {
            "connectorId": connector_id or 0,
            "type": "Operative" if operative else "Inoperative",
        }

    def read_configuration(self, keys: list[str]) -> Intent:
        return "GetConfiguration", ({"key": keys} if keys else {})

    def change_configuration(self, key: str, value: str) -> Intent:
        return "ChangeConfiguration", {"key": key, "value": value}

    password_key = "AuthorizationKey"  # the security extension's

    def sets_password(self, action: str, payload: dict[str, Any]) -> bool:
        return action == "ChangeConfiguration" and payload.get("key") == self.password_key

    def setting_taken(self, command: Command, response: dict[str, Any], key: str) -> bool | None:
        if command.action != "ChangeConfiguration" or command.payload.get("key") != key:
            return None
        return response.get("status") in CHANGED

    def redacted(self, command: Command) -> dict[str, Any]:
        if self.sets_password(command.action, command.payload):
            return {**command.payload, "value": REDACTED}
        return command.payload

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Intent:
        payload: dict[str, Any] = {"requestedMessage": message}
        if connector_id is not None:
            payload["connectorId"] = connector_id
        return "TriggerMessage", payload

    profile_key = "SecurityProfile"  # the security extension's

    def raise_security_profile(self, profile: int, network: NetworkSlot | None) -> tuple[list[Intent], int]:
        return [self.change_configuration(self.profile_key, str(profile))], 0

    def signing_request(self, payload: dict[str, Any]) -> tuple[str, CertificateUse]:
        return payload["csr"], CertificateUse.CHARGING_STATION

    def signing_answer(self, reason: str | None) -> dict[str, Any]:
        return {"status": "Rejected" if reason else "Accepted"}

    def contract_request(self, payload: dict[str, Any]) -> ContractRequest:
        raise not_in_version("Get15118EVCertificate")

    def contract_answer(self, relayed: Relayed) -> dict[str, Any]:
        raise not_in_version("Get15118EVCertificate")

    def ocsp_request_data(self, payload: dict[str, Any]) -> tuple[dict[str, str], str]:
        raise not_in_version("GetCertificateStatus")

    def certificate_status_answer(self, relayed: Relayed) -> dict[str, Any]:
        raise not_in_version("GetCertificateStatus")

    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        raise not_in_version("GetCertificateChainStatus")

    def chain_status_answer(self, questions: list[StatusQuestion], found: list[Standing]) -> dict[str, Any]:
        raise not_in_version("GetCertificateChainStatus")

    def certificate_signed(self, chain: str, use: CertificateUse) -> Intent:
        if use is not CertificateUse.CHARGING_STATION:
            raise CommandRefused("OCPP 1.6 signs charge point certificates only")
        return "CertificateSigned", {"certificateChain": chain}

    def renewal_trigger(self, use: CertificateUse) -> Intent | None:
        if use is not CertificateUse.CHARGING_STATION:
            return None
        return "ExtendedTriggerMessage", {"requestedMessage": "SignChargePointCertificate"}

    def install_certificate(self, kind: RootKind, pem: str) -> Intent:
        if kind not in _ROOTS:
            raise CommandRefused("OCPP 1.6 installs CSMS and manufacturer roots only")
        return "InstallCertificate", {"certificateType": _ROOTS[kind], "certificate": pem}

    def installed_certificate_queries(self) -> list[Intent]:
        return [("GetInstalledCertificateIds", {"certificateType": name}) for name in _ROOTS.values()]

    def installed_certificates(
        self, command: Command, response: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, list[Installed]] | None:
        if command.action != "GetInstalledCertificateIds":
            return None
        kind = _ROOT_KINDS[command.payload["certificateType"]]
        return (kind,), [Installed(kind, dict(found)) for found in response.get("certificateHashData") or []]

    delete_certificate = staticmethod(delete_certificate_call)

    def update_firmware(self, update: FirmwareUpdate) -> Intent:
        """A signed image goes as the security extension's SignedUpdateFirmware."""
        if update.signed:
            return "SignedUpdateFirmware", firmware_payload(update)
        payload: dict[str, Any] = {
            "location": update.location,
            "retrieveDate": format_timestamp(update.retrieve_at),
        }
        if update.retries is not None:
            payload["retries"] = update.retries
        if update.retry_interval_s is not None:
            payload["retryInterval"] = update.retry_interval_s
        return "UpdateFirmware", payload

    def get_log(self, request: LogRequest) -> Intent:
        """Diagnostics as the core profile's GetDiagnostics, which every 1.6 station knows; the
        security log as the security extension's GetLog."""
        if request.log_type is LogType.SECURITY:
            return "GetLog", get_log_payload(request, "SecurityLog")
        payload: dict[str, Any] = {"location": request.location}
        for name, value in (("startTime", request.oldest), ("stopTime", request.latest)):
            if value is not None:
                payload[name] = format_timestamp(value)
        if request.retries is not None:
            payload["retries"] = request.retries
        if request.retry_interval_s is not None:
            payload["retryInterval"] = request.retry_interval_s
        return "GetDiagnostics", payload

    def reserve(self, reservation: Reservation) -> Intent:
        payload: dict[str, Any] = {
            "connectorId": reservation.connector_id or 0,
            "expiryDate": format_timestamp(reservation.expires_at),
            "idTag": reservation.id_token,
            "reservationId": reservation.reservation_id,
        }
        if reservation.parent_id_token is not None:
            payload["parentIdTag"] = reservation.parent_id_token
        return "ReserveNow", payload

    def send_local_list(self, update: ListUpdate) -> Intent:
        return local_list_call(update, "listVersion", _list_item)

    def local_list_sent(self, command: Command) -> ListUpdate | None:
        return local_list_read(command, "listVersion", _list_change)

    def local_list_limits(self, configuration: dict[str, str | None]) -> tuple[int | None, int | None]:
        return read_limit(configuration, "LocalAuthListMaxLength"), read_limit(
            configuration, "SendLocalListMaxLength"
        )

    def set_display_message(self, message: DisplayMessage) -> Intent:
        raise no_display_messages("1.6")

    def get_display_messages(self, request_id: int) -> Intent:
        raise no_display_messages("1.6")

    def clear_display_message(self, message_id: int) -> Intent:
        raise no_display_messages("1.6")

    def cancel_reservation(self, reservation_id: int) -> Intent:
        return "CancelReservation", {"reservationId": reservation_id}

    def profile_facts(self, profile: dict[str, Any]) -> ProfileFacts:
        tid = profile.get("transactionId")
        return ProfileFacts(
            profile["chargingProfileId"],
            profile["chargingProfilePurpose"],
            profile["stackLevel"],
            profile["chargingProfileKind"],
            None if tid is None else str(tid),
            peak_amps([profile["chargingSchedule"]]),
        )

    def with_start_schedule(self, profile: dict[str, Any], now: datetime) -> dict[str, Any]:
        schedule = started_schedule(profile["chargingSchedule"], profile["chargingProfileKind"], now)
        return {**profile, "chargingSchedule": schedule}

    def set_charging_profile(self, evse_id: int, profile: dict[str, Any]) -> Intent:
        return "SetChargingProfile", {"connectorId": evse_id, "csChargingProfiles": profile}

    def profile_sent(self, command: Command) -> tuple[int, dict[str, Any]]:
        return command.payload["connectorId"], command.payload["csChargingProfiles"]

    def clear_charging_profile(self, profile_id: int) -> Intent:
        return "ClearChargingProfile", {"id": profile_id}

    def get_composite_schedule(self, evse_id: int, duration_s: int, unit: str | None) -> Intent:
        return composite_call("connectorId", evse_id, duration_s, unit)

    def composite_schedule(self, command: Command, response: dict[str, Any]) -> CompositeSchedule | None:
        if response.get("status") != "Accepted":
            return None
        evse = response.get("connectorId", command.payload["connectorId"])
        return composite_of(evse, response.get("chargingSchedule"), response.get("scheduleStart"))

    def get_charging_profiles(self, request_id: int, evse_id: int | None) -> Intent:
        raise no_charging_profile_reports("1.6")

    def charging_needs(self, payload: dict[str, Any]) -> ChargingNeeds:
        raise not_in_version("NotifyEVChargingNeeds")

    def site_profile(self, wanted: SiteProfile, now: datetime) -> Intent:
        kind, schedule = wanted.schedule(now)
        profile: dict[str, Any] = {
            "chargingProfileId": wanted.profile_id,
            "stackLevel": ALLOCATOR_STACK_LEVEL,
            "chargingProfilePurpose": _SITE_PURPOSES[wanted.kind],
            "chargingProfileKind": kind,
            "chargingSchedule": schedule,
        }
        if wanted.transaction_id is not None:
            profile["transactionId"] = int(wanted.transaction_id)
        return self.set_charging_profile(wanted.evse_id, profile)

    def reported_profiles(self, payload: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        raise not_in_version("ReportChargingProfiles")

    # OCA's "OCPP & California Pricing Requirements": cost goes in DataTransfer messages to a
    # charge point that says it can show them.
    cost_display_key = "CustomDisplayCostAndPrice"

    def running_cost(
        self, transaction_id: str, cost: Breakdown, meter_wh: float | None, at: datetime
    ) -> Intent:
        data: dict[str, Any] = {
            "transactionId": int(transaction_id),
            "timestamp": format_timestamp(at),
            "cost": float(cost.total_incl_vat),
            "state": "Charging",
        }
        if meter_wh is not None:
            data["meterValue"] = int(meter_wh)
        return _cost_message("RunningCost", data)

    def final_cost(self, transaction_id: str, cost: Breakdown, text: str | None) -> Intent | None:
        data: dict[str, Any] = {"transactionId": int(transaction_id), "cost": float(cost.total_incl_vat)}
        if text:
            data["priceText"] = text
        return _cost_message("FinalCost", data)

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        return {}

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        raise no_tariffs("1.6")

    def set_monitoring(self, monitors: list[Monitor]) -> Intent:
        raise no_monitoring("1.6")

    def monitoring_base(self, base: str) -> Intent:
        raise no_monitoring("1.6")

    def clear_monitoring(self, monitor_ids: list[int]) -> Intent:
        raise no_monitoring("1.6")

    def monitoring_report(self, request_id: int, criteria: list[str]) -> Intent:
        raise no_monitoring("1.6")

    # --- Answers -------------------------------------------------------------------------

    def configuration_answer(self, command: Command, response: dict[str, Any]) -> list[ConfigurationValue]:
        if command.action == "GetConfiguration":
            return [
                ConfigurationValue(item["key"], item.get("value"), item.get("readonly"))
                for item in response.get("configurationKey") or []
            ]
        if command.action == "ChangeConfiguration" and response.get("status") in CHANGED:
            return [ConfigurationValue(command.payload["key"], command.payload["value"], False)]
        return []

    def result_fields(self, command: Command) -> dict[str, Any]:
        payload = command.payload
        if command.action == "ChangeAvailability":
            return {"requested": payload["type"], "connectorId": payload["connectorId"]}
        if command.action == "Reset":
            return {"type": payload["type"]}
        if command.action == "UnlockConnector":
            return {"connectorId": payload["connectorId"]}
        return {}

    def local_list_version(self, command: Command, response: dict[str, Any]) -> int | None:
        if command.action == "SendLocalList" and accepted(response):
            return int(command.payload["listVersion"])
        if command.action == "GetLocalListVersion":
            return int(response["listVersion"])
        return None

    def remote_start_of(self, command: Command, accepted_only: bool = True) -> RemoteStart | None:
        if command.action != "RemoteStartTransaction" or (accepted_only and not accepted(command.response)):
            return None
        payload = command.payload
        return RemoteStart(
            command.command_id, command.created_at, payload["idTag"], connector_id=payload.get("connectorId")
        )

    def reservation_answer(self, command: Command, response: dict[str, Any]) -> tuple[int, str] | None:
        return reservation_answer(command, response, "reservationId")

    def maintenance_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        if command.action == "UpdateFirmware":  # its answer is empty: taking the call is accepting it
            return MaintenanceAnswer(Kind.FIRMWARE, None, "Accepted")
        if command.action == "SignedUpdateFirmware":
            return MaintenanceAnswer(Kind.FIRMWARE, command.payload["requestId"], response["status"])
        if command.action == "GetDiagnostics":  # no file name: it has no diagnostics to send
            file_name = response.get("fileName")
            return MaintenanceAnswer(Kind.LOG, None, "Accepted" if file_name else "NoDiagnostics", file_name)
        if command.action == "GetLog":
            return get_log_answer(command, response)
        return None


def _list_item(change: ListChange) -> dict[str, Any]:
    """An entry of a 1.6 local list; without idTagInfo it removes the token."""
    item: dict[str, Any] = {"idTag": change.id_token}
    entry = change.entry
    if entry is not None:
        info: dict[str, Any] = {"status": entry.status.value}
        if entry.expiry_date is not None:
            info["expiryDate"] = format_timestamp(entry.expiry_date)
        if entry.parent_id_token is not None:
            info["parentIdTag"] = entry.parent_id_token
        item["idTagInfo"] = info
    return item


def _list_change(item: dict[str, Any]) -> ListChange:
    info = item.get("idTagInfo")
    if not info:
        return ListChange(item["idTag"], None)
    return ListChange(
        item["idTag"],
        token_entry(item["idTag"], info["status"], None, info.get("expiryDate"), info.get("parentIdTag")),
    )


def _sample(sampled: dict[str, Any]) -> Sample:
    """1.6 sends values as strings; signed values (format SignedData) are kept as sent."""
    text = sampled["value"]
    value: float | None = None
    if sampled.get("format", "Raw") == "Raw":
        try:
            value = float(text)
        except ValueError:
            value = None
    unit = sampled.get("unit", "Wh")
    if value is not None:
        value, unit = normalise(value, unit)  # None for NaN, Infinity and the like: kept as text
    return Sample(
        measurand=sampled.get("measurand", DEFAULT_MEASURAND),
        value=value,
        unit=unit,
        phase=sampled.get("phase"),
        location=sampled.get("location", DEFAULT_LOCATION),
        context=sampled.get("context", DEFAULT_CONTEXT),
        raw=None if value is not None else text,
    )


ADAPTER = V16Adapter()


COST_VENDOR = "org.openchargealliance.costmsg"


def _cost_message(message_id: str, data: dict[str, Any]) -> Intent:
    return "DataTransfer", {
        "vendorId": COST_VENDOR,
        "messageId": message_id,
        "data": json.dumps(data, separators=(",", ":")),
    }
