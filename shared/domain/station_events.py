"""What charge points tell the CSMS of themselves outside sessions: security events, device
model events (2.x NotifyEvent), monitoring reports, customer information and vendor data, and
2.1's DER alarms and reports, event streams, battery swaps and VAT checks. Kept per charge
point, newest first, for a year."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

RETENTION_DAYS = 366


class EventKind(StrEnum):
    SECURITY = "security"
    DEVICE = "device"
    MONITORING_REPORT = "monitoring-report"
    CUSTOMER_INFORMATION = "customer-information"
    DATA_TRANSFER = "data-transfer"
    FIRMWARE_PUBLISH = "firmware-publish"  # a local controller publishing firmware (2.x)
    SETTLEMENT = "settlement"  # a payment terminal's settlement of a session (2.1)
    EV_CHARGING_SCHEDULE = "ev-charging-schedule"  # what an EV plans to draw (2.x, ISO 15118)
    CHARGING_LIMIT = "charging-limit"  # a limit set at the station by an energy manager or the grid (2.x)
    DER_ALARM = "der-alarm"  # a DER control's alarm, raised or ended (2.1)
    DER_START_STOP = "der-start-stop"  # a DER control started or stopped (2.1)
    DER_REPORT = "der-report"  # the DER controls a station has, as it answers GetDERControl (2.1)
    EVENT_STREAM = "event-stream"  # a periodic event stream opened or closed (2.1)
    STREAM_DATA = "stream-data"  # a periodic event stream's values, one message each (2.1)
    BATTERY_SWAP = "battery-swap"  # a battery put in or taken out at a swap station (2.1)
    VAT_NUMBER = "vat-number"  # a VAT number checked for an invoice, with the answer (2.1)


@dataclass(frozen=True)
class StationEvent:
    kind: EventKind
    # Sorts the kind's events by time, and is the same for a resend of the same message.
    sort: str
    at: datetime
    body: dict[str, Any]  # as the API shows it (camelCase)
    critical: bool = False


class DataTransferStatus(StrEnum):
    ACCEPTED = "Accepted"
    REJECTED = "Rejected"
    UNKNOWN_VENDOR = "UnknownVendorId"
    UNKNOWN_MESSAGE = "UnknownMessageId"


@dataclass(frozen=True)
class DataTransferMessage:
    vendor_id: str
    message_id: str | None
    data: Any


@dataclass(frozen=True)
class Vendor:
    """A vendor whose DataTransfer messages the CSMS accepts: all of them, or those message ids."""

    vendor_id: str
    message_ids: frozenset[str] | None
    description: str | None
    created_at: datetime

    def answer(self, message_id: str | None) -> DataTransferStatus:
        if self.message_ids is None or message_id in self.message_ids:
            return DataTransferStatus.ACCEPTED
        return DataTransferStatus.UNKNOWN_MESSAGE


def data_transfer_status(vendor: Vendor | None, message: DataTransferMessage) -> DataTransferStatus:
    return DataTransferStatus.UNKNOWN_VENDOR if vendor is None else vendor.answer(message.message_id)


@dataclass(frozen=True)
class Monitor:
    """A variable monitor to set (2.x SetVariableMonitoring), on a `Component/Variable` key."""

    key: str
    type: str  # UpperThreshold, LowerThreshold, Delta, Periodic, PeriodicClockAligned, ...
    value: float
    severity: int
    evse_id: int | None = None
    transaction: bool = False
    monitor_id: int | None = None  # to replace an existing monitor


def data_transfer_event(
    message: DataTransferMessage, status: str, message_id: str, at: datetime
) -> StationEvent:
    """DataTransfer carries no time of its own: a resend is told by its OCPP message id and its
    content together (some stations count message ids from 1 again after a reboot)."""
    body = {"vendorId": message.vendor_id, "messageId": message.message_id, "data": message.data}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:16]
    return StationEvent(EventKind.DATA_TRANSFER, f"{message_id}#{digest}", at, {**body, "status": status})
