"""DiagnosticsStatusNotification (1.6): how the upload of the latest diagnostics request goes."""

from __future__ import annotations

from typing import Any

from functions.ocpp_router.registry import CallContext, handles
from shared.protocol.diagnostics import diagnostics_codec
from shared.protocol.versions import OcppVersion
from shared.services import maintenance


@handles("DiagnosticsStatusNotification", (OcppVersion.V16,))
def diagnostics_status_notification(context: CallContext, payload: dict[str, Any]) -> dict[str, Any]:
    report = diagnostics_codec(context.profile).log_status(payload)
    maintenance.status_reported(context.charge_point_id, report, context.received_at)
    return {}
