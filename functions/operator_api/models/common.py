"""The base of the API's JSON shapes (camelCase on the wire, documented in the OpenAPI from
these models) and the shapes several blocks share; each block's own are in its module here."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from shared.domain.maintenance import BootSeen, MaintenanceRequest
from shared.domain.timestamps import utc_now


def _in_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("needs a time zone, e.g. 2026-12-07T10:00:00Z")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 east of UTC, or 9999 west of it
        raise ValueError("is outside the calendar once in UTC") from None


# A time an operator gives: with its zone (a naive time is nobody's), kept in UTC.
UtcTime = Annotated[datetime, AfterValidator(_in_utc)]
# A charge point a body names, as its path would (an empty id is no key to look one up by).
ChargePointRef = Annotated[str, Field(min_length=1, max_length=48)]


class ApiModel(BaseModel):
    # Numbers are finite: a JSON 1e400 reads as infinity, which no later read could serve as JSON.
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", allow_inf_nan=False
    )


class Where(ApiModel):
    evse_id: int | None = Field(None, ge=0, description="OCPP 2.x EVSE")
    connector_id: int | None = Field(None, ge=0, description="Connector (1.6), or of the EVSE (2.x)")


class StatusOut(ApiModel):
    status: str
    at: datetime = Field(description="When the charge point reported it")
    info: str | None = None


class RequestOut(ApiModel):
    """What firmware updates and log requests share."""

    request_id: int
    charge_point_id: str
    origin: str = Field(description="operator, rollout or unsolicited (a status with no request known)")
    created_at: datetime | None
    command_id: str | None
    answer: dict[str, Any] | None = Field(description="The charge point's answer to the call")
    status: str | None = Field(description="The latest status it reported")
    outcome: str = Field(
        description="pending, succeeded or failed: not on a status alone (an update reported Installed "
        "succeeds once the charge point boots with the version asked; a log reported Uploaded once its "
        "file came)"
    )
    outcome_reason: str | None = Field(
        default=None,
        description="Why one reported done failed all the same: versionMismatch (the boot after "
        "Installed reported another version than the one asked) or uploadMissing (Uploaded, but no file "
        "came before the upload window closed)",
    )
    statuses: list[StatusOut] = Field(description="The first 50 it reported, in order")
    statuses_dropped: int = Field(description="Reported beyond those 50 (status is still the latest)")

    @staticmethod
    def fields(request: MaintenanceRequest, boot: BootSeen | None = None) -> dict[str, Any]:
        settled = request.settled(utc_now(), boot)
        return {
            "request_id": request.request_id,
            "charge_point_id": request.charge_point_id,
            "origin": request.origin.value,
            "created_at": request.created_at,
            "command_id": request.command_id,
            "answer": request.answer,
            "status": request.status,
            "outcome": settled.outcome.value,
            "outcome_reason": settled.reason.value if settled.reason else None,
            "statuses": [StatusOut(status=s.status, at=s.at, info=s.info) for s in request.statuses],
            "statuses_dropped": request.statuses_dropped,
        }


class EventPage(ApiModel):
    items: list[dict[str, Any]] = Field(description="As the charge point sent them, with receivedAt")
    next_token: str | None
