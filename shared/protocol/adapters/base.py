"""What every version adapter offers: the version's payloads in, the domain's shapes out, and
the domain's intentions out as the version's calls. Nothing outside the adapters reads or
builds a version-specific payload."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from aws_lambda_powertools import Logger

from shared.domain.authorization import Authorization, AuthorizationStatus, IdToken, TokenEntry
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
from shared.domain.charging_profiles import CompositeSchedule, ProfileFacts, periods_of
from shared.domain.commands import Command, Intent
from shared.domain.configuration import ConfigurationValue, ReportPart
from shared.domain.display_messages import DisplayMessage
from shared.domain.errors import CommandRefused
from shared.domain.local_lists import ListChange, ListUpdate, UpdateType
from shared.domain.maintenance import (
    CRITICAL_SECURITY_EVENTS,
    FirmwareUpdate,
    Kind,
    LogRequest,
    MaintenanceAnswer,
    StatusReport,
)
from shared.domain.meter_values import MeterValue, MeterValuesReport, Sample
from shared.domain.provisioning import BootInfo, NetworkSlot
from shared.domain.remote_control import RemoteStart
from shared.domain.reservations import Reservation
from shared.domain.sites import ChargingNeeds, SiteProfile
from shared.domain.station_events import DataTransferMessage, EventKind, Monitor, StationEvent
from shared.domain.tariffs import Breakdown, Tariff
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import SessionStart, SessionStop, TransactionEventReport
from shared.protocol.errors import ErrorKind, RpcError

logger = Logger(child=True)

# The years a charge point's clock can mean (an unset clock says 1970 or 2000). Outside them a
# time is refused rather than stored: arithmetic on it would leave the calendar.
EARLIEST_YEAR, LATEST_YEAR = 1970, 9000


class Adapter(Protocol):
    # --- Charge point to CSMS ------------------------------------------------------------
    def boot_info(self, payload: dict[str, Any]) -> BootInfo: ...

    def connector_status(self, payload: dict[str, Any], received_at: datetime) -> ConnectorStatusReport: ...

    def id_token(self, payload: dict[str, Any]) -> IdToken:
        """The token an Authorize presents."""
        ...

    def id_token_info(self, authorization: Authorization, tariff: Tariff | None = None) -> dict[str, Any]:
        """The answer's authorization part, under the version's key (idTagInfo/idTokenInfo), with
        the tariff's text for the driver where the version has room for it."""
        ...

    def meter_values_report(self, payload: dict[str, Any]) -> MeterValuesReport: ...

    def transaction_start(self, payload: dict[str, Any]) -> SessionStart:
        """OCPP 1.6 StartTransaction."""
        ...

    def transaction_stop(self, payload: dict[str, Any]) -> tuple[SessionStop, tuple[MeterValue, ...]]:
        """OCPP 1.6 StopTransaction, with its transactionData."""
        ...

    def transaction_event(self, payload: dict[str, Any]) -> TransactionEventReport:
        """OCPP 2.x TransactionEvent."""
        ...

    def report_part(self, payload: dict[str, Any]) -> ReportPart:
        """OCPP 2.x NotifyReport: a part of the device model, as configuration values."""
        ...

    def maintenance_status(self, action: str, payload: dict[str, Any]) -> StatusReport:
        """A firmware or log status notification, of whichever name the version gives it."""
        ...

    def station_event(self, action: str, payload: dict[str, Any], received_at: datetime) -> StationEvent:
        """SecurityEventNotification, NotifyEvent, NotifyMonitoringReport,
        NotifyCustomerInformation or PublishFirmwareStatusNotification, as one event to keep."""
        ...

    def data_transfer(self, payload: dict[str, Any]) -> DataTransferMessage: ...

    def display_messages_report(self, payload: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
        """2.x NotifyDisplayMessages: each message's id and MessageInfo."""
        ...

    def reservation_update(self, payload: dict[str, Any]) -> tuple[int, str]:
        """2.x ReservationStatusUpdate: the reservation and what became of it."""
        ...

    def signing_request(self, payload: dict[str, Any]) -> tuple[str, CertificateUse]:
        """SignCertificate: the CSR, and what the certificate is for."""
        ...

    def signing_answer(self, reason: str | None) -> dict[str, Any]:
        """SignCertificate's answer: Accepted, or Rejected with the reason (None: accepted)."""
        ...

    def contract_request(self, payload: dict[str, Any]) -> ContractRequest:
        """2.x Get15118EVCertificate."""
        ...

    def contract_answer(self, relayed: Relayed) -> dict[str, Any]: ...
    def ocsp_request_data(self, payload: dict[str, Any]) -> tuple[dict[str, str], str]:
        """2.x GetCertificateStatus: the certificate's hash data, and the responder's URL."""
        ...

    def certificate_status_answer(self, relayed: Relayed) -> dict[str, Any]: ...
    def chain_status_questions(self, payload: dict[str, Any]) -> list[StatusQuestion]:
        """2.1 GetCertificateChainStatus."""
        ...

    def chain_status_answer(
        self, questions: list[StatusQuestion], found: list[Standing]
    ) -> dict[str, Any]: ...

    # --- Certificates -----------------------------------------------------------------------
    def certificate_signed(self, chain: str, use: CertificateUse) -> Intent: ...
    def renewal_trigger(self, use: CertificateUse) -> Intent | None:
        """Asks the station for a new CSR (None: the version cannot ask for this use)."""
        ...

    def install_certificate(self, kind: RootKind, pem: str) -> Intent: ...
    def installed_certificate_queries(self) -> list[Intent]:
        """GetInstalledCertificateIds for every type the version knows (1.6 asks one at a time)."""
        ...

    def installed_certificates(
        self, command: Command, response: dict[str, Any]
    ) -> tuple[tuple[str, ...] | None, list[Installed]] | None:
        """What a GetInstalledCertificateIds answer lists, and the types it covers in 2.x's words
        (None: every type); None for other commands."""
        ...

    def delete_certificate(self, hash_data: dict[str, str]) -> Intent: ...

    # --- Operator intentions as the version's calls --------------------------------------
    def remote_start(
        self, id_token: str, token_type: str, evse_id: int | None, connector_id: int | None
    ) -> Intent: ...
    def remote_stop(self, transaction_id: str) -> Intent: ...
    def reset(self, hard: bool, evse_id: int | None) -> Intent: ...
    def unlock(self, evse_id: int | None, connector_id: int) -> Intent: ...
    def availability(self, operative: bool, evse_id: int | None, connector_id: int | None) -> Intent: ...
    def read_configuration(self, keys: list[str]) -> Intent: ...
    def change_configuration(self, key: str, value: str) -> Intent: ...

    # The configuration key of the HTTP Basic password (1.6 AuthorizationKey, 2.x
    # SecurityCtrlr/BasicAuthPassword): set through change_configuration, never kept or shown.
    password_key: str

    def sets_password(self, action: str, payload: dict[str, Any]) -> bool: ...

    def setting_taken(self, command: Command, response: dict[str, Any], key: str) -> bool | None:
        """Whether a ChangeConfiguration or SetVariables that sets `key` took it: None for any
        other command (so that only those pay for what follows)."""
        ...

    def redacted(self, command: Command) -> dict[str, Any]:
        """The command's payload as a view shows it: a password in it masked."""
        ...

    # The setting whose change moves a station to another security profile (1.6 SecurityProfile,
    # 2.x OCPPCommCtrlr/NetworkConfigurationPriority).
    profile_key: str

    def raise_security_profile(self, profile: int, network: NetworkSlot | None) -> tuple[list[Intent], int]:
        """The calls that move a station to a higher profile, and which of them, accepted,
        makes the move (1.6: the SecurityProfile key; 2.x: a network connection profile in a
        slot, that slot first in NetworkConfigurationPriority, then a reset when idle)."""
        ...

    def trigger(self, message: str, evse_id: int | None, connector_id: int | None) -> Intent: ...
    def update_firmware(self, update: FirmwareUpdate) -> Intent: ...
    def get_log(self, request: LogRequest) -> Intent: ...
    def reserve(self, reservation: Reservation) -> Intent: ...
    def set_display_message(self, message: DisplayMessage) -> Intent: ...
    def get_display_messages(self, request_id: int) -> Intent: ...
    def clear_display_message(self, message_id: int) -> Intent: ...
    def send_local_list(self, update: ListUpdate) -> Intent: ...
    def cancel_reservation(self, reservation_id: int) -> Intent: ...

    # --- Charging profiles ------------------------------------------------------------------
    def profile_facts(self, profile: dict[str, Any]) -> ProfileFacts:
        """Id, purpose, stack level and kind of a profile in the version's words."""
        ...

    def with_start_schedule(self, profile: dict[str, Any], now: datetime) -> dict[str, Any]:
        """Absolute and recurring schedules carry a start (chargers refuse them without)."""
        ...

    def set_charging_profile(self, evse_id: int, profile: dict[str, Any]) -> Intent: ...
    def profile_sent(self, command: Command) -> tuple[int, dict[str, Any]]:
        """The EVSE (0: the station) and the profile a SetChargingProfile carried."""
        ...

    def clear_charging_profile(self, profile_id: int) -> Intent: ...
    def get_composite_schedule(self, evse_id: int, duration_s: int, unit: str | None) -> Intent: ...
    def composite_schedule(self, command: Command, response: dict[str, Any]) -> CompositeSchedule | None:
        """The answer's schedule (None when the station refused or has none)."""
        ...

    def get_charging_profiles(self, request_id: int, evse_id: int | None) -> Intent: ...
    def charging_needs(self, payload: dict[str, Any]) -> ChargingNeeds:
        """2.x NotifyEVChargingNeeds in the domain's terms."""
        ...

    def site_profile(self, wanted: SiteProfile, now: datetime) -> Intent:
        """A profile of the site allocator's (a session's share, the station's fallback or its
        cap), in the version's words."""
        ...

    def reported_profiles(self, payload: dict[str, Any]) -> tuple[int, list[dict[str, Any]]]:
        """2.x ReportChargingProfiles: the EVSE and the profiles it has there."""
        ...

    # A configuration key a charge point sets to "true" to show costs (1.6: OCA's California
    # pricing); None: the version's cost messages are core.
    cost_display_key: str | None

    def running_cost(
        self, transaction_id: str, cost: Breakdown, meter_wh: float | None, at: datetime
    ) -> Intent:
        """The cost so far of a session in progress."""
        ...

    def final_cost(self, transaction_id: str, cost: Breakdown, text: str | None) -> Intent | None:
        """The final cost, as a call after the session ended (None: it went in the answer)."""
        ...

    def tariff_offer(self, tariff: Tariff) -> dict[str, Any]:
        """What an Authorize answer says of the tariff besides its text (2.1: the tariff)."""
        ...

    def set_default_tariff(self, tariff: Tariff, evse_id: int) -> Intent:
        """The tariff a station applies to sessions it prices itself (2.1)."""
        ...

    def set_monitoring(self, monitors: list[Monitor]) -> Intent: ...
    def monitoring_base(self, base: str) -> Intent: ...
    def clear_monitoring(self, monitor_ids: list[int]) -> Intent: ...
    def monitoring_report(self, request_id: int, criteria: list[str]) -> Intent: ...

    # --- What answers to the CSMS's calls tell ------------------------------------------
    def configuration_answer(self, command: Command, response: dict[str, Any]) -> list[ConfigurationValue]:
        """Settings an answer read or changed (none for other actions)."""
        ...

    def result_fields(self, command: Command) -> dict[str, Any]:
        """What an availability, reset or unlock call asked for, kept beside its answer."""
        ...

    def local_list_version(self, command: Command, response: dict[str, Any]) -> int | None:
        """The local list version an answer makes current, if any."""
        ...

    def remote_start_of(self, command: Command, accepted_only: bool = True) -> RemoteStart | None:
        """A remote start; by default only an accepted one, the only kind that can have begun a
        session (a station may start before it answers, hence `accepted_only`)."""
        ...

    def maintenance_answer(self, command: Command, response: dict[str, Any]) -> MaintenanceAnswer | None:
        """What an answer to a firmware update or log request said (None for other actions)."""
        ...

    def reservation_answer(self, command: Command, response: dict[str, Any]) -> tuple[int, str] | None:
        """ReserveNow or CancelReservation: the reservation, and the answer's status."""
        ...

    def local_list_sent(self, command: Command) -> ListUpdate | None:
        """What a SendLocalList carried, read back from the command."""
        ...

    def local_list_limits(self, configuration: dict[str, str | None]) -> tuple[int | None, int | None]:
        """The most entries a charge point's list holds, and per message, from its configuration
        (None where it has not said)."""
        ...


def not_in_version(what: str) -> RpcError:
    """For a message the registry never routes to this version's adapter."""
    return RpcError(ErrorKind.NOT_SUPPORTED, f"{what} is not a message of this OCPP version")


def parse_timestamp(value: str, field: str) -> datetime:
    """Read an OCPP dateTime. One without a zone is read as UTC and flagged in the log, as
    real chargers send them and rejecting the message would lose data."""
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            logger.warning(
                "Timestamp without a time zone read as UTC", extra={"field": field, "value": value}
            )
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (ValueError, OverflowError):  # not a date-time, or one that leaves the calendar in UTC
        raise RpcError(
            ErrorKind.PROPERTY_CONSTRAINT, f"{field}: {value!r} is not an ISO 8601 date-time"
        ) from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise RpcError(
            ErrorKind.PROPERTY_CONSTRAINT,
            f"{field}: {value!r} is outside the years {EARLIEST_YEAR} to {LATEST_YEAR}",
        )
    return parsed


def read_meter_values(
    items: list[dict[str, Any]], sample: Callable[[dict[str, Any]], Sample]
) -> tuple[MeterValue, ...]:
    """The MeterValue list both versions share; each reads its sampled values its own way."""
    return tuple(
        MeterValue(
            parse_timestamp(item["timestamp"], "meterValue.timestamp"),
            tuple(sample(sampled) for sampled in item["sampledValue"]),
        )
        for item in items
    )


def accepted(response: dict[str, Any] | None) -> bool:
    return bool(response) and (response or {}).get("status") == "Accepted"


def delete_certificate_call(hash_data: dict[str, str]) -> Intent:
    """DeleteCertificate, the same in the 1.6 security extension and 2.x."""
    return "DeleteCertificate", {"certificateHashData": hash_data}


def status_reason(response: dict[str, Any]) -> str:
    """An answer's status with the reason 2.x may give (statusInfo)."""
    info = response.get("statusInfo") or {}
    why = " ".join(part for part in (info.get("reasonCode"), info.get("additionalInfo")) if part)
    return f"{response.get('status')}: {why}" if why else str(response.get("status"))


# --- Shapes every version shares ---------------------------------------------------------------

_STATUS_KINDS = {
    "FirmwareStatusNotification": Kind.FIRMWARE,
    "SignedFirmwareStatusNotification": Kind.FIRMWARE,
    "DiagnosticsStatusNotification": Kind.LOG,
    "LogStatusNotification": Kind.LOG,
}


def read_maintenance_status(action: str, payload: dict[str, Any]) -> StatusReport:
    info = payload.get("statusInfo") or {}
    text = " ".join(part for part in (info.get("reasonCode"), info.get("additionalInfo")) if part)
    return StatusReport(_STATUS_KINDS[action], payload["status"], payload.get("requestId"), text or None)


def read_security_event(payload: dict[str, Any], received_at: datetime) -> StationEvent:
    """Keyed by the time it happened and its type, so that a resend is the same event."""
    happened = parse_timestamp(payload["timestamp"], "timestamp")
    kind = payload["type"]
    body: dict[str, Any] = {"type": kind, "timestamp": format_timestamp(happened)}
    if payload.get("techInfo") is not None:
        body["techInfo"] = payload["techInfo"]
    critical = kind in CRITICAL_SECURITY_EVENTS
    body["critical"] = critical
    return StationEvent(EventKind.SECURITY, f"{format_timestamp(happened)}#{kind}", happened, body, critical)


def read_data_transfer(payload: dict[str, Any]) -> DataTransferMessage:
    return DataTransferMessage(payload["vendorId"], payload.get("messageId"), payload.get("data"))


def data_transfer_event(
    message: DataTransferMessage, status: str, message_id: str, at: datetime
) -> StationEvent:
    """DataTransfer carries no time of its own: a resend is told by its OCPP message id and its
    content together (some stations count message ids from 1 again after a reboot)."""
    body = {"vendorId": message.vendor_id, "messageId": message.message_id, "data": message.data}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return StationEvent(EventKind.DATA_TRANSFER, f"{message_id}#{digest}", at, {**body, "status": status})


def firmware_payload(update: FirmwareUpdate) -> dict[str, Any]:
    """The request of a 2.x UpdateFirmware and a 1.6 SignedUpdateFirmware (the same shape)."""
    firmware: dict[str, Any] = {
        "location": update.location,
        "retrieveDateTime": format_timestamp(update.retrieve_at),
    }
    if update.install_at is not None:
        firmware["installDateTime"] = format_timestamp(update.install_at)
    if update.signed:
        firmware["signingCertificate"] = update.signing_certificate
        firmware["signature"] = update.signature
    return {
        "requestId": update.request_id,
        "firmware": firmware,
        **_retries(update.retries, update.retry_interval_s),
    }


def get_log_payload(request: LogRequest, log_type: str) -> dict[str, Any]:
    """GetLog, the same in the 1.6 security extension and 2.x."""
    log: dict[str, Any] = {"remoteLocation": request.location}
    if request.oldest is not None:
        log["oldestTimestamp"] = format_timestamp(request.oldest)
    if request.latest is not None:
        log["latestTimestamp"] = format_timestamp(request.latest)
    return {
        "logType": log_type,
        "requestId": request.request_id,
        "log": log,
        **_retries(request.retries, request.retry_interval_s),
    }


def get_log_answer(command: Command, response: dict[str, Any]) -> MaintenanceAnswer:
    return MaintenanceAnswer(
        Kind.LOG, command.payload["requestId"], response["status"], response.get("filename")
    )


def _retries(retries: int | None, interval_s: int | None) -> dict[str, Any]:
    found = {"retries": retries, "retryInterval": interval_s}
    return {key: value for key, value in found.items() if value is not None}


def no_monitoring(version: str) -> CommandRefused:
    return CommandRefused(f"OCPP {version} has no variable monitoring (it came with 2.0.1's device model)")


def reservation_answer(command: Command, response: dict[str, Any], id_field: str) -> tuple[int, str] | None:
    """ReserveNow (whose id is `id_field` in the version's words) or CancelReservation."""
    if command.action == "ReserveNow":
        return int(command.payload[id_field]), str(response["status"])
    if command.action == "CancelReservation":
        return int(command.payload["reservationId"]), str(response["status"])
    return None


def read_limit(configuration: dict[str, str | None], key: str) -> int | None:
    value = configuration.get(key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def local_list_call(
    update: ListUpdate, version_key: str, item_of: Callable[[ListChange], dict[str, Any]]
) -> Intent:
    """SendLocalList, whose version field and entries each version names its own way."""
    payload: dict[str, Any] = {version_key: update.version, "updateType": update.update_type.value}
    if update.changes:
        payload["localAuthorizationList"] = [item_of(change) for change in update.changes]
    return "SendLocalList", payload


def local_list_read(
    command: Command, version_key: str, change_of: Callable[[dict[str, Any]], ListChange]
) -> ListUpdate | None:
    """What a SendLocalList carried, read back with the version's own reader of an entry."""
    if command.action != "SendLocalList":
        return None
    payload = command.payload
    changes = tuple(change_of(item) for item in payload.get("localAuthorizationList") or [])
    return ListUpdate(int(payload[version_key]), UpdateType(payload["updateType"]), changes)


def token_entry(
    id_token: str, status: str, token_type: str | None, expiry: str | None, parent: str | None
) -> TokenEntry:
    return TokenEntry(
        id_token,
        AuthorizationStatus(status),
        token_type,
        parse_timestamp(expiry, "expiryDate") if expiry else None,
        parent,
    )


def no_display_messages(version: str) -> CommandRefused:
    return CommandRefused(f"OCPP {version} has no display messages (they came with 2.0.1)")


def no_tariffs(version: str) -> CommandRefused:
    return CommandRefused(f"OCPP {version} has no tariff messages (they came with 2.1)")


START_KINDS = frozenset({"Absolute", "Recurring"})


def started_schedule(schedule: dict[str, Any], kind: str, now: datetime) -> dict[str, Any]:
    """A schedule of an absolute or recurring profile, with `startSchedule` (now, to the
    second) when it had none."""
    if kind not in START_KINDS or "startSchedule" in schedule:
        return schedule
    return {**schedule, "startSchedule": format_timestamp(now.replace(microsecond=0))}


def composite_call(where: str, evse_id: int, duration_s: int, unit: str | None) -> Intent:
    """GetCompositeSchedule for the EVSE (or connector) under the version's key."""
    payload: dict[str, Any] = {where: evse_id, "duration": duration_s}
    if unit:
        payload["chargingRateUnit"] = unit
    return "GetCompositeSchedule", payload


def composite_of(
    evse_id: int, schedule: dict[str, Any] | None, start: str | None
) -> CompositeSchedule | None:
    """A composite schedule in the domain's shape; `start` when the version gives it apart."""
    if not schedule:
        return None
    begins = parse_timestamp(
        start or schedule.get("scheduleStart") or schedule["startSchedule"], "scheduleStart"
    )
    unit = schedule["chargingRateUnit"]
    return CompositeSchedule(
        evse_id=evse_id,
        start=begins,
        duration_s=schedule.get("duration"),
        unit=unit,
        periods=periods_of(begins, unit, schedule.get("chargingSchedulePeriod") or []),
    )


def no_charging_profile_reports(version: str) -> CommandRefused:
    return CommandRefused(
        f"OCPP {version} cannot report its charging profiles (GetChargingProfiles came with 2.0.1)"
    )
