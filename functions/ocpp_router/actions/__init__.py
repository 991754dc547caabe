"""Every OCPP action handler, one module each, grouped by the OCPP functional block.
Importing this package registers them all."""

from functions.ocpp_router.actions.authorization import authorize
from functions.ocpp_router.actions.availability import heartbeat, status_notification
from functions.ocpp_router.actions.configuration import notify_report
from functions.ocpp_router.actions.provisioning import boot_notification
from functions.ocpp_router.actions.transactions import (
    meter_values,
    start_transaction,
    stop_transaction,
    transaction_event,
)

__all__ = [
    "authorize",
    "boot_notification",
    "heartbeat",
    "meter_values",
    "notify_report",
    "start_transaction",
    "status_notification",
    "stop_transaction",
    "transaction_event",
]
