"""The one seam where OCPP versions differ.

A `Profile` holds everything version-specific: the WebSocket subprotocol, the names the
version gives RPC errors, which actions a charge point may send, which frame types exist, and
where each block's codec for the version lives (`shared/protocol/<block>/<module>.py`: the
block's messages read into the domain's shapes and the domain's intentions written as the
version's calls). Code outside this package asks a block's codec for the profile; it never
branches on a version number.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

import ocpp

from shared.protocol.errors import ErrorKind


class OcppVersion(StrEnum):
    V15 = "1.5"  # SOAP over HTTP only (shared/protocol/soap.py): never a WebSocket subprotocol
    V16 = "1.6"
    V20 = "2.0"
    V201 = "2.0.1"
    V21 = "2.1"

    @property
    def subprotocol(self) -> str:
        return f"ocpp{self.value}"


_COMMON_ERROR_NAMES = {
    ErrorKind.NOT_IMPLEMENTED: "NotImplemented",
    ErrorKind.NOT_SUPPORTED: "NotSupported",
    ErrorKind.TYPE_CONSTRAINT: "TypeConstraintViolation",
    ErrorKind.PROPERTY_CONSTRAINT: "PropertyConstraintViolation",
    ErrorKind.PROTOCOL: "ProtocolError",
    ErrorKind.SECURITY: "SecurityError",
    ErrorKind.INTERNAL: "InternalError",
    ErrorKind.GENERIC: "GenericError",
}

# OCPP 1.6 has no frame-level codes (RpcFrameworkError, MessageTypeNotSupported): a frame that
# does not fit the RPC structure is a FormationViolation there. Its spelling of
# "Occurence" is the specification's own.
_V16_ERROR_NAMES = _COMMON_ERROR_NAMES | {
    ErrorKind.FORMAT: "FormationViolation",
    ErrorKind.RPC_FRAMEWORK: "FormationViolation",
    ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED: "FormationViolation",
    ErrorKind.OCCURRENCE_CONSTRAINT: "OccurenceConstraintViolation",
}
_V2_ERROR_NAMES = _COMMON_ERROR_NAMES | {
    ErrorKind.FORMAT: "FormatViolation",
    ErrorKind.RPC_FRAMEWORK: "RpcFrameworkError",
    ErrorKind.MESSAGE_TYPE_NOT_SUPPORTED: "MessageTypeNotSupported",
    ErrorKind.OCCURRENCE_CONSTRAINT: "OccurrenceConstraintViolation",
}

# Actions a charge point initiates (DataTransfer goes both ways). Every other action in a
# version's schemas is one the CSMS sends. OCPP 1.5's two services (its WSDLs): 10 operations of
# the central system's, 15 of the charge point's; every one has a 1.6 namesake whose payload is a
# superset, which shared/protocol/v15.py converts to and from.
_V15_FROM_CHARGE_POINT = frozenset(
    {
        "Authorize",
        "BootNotification",
        "DataTransfer",
        "DiagnosticsStatusNotification",
        "FirmwareStatusNotification",
        "Heartbeat",
        "MeterValues",
        "StartTransaction",
        "StatusNotification",
        "StopTransaction",
    }
)
# 1.6 adds its security extension's.
_V16_FROM_CHARGE_POINT = _V15_FROM_CHARGE_POINT | {
    "LogStatusNotification",
    "SecurityEventNotification",
    "SignCertificate",
    "SignedFirmwareStatusNotification",
}
_V15_FROM_CSMS = frozenset(
    {
        "CancelReservation",
        "ChangeAvailability",
        "ChangeConfiguration",
        "ClearCache",
        "DataTransfer",
        "GetConfiguration",
        "GetDiagnostics",
        "GetLocalListVersion",
        "RemoteStartTransaction",
        "RemoteStopTransaction",
        "ReserveNow",
        "Reset",
        "SendLocalList",
        "UnlockConnector",
        "UpdateFirmware",
    }
)
_V201_FROM_CHARGE_POINT = frozenset(
    {
        "Authorize",
        "BootNotification",
        "ClearedChargingLimit",
        "DataTransfer",
        "FirmwareStatusNotification",
        "Get15118EVCertificate",
        "GetCertificateStatus",
        "Heartbeat",
        "LogStatusNotification",
        "MeterValues",
        "NotifyChargingLimit",
        "NotifyCustomerInformation",
        "NotifyDisplayMessages",
        "NotifyEVChargingNeeds",
        "NotifyEVChargingSchedule",
        "NotifyEvent",
        "NotifyMonitoringReport",
        "NotifyReport",
        "PublishFirmwareStatusNotification",
        "ReportChargingProfiles",
        "ReservationStatusUpdate",
        "SecurityEventNotification",
        "SignCertificate",
        "StatusNotification",
        "TransactionEvent",
    }
)
_V21_FROM_CHARGE_POINT = _V201_FROM_CHARGE_POINT | {
    "BatterySwap",
    "ClosePeriodicEventStream",
    "GetCertificateChainStatus",
    "NotifyDERAlarm",
    "NotifyDERStartStop",
    "NotifyPeriodicEventStream",
    "NotifyPriorityCharging",
    "NotifySettlement",
    "OpenPeriodicEventStream",
    "PullDynamicScheduleUpdate",
    "ReportDERControl",
    "VatNumberValidation",
}


@dataclass(frozen=True)
class Profile:
    version: OcppVersion
    error_names: dict[ErrorKind, str] = field(repr=False)
    from_charge_point: frozenset[str] = field(repr=False)
    # OCPP 2.1 adds CALLRESULTERROR (5) and SEND (6) to CALL, CALLRESULT and CALLERROR.
    message_types: frozenset[int] = field(repr=False)
    # Where a block's codec for this version is, first match wins: a version that shares most
    # shapes with an older one (2.1 with 2.0.1) has modules only where it differs.
    codec_modules: tuple[str, ...] = field(repr=False)
    # A version read through another's schemas, codecs and handlers once a module of rules
    # (`dialect`) has mapped its wire shapes onto that version's: OCPP 2.0 onto 2.0.1; or whose
    # messages another reader makes into that version's payloads (1.5's SOAP XML into 1.6's
    # JSON, shared/protocol/v15.py), when only `wire_actions` exist.
    read_as: OcppVersion | None = field(default=None, repr=False)
    dialect: str | None = field(default=None, repr=False)
    wire_actions: frozenset[str] | None = field(default=None, repr=False)

    @property
    def subprotocol(self) -> str:
        return self.version.subprotocol

    @property
    def schemas(self) -> OcppVersion:
        """The version whose schemas (and handlers) serve this one's messages."""
        return self.read_as or self.version

    def error_name(self, kind: ErrorKind) -> str:
        return self.error_names[kind]

    @cached_property
    def actions(self) -> frozenset[str]:
        """Every action of the version, read from the `ocpp` package's bundled schemas."""
        if self.wire_actions is not None:
            return self.wire_actions
        folder = Path(ocpp.__file__).parent / ("v" + self.schemas.value.replace(".", "")) / "schemas"
        names = set()
        for schema in folder.glob("*.json"):
            name = schema.stem
            for suffix in ("Response", "Request"):
                name = name.removesuffix(suffix)
            names.add(name)
        return frozenset(names)

    def request_schema(self, action: str) -> dict[str, Any]:
        """An action's request payload schema, as the `ocpp` package bundles it (for the
        console's payload editor)."""
        folder = Path(ocpp.__file__).parent / ("v" + self.schemas.value.replace(".", "")) / "schemas"
        name = action if self.schemas is OcppVersion.V16 else f"{action}Request"
        schema: dict[str, Any] = json.loads((folder / f"{name}.json").read_text())
        return schema

    @cached_property
    def from_csms(self) -> frozenset[str]:
        return (self.actions - self.from_charge_point) | {"DataTransfer"}

    def codec(self, block: str) -> object:
        """The block's codec for this version: `CODEC` in the first of `codec_modules` the block
        has, else in its `every_version` module. Imported on first use, so a connection pays
        only for its own version and the blocks it uses. Each block's package types it
        (`transactions_codec(profile)`)."""
        key = (self.version, block)
        found = _CODECS.get(key)
        if found is None:
            for name in (*self.codec_modules, EVERY_VERSION):
                module = f"{block}.{name}"
                if importlib.util.find_spec(module) is not None:
                    found = _CODECS[key] = importlib.import_module(module).CODEC
                    break
            else:
                raise LookupError(f"{block} has no codec for OCPP {self.version}")
        return found


