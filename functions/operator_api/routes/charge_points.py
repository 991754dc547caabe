"""/charge-points: the registry of charge points and what they last reported."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.openapi.params import Body
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.errors import bad_request, not_found
from functions.operator_api.models import (
    ChargePointDetail,
    ChargePointIn,
    ChargePointPage,
    ChargePointSummary,
    ConnectorOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from shared.connections import connections_at, endpoint_for
from shared.data import store, transactions
from shared.data.models import ChargePointRecord
from shared.domain.admission import valid_identity
from shared.domain.passwords import hash_password
from shared.observability import logger
from shared.protocol.timestamps import utc_now

router = APIGatewayHttpRouter()


def _summary(record: ChargePointRecord, online: bool | None = None) -> dict[str, object]:
    return {
        "id": record.charge_point_id,
        "ocpp_version": record.ocpp_version,
        "online": record.connection_id is not None if online is None else online,
        "connected_at": record.connected_at,
        "registered_at": record.registered_at,
        "blocked": bool(record.blocked),
        "has_password": record.password_hash is not None,
        "vendor": record.vendor,
        "model": record.model,
        "serial_number": record.serial_number,
        "firmware_version": record.firmware_version,
        "last_boot_at": record.last_boot_at,
    }


@router.get("/charge-points", summary="List charge points", tags=["Charge points"])
def list_charge_points(
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> ChargePointPage:
    try:
        page = store.list_charge_points(limit, next_token)
    except store.BadPageToken as error:
        raise bad_request(str(error)) from None
    return ChargePointPage(
        items=[ChargePointSummary(**_summary(record)) for record in page.items], next_token=page.next_token
    )


@router.get("/charge-points/<charge_point_id>", summary="One charge point, live", tags=["Charge points"])
def get_charge_point(charge_point_id: ChargePointId) -> ChargePointDetail:
    record = store.find_charge_point(charge_point_id)
    if record is None:
        raise not_found(f"Charge point {charge_point_id}")
    online, last_seen = False, None
    if record.connection_id:
        info = connections_at(endpoint_for()).info(record.connection_id)
        if info is None:
            # The gateway has no such connection: a disconnect that was never recorded.
            store.clear_connection(charge_point_id, record.connection_id, utc_now())
        else:
            online, last_seen = True, info.last_active_at
    active = {
        (session.evse_id, session.connector_id): session.transaction_id
        for session in transactions.active_sessions_of(charge_point_id)
    }
    connectors = [
        ConnectorOut(
            evse_id=c.evse_id,
            connector_id=c.connector_id,
            status=c.status,
            error_code=c.error_code,
            info=c.info,
            vendor_id=c.vendor_id,
            vendor_error_code=c.vendor_error_code,
            status_at=c.status_at,
            active_transaction_id=active.get((c.evse_id, c.connector_id)),
        )
        for c in store.connectors_of(charge_point_id)
    ]
    return ChargePointDetail(
        **_summary(record, online),
        last_seen_at=last_seen,
        disconnected_at=record.disconnected_at,
        boot_reason=record.boot_reason,
        iccid=record.iccid,
        imsi=record.imsi,
        connectors=connectors,
        availability_result=record.availability_result,
        reset_result=record.reset_result,
        unlock_result=record.unlock_result,
        local_list_version=None if record.local_list_version is None else int(record.local_list_version),
    )


@router.put(
    "/charge-points/<charge_point_id>",
    summary="Register a charge point or update its registration",
    tags=["Charge points"],
    responses={200: {"description": "Updated"}, 201: {"description": "Registered"}},
)
def put_charge_point(
    charge_point_id: ChargePointId, body: Annotated[ChargePointIn, Body(embed=False)]
) -> Response[ChargePointSummary]:
    if not valid_identity(charge_point_id):
        raise bad_request("A charge point id is 1 to 48 characters of A-Z a-z 0-9 . _ ~ - * | @")
    fields = body.model_fields_set
    password = store.KEEP
    if "password" in fields:
        password = hash_password(body.password) if body.password is not None else None
    record, created = store.register_charge_point(
        charge_point_id,
        utc_now(),
        password_hash=password,
        blocked=body.blocked if "blocked" in fields else None,
    )
    logger.info(
        "Charge point registered" if created else "Charge point updated", extra={"id": charge_point_id}
    )
    return Response(
        status_code=int(HTTPStatus.CREATED if created else HTTPStatus.OK),
        content_type=content_types.APPLICATION_JSON,
        body=ChargePointSummary(**_summary(record)),
    )


@router.delete(
    "/charge-points/<charge_point_id>",
    summary="Deregister a charge point and close its connection",
    tags=["Charge points"],
    responses={204: {"description": "Deregistered"}},
)
def delete_charge_point(charge_point_id: ChargePointId) -> Response[None]:
    try:
        record = store.deregister_charge_point(charge_point_id)
    except store.NotRegistered:
        raise not_found(f"Charge point {charge_point_id}") from None
    if record.connection_id:
        connections_at(endpoint_for()).close(record.connection_id)
    return Response(status_code=int(HTTPStatus.NO_CONTENT))
