"""Domain events on the EventBridge bus, for billing and other integrations.

Published after what they announce is stored. Publishing never fails a charge point's message:
an entry the bus failed is put again, twice at most; a failure after that is logged and counted
(metric DomainEventsFailed), and the API stays the source of truth. Shapes are in the README's
"Domain events" section; each carries its tenant (`tenantId`).
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from shared.aws.clients import make_client
from shared.domain.timestamps import format_timestamp
from shared.observability import logger, metrics
from shared.settings import get_settings

SOURCE = "csms"
# What every event's detail carries besides its own fields: whose it is (`tenantId`).
TENANT_FIELD = "tenant_id"
# Puts of an entry the bus failed (FailedEntryCount: throttled, an internal failure).
PUT_ATTEMPTS = 3


class DomainEvent(StrEnum):
    SESSION_STARTED = "SessionStarted"
    SESSION_ENDED = "SessionEnded"
    CONNECTOR_STATUS_CHANGED = "ConnectorStatusChanged"
    CHARGE_POINT_CONNECTED = "ChargePointConnected"
    CHARGE_POINT_DISCONNECTED = "ChargePointDisconnected"
    CHARGE_POINT_BOOTED = "ChargePointBooted"
    SECURITY_EVENT = "SecurityEvent"
    FIRMWARE_STATUS_CHANGED = "FirmwareStatusChanged"
    LOG_STATUS_CHANGED = "LogStatusChanged"
    DATA_TRANSFER_RECEIVED = "DataTransferReceived"
    DEVICE_EVENT = "DeviceEvent"
    RESERVATION_CHANGED = "ReservationChanged"
    SETTLEMENT_REPORTED = "SettlementReported"
    CHARGING_LIMIT_CHANGED = "ChargingLimitChanged"
    SITE_CHANGED = "SiteChanged"
    SITE_SHARES_LOWERED = "SiteSharesLowered"
    EV_CHARGING_NEEDS = "EVChargingNeeds"
    CERTIFICATE_REQUESTED = "CertificateRequested"
    CERTIFICATE_INSTALLED = "CertificateInstalled"
    DRIVER_CARD_LINKED = "DriverCardLinked"
    DRIVER_CARD_UNLINKED = "DriverCardUnlinked"
    PAYMENT_CHANGED = "PaymentChanged"
    DER_ALARM = "DERAlarm"
    DER_START_STOP = "DERStartStop"


def publish(event: DomainEvent, detail: dict[str, Any], tenant_id: str) -> bool:
    """Publish one event; `detail` has snake_case keys, sent in camelCase, with `tenantId`
    (use cases publish through shared.services.domain_events, which finds it). Returns whether
    the bus took it."""
    fields = {**detail, TENANT_FIELD: tenant_id}
    body = json.dumps({to_camel(key): _json(value) for key, value in fields.items()}, separators=(",", ":"))
    entry = {
        "Source": SOURCE,
        "DetailType": event.value,
        "Detail": body,
        "EventBusName": get_settings().event_bus,
    }
    for _ in range(PUT_ATTEMPTS):
        try:
            answer = _client().put_events(Entries=[entry])
        except (BotoCoreError, ClientError) as error:  # the SDK has retried it already
            logger.error("Domain event not published", extra={"event": event.value, "error": str(error)})
            break
        if not answer.get("FailedEntryCount", 0):
            return True
        # A failed entry is the caller's to put again: the SDK retries a failed request only.
        code = (answer.get("Entries") or [{}])[0].get("ErrorCode")
        logger.warning("Domain event refused by the bus", extra={"event": event.value, "error": code})
    metrics.add_metric(name="DomainEventsFailed", unit="Count", value=1)
    return False


def to_camel(name: str) -> str:
    """snake_case to camelCase (pydantic has one, but it would cost the router's cold start
    about 40 ms of imports)."""
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


def _json(value: Any) -> Any:
    return format_timestamp(value) if isinstance(value, datetime) else value


@lru_cache(maxsize=1)
def _client() -> Any:
    settings = get_settings()
    return make_client(
        "events",
        settings.region,
        endpoint_url=settings.events_endpoint,
        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}),
    )


def create_bus() -> None:
    """The local runtime's and tests' bus (the cloud's comes from the CDK stack)."""
    client = _client()
    name = get_settings().event_bus
    if not any(bus["Name"] == name for bus in client.list_event_buses(NamePrefix=name)["EventBuses"]):
        client.create_event_bus(Name=name)
