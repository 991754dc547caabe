"""Every OCPP action handler, one module each, grouped by the OCPP functional block.
Importing this package registers them all."""

from functions.ocpp_router.actions.authorization import authorize
from functions.ocpp_router.actions.availability import heartbeat, status_notification
from functions.ocpp_router.actions.configuration import notify_report
from functions.ocpp_router.actions.data_transfer import data_transfer
from functions.ocpp_router.actions.diagnostics import (
    diagnostics_status_notification,
    log_status_notification,
    notify_customer_information,
    notify_event,
    notify_monitoring_report,
)
from functions.ocpp_router.actions.display_messages import notify_display_messages
from functions.ocpp_router.actions.firmware_management import (
    firmware_status_notification,
    publish_firmware_status_notification,
    signed_firmware_status_notification,
)
from functions.ocpp_router.actions.provisioning import boot_notification
from functions.ocpp_router.actions.reservation import reservation_status_update
from functions.ocpp_router.actions.security import security_event_notification
from functions.ocpp_router.actions.smart_charging import (
    cleared_charging_limit,
    notify_charging_limit,
    notify_ev_charging_needs,
    notify_ev_charging_schedule,
    report_charging_profiles,
)
from functions.ocpp_router.actions.tariff_and_cost import notify_settlement
from functions.ocpp_router.actions.transactions import (
    meter_values,
    start_transaction,
    stop_transaction,
    transaction_event,
)

__all__ = [
    "authorize",
    "boot_notification",
    "cleared_charging_limit",
    "data_transfer",
    "diagnostics_status_notification",
    "firmware_status_notification",
    "heartbeat",
    "log_status_notification",
    "meter_values",
    "notify_charging_limit",
    "notify_customer_information",
    "notify_display_messages",
    "notify_ev_charging_needs",
    "notify_ev_charging_schedule",
    "notify_event",
    "notify_monitoring_report",
    "notify_report",
    "notify_settlement",
    "publish_firmware_status_notification",
    "report_charging_profiles",
    "reservation_status_update",
    "security_event_notification",
    "signed_firmware_status_notification",
    "start_transaction",
    "status_notification",
    "stop_transaction",
    "transaction_event",
]
