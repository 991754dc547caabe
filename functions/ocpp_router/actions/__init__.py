"""Every OCPP action handler, one module each, grouped by the OCPP functional block.
Importing this package registers them all."""

from functions.ocpp_router.actions.availability import heartbeat, status_notification
from functions.ocpp_router.actions.provisioning import boot_notification

__all__ = ["boot_notification", "heartbeat", "status_notification"]
