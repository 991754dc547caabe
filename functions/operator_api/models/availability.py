"""Connectors and their availability."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from functions.operator_api.models.common import ApiModel, Where
from shared.domain.availability import ConnectorStatusReport


class ConnectorOut(ApiModel):
    evse_id: int | None = Field(description="EVSE (OCPP 2.x); absent for OCPP 1.6 connectors")
    connector_id: int = Field(description="Connector; 0 is the whole charge point in OCPP 1.6")
    status: str
    error_code: str | None = Field(None, description="OCPP 1.6 ChargePointErrorCode")
    info: str | None = None
    vendor_id: str | None = None
    vendor_error_code: str | None = None
    status_at: datetime = Field(description="When the charge point reported the status")
    active_transaction_id: str | None = Field(None, description="The session in progress on it, if any")

    @staticmethod
    def fields(report: ConnectorStatusReport) -> dict[str, Any]:
        """What a connector's latest report says, as the API words it."""
        return {
            "evse_id": report.evse_id,
            "connector_id": report.connector_id,
            "status": report.status,
            "error_code": report.error_code,
            "info": report.info,
            "vendor_id": report.vendor_id,
            "vendor_error_code": report.vendor_error_code,
            "status_at": report.timestamp,
        }


class AvailabilityIn(Where):
    operative: bool