_CODECS: dict[tuple[OcppVersion, str], object] = {}
# A block whose messages every version words alike has one codec, in this module.
EVERY_VERSION = "every_version"


PROFILES: dict[OcppVersion, Profile] = {
    OcppVersion.V15: Profile(
        OcppVersion.V15,
        _V16_ERROR_NAMES,
        _V15_FROM_CHARGE_POINT,
        frozenset({2, 3, 4}),
        ("v15", "v16"),
        read_as=OcppVersion.V16,
        wire_actions=_V15_FROM_CHARGE_POINT | _V15_FROM_CSMS,
    ),
    OcppVersion.V16: Profile(
        OcppVersion.V16,
        _V16_ERROR_NAMES,
        _V16_FROM_CHARGE_POINT,
        frozenset({2, 3, 4}),
        ("v16",),
    ),
    OcppVersion.V201: Profile(
        OcppVersion.V201,
        _V2_ERROR_NAMES,
        _V201_FROM_CHARGE_POINT,
        frozenset({2, 3, 4}),
        ("v2",),
    ),
    OcppVersion.V20: Profile(
        OcppVersion.V20,
        _V2_ERROR_NAMES,
        _V201_FROM_CHARGE_POINT,
        frozenset({2, 3, 4}),
        ("v2",),
        read_as=OcppVersion.V201,
        dialect="shared.protocol.v20",
    ),
    OcppVersion.V21: Profile(
        OcppVersion.V21,
        _V2_ERROR_NAMES,
        frozenset(_V21_FROM_CHARGE_POINT),
        frozenset({2, 3, 4, 5, 6}),
        ("v21", "v2"),
    ),
}

# The order in which the CSMS prefers versions on a WebSocket: newest first, but 2.0 last of
# all, since 2.0.1 replaced it and a station offering both speaks the rest better (decision
# 0041); 1.5 is SOAP only.
PREFERENCE = (OcppVersion.V21, OcppVersion.V201, OcppVersion.V16, OcppVersion.V20)


def profile_for(version: str) -> Profile:
    return PROFILES[OcppVersion(version)]


def negotiate(offered: str | list[str] | None) -> OcppVersion | None:
    """The version the CSMS prefers (`PREFERENCE`) among those the charge point offers, from one
    or several Sec-WebSocket-Protocol headers, each possibly a comma-separated list. Subprotocol
    names are case-sensitive (RFC 6455): `OCPP1.6` is not `ocpp1.6`, and the handshake could not
    answer it as offered."""
    if offered is None:
        return None
    values = [offered] if isinstance(offered, str) else offered
    names = {part.strip() for value in values for part in value.split(",")}
    for version in PREFERENCE:
        if version.subprotocol in names:
            return version
    return None
