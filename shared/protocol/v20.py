"""OCPP 2.0 (2018) read as 2.0.1 (decision 0041).

The `ocpp` package ships no 2.0 schemas, and 2.0.1 replaced 2.0 by changing some of its messages
in ways the schemas tell apart. A 2.0 payload is turned into 2.0.1's wording by the rules here,
then validated with the 2.0.1 schema and handed to the 2.0.1 codecs; what the CSMS writes in
2.0.1's wording is turned back the same way. A message no rule names is worded alike in both. A
rule that meets a value the other version cannot say raises the RpcError to answer (a call from
the CSMS that 2.0 cannot carry is refused before it is queued). Each difference met is logged,
one line per message naming each kind, and counted.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from shared.observability import logger, metrics
from shared.protocol.errors import ErrorKind, RpcError

CALL, CALLRESULT = 2, 3
# What a 2.0 report leaves out and 2.0.1 requires: the id of the request it answers. No request
# of the CSMS carries a negative id, so this one matches none.
NO_REQUEST_ID = -1
# Actions 2.0 has that the CSMS cannot serve through 2.0.1's: 2.0's answer to
# Get15118EVCertificate must carry the contract and provisioning certificate chains, which 2.0.1
# moved into the EXI response the CSMS relays.
UNSERVED = frozenset({"Get15118EVCertificate"})
# The vendor `customData` names when it keeps what 2.0 said and 2.0.1 has no field for.
VENDOR_ID = "org.openchargealliance.ocpp2.0"


class Difference(StrEnum):
    """Each kind of difference between 2.0 and 2.0.1 that a rule maps."""

    CERTIFICATE_HASH_DATA_RENAMED = "15118CertificateHashData renamed iso15118CertificateHashData"
    HASH_DATA_WITHOUT_RESPONDER = "certificate hash data without responderURL left out"
    AUTHORIZE_EVSE_IDS_DROPPED = "Authorize evseId left out"
    TRANSACTION_DATA_RENAMED = "transactionData renamed transactionInfo (id renamed transactionId)"
    CABLE_MAX_CURRENT_ROUNDED = "cableMaxCurrent rounded to an integer"
    SIGNED_METER_VALUE_RESHAPED = "signedMeterValue fields renamed"
    FIRMWARE_STATUS_MAPPED = "firmware status 2.0.1 lacks mapped"
    MONITORING_EVENT_FLATTENED = (
        "variableMonitoringEvent became variableMonitoringId and eventNotificationType"
    )
    EVENT_NOTIFICATION_TYPE_ADDED = "eventNotificationType added"
    PERSISTENCE_RENAMED = "variableAttribute persistence renamed persistent"
    REQUEST_ID_MISSING = "requestId missing from a report"
    CHARGING_SCHEDULE_LISTED = "one chargingSchedule became a list of one"
    SCHEDULE_ID_ADDED = "chargingSchedule id added"
    PRIMARY_DROPPED = "chargingProfile primary left out"
    ENERGY_TRANSFER_MAPPED = "requestedEnergyTransfer value mapped"
    LOCATION_LISTED = "publish firmware location became a list"
    CERTIFICATE_TYPE_RENAMED = "typeOfCertificate renamed certificateType"
    COMPOSITE_SCHEDULE_RESHAPED = "composite schedule reshaped"
    CERTIFICATE_HASHES_CHAINED = "certificateHashData became certificateHashDataChain"
    STATUS_MAPPED = "status value 2.0.1 lacks mapped"
    STATUS_INFO_DROPPED = "statusInfo left out"
    ID_TOKEN_INFO_EVSE_MOVED = "idTokenInfo evseId moved"
    GROUP_ID_TOKEN_DROPPED = "groupIdToken left out"
    AVAILABILITY_EVSE_FLATTENED = "ChangeAvailability evse became evseId"
    RESERVATION_NESTED = "ReserveNow fields nested in reservation"
    CLEAR_CRITERIA_RESHAPED = "ClearChargingProfile criteria reshaped"
    CERTIFICATE_CHAIN_SPLIT = "certificateChain split into cert"
    CERTIFICATE_TYPE_SPELLED = "V2GRootCertificate spelled V2GRootCertficate"
    FIELDS_2_0_LACKS_DROPPED = "fields 2.0 lacks left out"


class _Found:
    def __init__(self) -> None:
        self.kinds: list[Difference] = []

    def __call__(self, kind: Difference) -> None:
        if kind not in self.kinds:
            self.kinds.append(kind)


Rule = Callable[[dict[str, Any], _Found, dict[str, Any] | None], None]


def _cannot(description: str, kind: ErrorKind = ErrorKind.PROPERTY_CONSTRAINT) -> RpcError:
    return RpcError(kind, f"OCPP 2.0 cannot say this: {description}")


def _rename(node: dict[str, Any], old: str, new: str) -> bool:
    if old not in node:
        return False
    node[new] = node.pop(old)
    return True


def _drop(node: dict[str, Any] | None, *keys: str) -> bool:
    if not isinstance(node, dict):
        return False
    return bool([node.pop(key) for key in keys if key in node])


def _sampled_values(meter_values: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    return [sample for value in meter_values or () for sample in value.get("sampledValue", ())]


# --- read: 2.0 on the wire, 2.0.1 inside -------------------------------------------------


def _signed_meter_values(meter_values: list[dict[str, Any]] | None, found: _Found) -> None:
    """2.0 signs the encoded meter value apart; 2.0.1 carries signed data (which may hold the
    signature) and the public key, which 2.0 does not send. The signature is kept where 2.0.1
    lets any type carry more, its `customData`."""
    for sample in _sampled_values(meter_values):
        signed = sample.get("signedMeterValue")
        if not isinstance(signed, dict) or "signedMeterData" in signed:
            continue
        _rename(signed, "encodedMeterValue", "signedMeterData")
        _rename(signed, "signatureMethod", "signingMethod")
        signed.setdefault("publicKey", "")
        if "meterValueSignature" in signed:
            signed["customData"] = {
                "vendorId": VENDOR_ID,
                "meterValueSignature": signed.pop("meterValueSignature"),
            }
        found(Difference.SIGNED_METER_VALUE_RESHAPED)


def _read_authorize(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    if _rename(payload, "15118CertificateHashData", "iso15118CertificateHashData"):
        found(Difference.CERTIFICATE_HASH_DATA_RENAMED)
        hashes = payload["iso15118CertificateHashData"]
        kept = [item for item in hashes if isinstance(item, dict) and "responderURL" in item]
        if len(kept) < len(hashes):
            found(Difference.HASH_DATA_WITHOUT_RESPONDER)
        if kept:
            payload["iso15118CertificateHashData"] = kept
        else:
            del payload["iso15118CertificateHashData"]
    if _drop(payload, "evseId"):
        found(Difference.AUTHORIZE_EVSE_IDS_DROPPED)


def _read_transaction_event(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    if _rename(payload, "transactionData", "transactionInfo"):
        found(Difference.TRANSACTION_DATA_RENAMED)
        if isinstance(payload["transactionInfo"], dict):
            _rename(payload["transactionInfo"], "id", "transactionId")
    current = payload.get("cableMaxCurrent")
    if isinstance(current, float) and not current.is_integer():
        payload["cableMaxCurrent"] = round(current)
        found(Difference.CABLE_MAX_CURRENT_ROUNDED)
    _signed_meter_values(payload.get("meterValue"), found)


def _read_meter_values(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _signed_meter_values(payload.get("meterValue"), found)


# 2.0's firmware statuses 2.0.1 dropped: certificate checks moved to UpdateFirmware's answer and
# publishing to PublishFirmwareStatusNotification. Each becomes the 2.0.1 status of the same step.
_FIRMWARE_STATUSES = {
    "CertificateVerified": "SignatureVerified",
    "InvalidCertificate": "InvalidSignature",
    "RevokedCertificate": "InvalidSignature",
    "PublishFailed": "DownloadFailed",
}


def _read_firmware_status(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    if payload.get("status") in _FIRMWARE_STATUSES:
        payload["status"] = _FIRMWARE_STATUSES[payload["status"]]
        found(Difference.FIRMWARE_STATUS_MAPPED)


def _read_notify_event(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    """2.0 describes the monitor that fired; 2.0.1 names it and says what kind of monitor it
    is. 2.0 cannot tell a preconfigured monitor from one the CSMS set: read as the CSMS's."""
    for event in payload.get("eventData") or ():
        if not isinstance(event, dict) or "eventNotificationType" in event:
            continue
        monitor = event.pop("variableMonitoringEvent", None)
        if isinstance(monitor, dict) and "id" in monitor:
            event["variableMonitoringId"] = monitor["id"]
            event["eventNotificationType"] = "CustomMonitor"
            found(Difference.MONITORING_EVENT_FLATTENED)
        else:
            event["eventNotificationType"] = "HardWiredNotification"
            found(Difference.EVENT_NOTIFICATION_TYPE_ADDED)


