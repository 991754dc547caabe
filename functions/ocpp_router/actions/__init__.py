"""Every OCPP action handler, one module each, grouped by the OCPP functional block.

A module is imported when its action first arrives, and registers its handler then: a cold
start that answers a Heartbeat does not load the transaction code (docs/decisions/0027).
`load_all` imports them all, for the README's table and the tests.
"""

from __future__ import annotations

import importlib

# Action -> its module under this package.
MODULES: dict[str, str] = {
    "Authorize": "authorization.authorize",
    "BootNotification": "provisioning.boot_notification",
    "ClearedChargingLimit": "smart_charging.cleared_charging_limit",
    "DataTransfer": "data_transfer.data_transfer",
    "DiagnosticsStatusNotification": "diagnostics.diagnostics_status_notification",
    "Get15118EVCertificate": "certificates.get_15118_ev_certificate",
    "GetCertificateChainStatus": "certificates.get_certificate_chain_status",
    "GetCertificateStatus": "certificates.get_certificate_status",
    "FirmwareStatusNotification": "firmware_management.firmware_status_notification",
    "Heartbeat": "availability.heartbeat",
    "LogStatusNotification": "diagnostics.log_status_notification",
    "MeterValues": "transactions.meter_values",
    "NotifyChargingLimit": "smart_charging.notify_charging_limit",
    "NotifyCustomerInformation": "diagnostics.notify_customer_information",
    "NotifyDisplayMessages": "display_messages.notify_display_messages",
    "NotifyEVChargingNeeds": "smart_charging.notify_ev_charging_needs",
    "NotifyEVChargingSchedule": "smart_charging.notify_ev_charging_schedule",
    "NotifyEvent": "diagnostics.notify_event",
    "NotifyMonitoringReport": "diagnostics.notify_monitoring_report",
    "NotifyReport": "configuration.notify_report",
    "NotifySettlement": "tariff_and_cost.notify_settlement",
    "PublishFirmwareStatusNotification": "firmware_management.publish_firmware_status_notification",
    "ReportChargingProfiles": "smart_charging.report_charging_profiles",
    "ReservationStatusUpdate": "reservation.reservation_status_update",
    "SecurityEventNotification": "security.security_event_notification",
    "SignCertificate": "certificates.sign_certificate",
    "SignedFirmwareStatusNotification": "firmware_management.signed_firmware_status_notification",
    "StartTransaction": "transactions.start_transaction",
    "StatusNotification": "availability.status_notification",
    "StopTransaction": "transactions.stop_transaction",
    "TransactionEvent": "transactions.transaction_event",
}


def load(action: str) -> bool:
    """Imports the action's module (registering its handler); False for an action with none."""
    module = MODULES.get(action)
    if module is None:
        return False
    importlib.import_module(f"{__name__}.{module}")
    return True


def load_all() -> None:
    for action in MODULES:
        load(action)