def _request_id(payload: dict[str, Any], found: _Found) -> None:
    if "requestId" not in payload:
        payload["requestId"] = NO_REQUEST_ID
        found(Difference.REQUEST_ID_MISSING)


def _read_report(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _request_id(payload, found)
    for item in payload.get("reportData") or ():
        for attribute in item.get("variableAttribute") or () if isinstance(item, dict) else ():
            if isinstance(attribute, dict) and _rename(attribute, "persistence", "persistent"):
                found(Difference.PERSISTENCE_RENAMED)


def _read_requested(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _request_id(payload, found)


def _read_charging_profiles(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _request_id(payload, found)
    for profile in payload.get("chargingProfile") or ():
        if not isinstance(profile, dict):
            continue
        schedule = profile.get("chargingSchedule")
        if isinstance(schedule, dict):
            profile["chargingSchedule"] = [{"id": profile.get("id", 0), **schedule}]
            found(Difference.CHARGING_SCHEDULE_LISTED)
        if _drop(profile, "primary"):
            found(Difference.PRIMARY_DROPPED)


def _read_charging_limit(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    for number, schedule in enumerate(payload.get("chargingSchedule") or (), start=1):
        if isinstance(schedule, dict) and "id" not in schedule:
            schedule["id"] = number
            found(Difference.SCHEDULE_ID_ADDED)


def _read_ev_schedule(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    schedule = payload.get("chargingSchedule")
    if isinstance(schedule, dict) and "id" not in schedule:
        schedule["id"] = 1
        found(Difference.SCHEDULE_ID_ADDED)


# 2.0 names ISO 15118's energy transfer modes by service; 2.0.1 by phases.
_ENERGY_TRANSFERS = {
    "AC_single_phase_core": "AC_single_phase",
    "AC_three_phase_core": "AC_three_phase",
    "DC_core": "DC",
    "DC_extended": "DC",
    "DC_combo_core": "DC",
    "DC_unique": "DC",
}


def _read_ev_needs(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    needs = payload.get("chargingNeeds")
    if isinstance(needs, dict) and needs.get("requestedEnergyTransfer") in _ENERGY_TRANSFERS:
        needs["requestedEnergyTransfer"] = _ENERGY_TRANSFERS[needs["requestedEnergyTransfer"]]
        found(Difference.ENERGY_TRANSFER_MAPPED)


def _read_publish_status(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    if isinstance(payload.get("location"), str):
        payload["location"] = [payload["location"]]
        found(Difference.LOCATION_LISTED)


def _read_sign_certificate(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    if _rename(payload, "typeOfCertificate", "certificateType"):
        found(Difference.CERTIFICATE_TYPE_RENAMED)


def _read_certificate_status(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    data = payload.get("ocspRequestData")
    if isinstance(data, dict) and "responderURL" not in data:
        raise _cannot(
            "without a responderURL there is no OCSP responder to ask", ErrorKind.OCCURRENCE_CONSTRAINT
        )


def _read_composite_schedule(payload: dict[str, Any], found: _Found, request: dict[str, Any] | None) -> None:
    schedule = payload.get("schedule")
    if not isinstance(schedule, dict) or "chargingSchedule" not in schedule:
        return
    inner = schedule.pop("chargingSchedule") or {}
    evse_id = payload.pop("evseId", (request or {}).get("evseId", 0))
    payload["schedule"] = {
        "evseId": evse_id,
        "duration": inner.get("duration", (request or {}).get("duration", 0)),
        "scheduleStart": schedule.get("startDateTime") or inner.get("startSchedule"),
        "chargingRateUnit": inner.get("chargingRateUnit"),
        "chargingSchedulePeriod": inner.get("chargingSchedulePeriod", []),
    }
    if payload["schedule"]["scheduleStart"] is None:
        raise _cannot("a composite schedule without a start", ErrorKind.OCCURRENCE_CONSTRAINT)
    found(Difference.COMPOSITE_SCHEDULE_RESHAPED)


def _read_installed_certificates(
    payload: dict[str, Any], found: _Found, request: dict[str, Any] | None
) -> None:
    hashes = payload.pop("certificateHashData", None)
    if hashes is None:
        return
    kinds = (request or {}).get("certificateType") or ["V2GRootCertificate"]
    payload["certificateHashDataChain"] = [
        {"certificateType": kinds[0], "certificateHashData": item} for item in hashes
    ]
    found(Difference.CERTIFICATE_HASHES_CHAINED)


def _statuses(mapping: dict[str, str], key: str = "status", items: str | None = None) -> Rule:
    def rule(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
        nodes = payload.get(items) or () if items else (payload,)
        for node in nodes:
            if isinstance(node, dict) and node.get(key) in mapping:
                node[key] = mapping[node[key]]
                found(Difference.STATUS_MAPPED)

    return rule


_INSTALL_REFUSALS = (
    "CertChainError",
    "CertificateExpired",
    "CertificateRevoked",
    "ContractCancelled",
    "NoCertificateAvailable",
    "SignatureError",
)

_READ: dict[tuple[str, int], Rule] = {
    ("Authorize", CALL): _read_authorize,
    ("TransactionEvent", CALL): _read_transaction_event,
    ("MeterValues", CALL): _read_meter_values,
    ("FirmwareStatusNotification", CALL): _read_firmware_status,
    ("NotifyEvent", CALL): _read_notify_event,
    ("NotifyReport", CALL): _read_report,
    ("NotifyMonitoringReport", CALL): _read_requested,
    ("NotifyCustomerInformation", CALL): _read_requested,
    ("ReportChargingProfiles", CALL): _read_charging_profiles,
    ("NotifyChargingLimit", CALL): _read_charging_limit,
    ("NotifyEVChargingSchedule", CALL): _read_ev_schedule,
    ("NotifyEVChargingNeeds", CALL): _read_ev_needs,
    ("PublishFirmwareStatusNotification", CALL): _read_publish_status,
    ("SignCertificate", CALL): _read_sign_certificate,
    ("GetCertificateStatus", CALL): _read_certificate_status,
    ("GetCompositeSchedule", CALLRESULT): _read_composite_schedule,
    ("GetInstalledCertificateIds", CALLRESULT): _read_installed_certificates,
    ("InstallCertificate", CALLRESULT): _statuses(dict.fromkeys(_INSTALL_REFUSALS, "Rejected")),
    ("SetVariables", CALLRESULT): _statuses(
        {"InvalidValue": "Rejected", "OutOfRange": "Rejected"}, "attributeStatus", "setVariableResult"
    ),
    ("SetVariableMonitoring", CALLRESULT): _statuses(
        {"OutOfRange": "Rejected"}, "status", "setMonitoringResult"
    ),
}


# --- write: 2.0.1 inside, 2.0 on the wire ------------------------------------------------


def _no_mac_address(payload: dict[str, Any]) -> None:
    """2.0.1 added the MacAddress id token type; 2.0 has no way to name such a token."""
    for key in ("idToken", "groupIdToken"):
        if isinstance(payload.get(key), dict) and payload[key].get("type") == "MacAddress":
            raise _cannot(f"{key} of type MacAddress")


def _one_schedule(profile: dict[str, Any] | None, found: _Found) -> None:
    """2.0 has one schedule per profile, without an id, sales tariff or `primary`."""
    if not isinstance(profile, dict) or not isinstance(profile.get("chargingSchedule"), list):
        return
    schedules = profile["chargingSchedule"]
    if len(schedules) != 1:
        raise _cannot(f"a charging profile of {len(schedules)} schedules (2.0 holds one)")
    schedule = dict(schedules[0])
    if "salesTariff" in schedule:
        raise _cannot("a charging schedule with a sales tariff")
    schedule.pop("id", None)
    profile["chargingSchedule"] = schedule
    found(Difference.CHARGING_SCHEDULE_LISTED)


def _write_request_start(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _no_mac_address(payload)
    if _drop(payload, "groupIdToken"):
        found(Difference.GROUP_ID_TOKEN_DROPPED)
    _one_schedule(payload.get("chargingProfile"), found)


def _write_set_charging_profile(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _one_schedule(payload.get("chargingProfile"), found)


def _write_change_availability(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    evse = payload.pop("evse", None) or {}
    if "connectorId" in evse:
        raise _cannot("the availability of one connector (2.0 changes an EVSE's or the station's)")
    payload["evseId"] = evse.get("id", 0)
    found(Difference.AVAILABILITY_EVSE_FLATTENED)


def _write_reset(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    if "evseId" in payload:
        raise _cannot("a reset of one EVSE (2.0 resets the whole station)")


def _write_reserve_now(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    _no_mac_address(payload)
    reservation: dict[str, Any] = {"id": payload.pop("id"), "expiryDateTime": payload.pop("expiryDateTime")}
    if "evseId" in payload:
        reservation["evse"] = {"id": payload.pop("evseId")}
    if "connectorType" in payload:
        reservation["connectorCode"] = payload.pop("connectorType")
    payload["reservation"] = reservation
    found(Difference.RESERVATION_NESTED)


def _write_clear_charging_profile(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    criteria = payload.pop("chargingProfileCriteria", None) or {}
    profile = {key: criteria[key] for key in ("chargingProfilePurpose", "stackLevel") if key in criteria}
    if "chargingProfileId" in payload:
        profile["id"] = payload.pop("chargingProfileId")
    if profile:
        payload["chargingProfile"] = profile
    if "evseId" in criteria:
        payload["evseId"] = criteria["evseId"]
    found(Difference.CLEAR_CRITERIA_RESHAPED)


_PEM = re.compile(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.DOTALL)


def _write_certificate_signed(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    chain = payload.pop("certificateChain")
    payload["cert"] = _PEM.findall(chain) or [chain]
    _rename(payload, "certificateType", "typeOfCertificate")
    found(Difference.CERTIFICATE_CHAIN_SPLIT)


def _spelled(kind: str, found: _Found) -> str:
    if kind == "V2GRootCertificate":
        found(Difference.CERTIFICATE_TYPE_SPELLED)
        return "V2GRootCertficate"
    return kind


def _write_installed_ids(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    kinds = payload.pop("certificateType", None) or []
    if len(kinds) != 1 or kinds[0] == "V2GCertificateChain":
        raise _cannot("asking for other than one type of certificate that 2.0 knows")
    payload["typeOfCertificate"] = _spelled(kinds[0], found)
    found(Difference.CERTIFICATE_TYPE_RENAMED)


def _write_install_certificate(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    payload["certificateType"] = _spelled(payload["certificateType"], found)


def _write_reports(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    for item in payload.get("componentVariable") or ():
        if "variable" not in item:
            raise _cannot("a report on every variable of a component (2.0 names the variable)")


def _dropped(*keys: str, within: str | None = None) -> Rule:
    def rule(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
        if _drop(payload.get(within) if within else payload, *keys):
            found(Difference.FIELDS_2_0_LACKS_DROPPED)

    return rule


def _refused(key: str, values: set[str]) -> Rule:
    def rule(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
        if payload.get(key) in values:
            raise _cannot(f"{key} {payload[key]}")

    return rule


def _write_local_list(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
    for entry in payload.get("localAuthorizationList") or ():
        _no_mac_address(entry)
        info = entry.get("idTokenInfo")
        if _drop(info, "evseId") | _drop((info or {}).get("groupIdToken"), "additionalInfo"):
            found(Difference.FIELDS_2_0_LACKS_DROPPED)


def _write_id_token_info(top_level_evse: bool) -> Rule:
    """2.0.1 put the EVSEs a token may use inside idTokenInfo; 2.0's Authorize answer has them
    beside it, and its TransactionEvent answer not at all."""

    def rule(payload: dict[str, Any], found: _Found, _: dict[str, Any] | None) -> None:
        info = payload.get("idTokenInfo")
        if not isinstance(info, dict):
            return
        evses = info.pop("evseId", None)
        if evses is not None:
            if top_level_evse:
                payload["evseId"] = evses
            found(Difference.ID_TOKEN_INFO_EVSE_MOVED)
        if _drop(info.get("groupIdToken"), "additionalInfo"):
            found(Difference.FIELDS_2_0_LACKS_DROPPED)

    return rule


_WRITE: dict[tuple[str, int], Rule] = {
    ("RequestStartTransaction", CALL): _write_request_start,
    ("SetChargingProfile", CALL): _write_set_charging_profile,
    ("ChangeAvailability", CALL): _write_change_availability,
    ("Reset", CALL): _write_reset,
    ("ReserveNow", CALL): _write_reserve_now,
    ("ClearChargingProfile", CALL): _write_clear_charging_profile,
    ("CertificateSigned", CALL): _write_certificate_signed,
    ("GetInstalledCertificateIds", CALL): _write_installed_ids,
    ("InstallCertificate", CALL): _write_install_certificate,
    ("GetReport", CALL): _write_reports,
    ("GetMonitoringReport", CALL): _write_reports,
    ("PublishFirmware", CALL): _dropped("requestId", "retryInterval"),
    ("SetNetworkProfile", CALL): _dropped("securityProfile", within="connectionData"),
    ("SetMonitoringBase", CALL): _refused("monitoringBase", {"HardWiredOnly"}),
    ("TriggerMessage", CALL): _refused(
        "requestedMessage", {"PublishFirmwareStatusNotification", "SignCombinedCertificate"}
    ),
    ("SendLocalList", CALL): _write_local_list,
    ("Authorize", CALLRESULT): _write_id_token_info(top_level_evse=True),
    ("TransactionEvent", CALLRESULT): _write_id_token_info(top_level_evse=False),
    ("GetCertificateStatus", CALLRESULT): _statuses({"Failed": "Rejected"}),
}


def _apply(
    rules: dict[tuple[str, int], Rule],
    action: str,
    message_type_id: int,
    payload: dict[str, Any],
    request: dict[str, Any] | None,
) -> dict[str, Any]:
    rule = rules.get((action, message_type_id))
    answering = rules is _WRITE and message_type_id == CALLRESULT and "statusInfo" in payload
    if rule is None and not answering:
        return payload
    mapped, found = copy.deepcopy(payload), _Found()
    if answering:  # 2.0.1 answers may explain a status; 2.0's cannot
        del mapped["statusInfo"]
        found(Difference.STATUS_INFO_DROPPED)
    if rule is not None:
        try:
            rule(mapped, found, request)
        except (KeyError, TypeError, AttributeError):  # a shape the rule cannot read: the schema says why
            return payload
    if found.kinds:
        metrics.add_metric(name="Ocpp20Differences", unit="Count", value=len(found.kinds))
        logger.info(
            "OCPP 2.0 differences mapped",
            extra={
                "action": action,
                "direction": "read" if rules is _READ else "write",
                "differences": [kind.name for kind in found.kinds],
            },
        )
    return mapped


def read(
    action: str, message_type_id: int, payload: dict[str, Any], request: dict[str, Any] | None = None
) -> dict[str, Any]:
    """A 2.0 payload (a call, or the answer to `request`) in 2.0.1's wording."""
    return _apply(_READ, action, message_type_id, payload, request)


def write(action: str, message_type_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    """A 2.0.1 payload (a call of the CSMS, or its answer) in 2.0's wording."""
    return _apply(_WRITE, action, message_type_id, payload, None)
