"""Payments: the public ad hoc page (`/pay/...`, no token: shared.manifest.PAY_ROUTES) and what
operators read and do (`/payments`, refunds, `/reconciliation`). docs/payments.md."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from http import HTTPStatus
from typing import Annotated, Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.access import Access
from functions.operator_api.models.payments import (
    HistoryOut,
    MismatchOut,
    PaidOut,
    PayIn,
    PaymentDetail,
    PaymentOut,
    PaymentPage,
    PayPageOut,
    ReconciliationOut,
    RefundIn,
    RefundOut,
    TotalsOut,
    VariableStatusOut,
    WebPaymentsOut,
)
from functions.operator_api.params import ChargePointId, NextToken, PageSize
from functions.operator_api.responses import Wait, file_route, json_response, with_examples
from shared.domain.accounts import Permission
from shared.domain.payments import Payment, PaymentFilter, PaymentKind, PaymentState, reconciliation_csv
from shared.domain.timestamps import utc_now
from shared.services.payments import adhoc, operations, receipts, web_payments

router = APIGatewayHttpRouter()
# What each route needs (functions/operator_api/access.py checks it before the route runs); the
# pay page's routes are public and need none.
ACCESS: Access = {
    "GET /payments": Permission.READ,
    "GET /payments/<payment_id>": Permission.READ,
    "POST /payments/<payment_id>/refunds": Permission.REFUNDS,
    "GET /reconciliation": Permission.READ,
    "POST /charge-points/<charge_point_id>/web-payments": Permission.CONFIGURATION,
}
PUBLIC, OPERATORS = ["Pay (public)"], ["Payments"]
# How long provisioning waits for the station by default (the API answers within 29 s).
DEFAULT_WAIT_S = 20
EvseId = Annotated[int, Path(ge=1, le=10_000, description="The EVSE (1.6: the connector)")]
Code = Annotated[
    str | None, Query(max_length=64, description="The dynamic code of the QR, when the EVSE shows one")
]
PaymentId = Annotated[str, Path(min_length=1, max_length=64, description="The payment")]


@router.get(
    "/pay/<charge_point_id>/<evse_id>",
    summary="The ad hoc page: price before start",
    tags=PUBLIC,
    responses={
        200: {
            "description": "The page: JSON, or HTML for a browser (Accept: text/html)",
            "content": {"application/json": {"model": PayPageOut}, "text/html": {}},
        },
        400: {"description": "The EVSE shows a dynamic code and none (or a malformed one) was given"},
        403: {"description": "The code is not this EVSE's"},
        410: {"description": "The code has expired or been used"},
    },
)
def pay_page(charge_point_id: ChargePointId, evse_id: EvseId, code: Code = None) -> Response[Any]:
    headers = router.current_event.headers
    if _wants_html(headers.get("accept")):
        page = adhoc.page_html(charge_point_id, evse_id, utc_now(), code, headers.get("accept-language"))
        return Response(
            status_code=int(HTTPStatus.OK),
            content_type="text/html; charset=utf-8",
            body=page,
            headers={"Cache-Control": "no-store", "Vary": "Accept, Accept-Language"},
        )
    shown = PayPageOut.model_validate(adhoc.page(charge_point_id, evse_id, utc_now(), code))
    return Response(
        status_code=int(HTTPStatus.OK),
        content_type="application/json",
        body=shown.model_dump_json(by_alias=True),
        headers={"Vary": "Accept"},
    )


def _wants_html(accept: str | None) -> bool:
    """A browser's navigation asks for text/html first; an API client for JSON or anything."""
    first = (accept or "").split(",")[0].split(";")[0].strip().lower()
    return first in ("text/html", "application/xhtml+xml")


@router.post(
    "/pay/<charge_point_id>/<evse_id>",
    summary="Pay a hold and start the session remotely",
    tags=PUBLIC,
    responses={
        201: {
            "description": "Held; the remote start is on its way",
            "content": {"application/json": {"model": PaidOut}},
        },
        303: {"description": "The page's form: held, on to the receipt's page"},
        402: {"description": "The provider declined the hold (its reason in the message)"},
        403: {"description": "The code is not this EVSE's"},
        410: {"description": "The code has expired or been used"},
        409: {"description": "The EVSE is offline, faulted or busy: no hold was placed"},
    },
)
def pay(
    charge_point_id: ChargePointId,
    evse_id: EvseId,
    body: Annotated[
        PayIn,
        with_examples(
            ("A test card, EUR 30.00 at most", {"paymentMethod": "pm_card_visa", "maxAmount": 3000})
        ),
    ],
) -> Response[Any]:
    payment = adhoc.pay(charge_point_id, evse_id, body.payment_method, body.max_amount, utc_now(), body.code)
    content_type = router.current_event.headers.get("content-type") or ""
    if content_type.startswith("application/x-www-form-urlencoded"):  # the page's form: on to the receipt
        return Response(
            status_code=int(HTTPStatus.SEE_OTHER), headers={"Location": receipts.receipt_url(payment)}
        )
    return json_response(
        HTTPStatus.CREATED,
        PaidOut(
            payment_id=payment.payment_id,
            state=payment.state.value,
            authorized_amount=payment.authorized_amount,
            currency=payment.currency,
            receipt_url=receipts.receipt_url(payment),
        ),
    )


@router.get(
    "/pay/receipts/<payment_id>/<receipt_token>",
    summary="A paid session's receipt: a page, or ?format=pdf",
    tags=PUBLIC,
    responses={
        200: {"description": "The receipt", "content": {"text/html": {}, "application/pdf": {}}},
        404: {"description": "No such receipt"},
        409: {"description": "The PDF of a session that has not ended"},
    },
)
@file_route
def get_receipt(
    payment_id: PaymentId,
    receipt_token: Annotated[str, Path(min_length=1, max_length=64, description="The receipt's token")],
    format: Annotated[Literal["html", "pdf"], Query(description="html (the default) or pdf")] = "html",
) -> Response[bytes]:
    document = receipts.receipt(payment_id, receipt_token, format, utc_now())
    headers = (
        {"Content-Disposition": f'attachment; filename="{document.filename}"'} if document.filename else {}
    )
    return Response(
        status_code=int(HTTPStatus.OK),
        content_type=document.content_type,
        body=document.body,
        headers={**headers, "Cache-Control": "private, no-store"},
    )


def _out(payment: Payment) -> dict[str, Any]:
    fields = asdict(payment)
    for name in (
        "provider",
        "provider_ref",
        "remote_start_command_id",
        "receipt_token",
        "tenant_id",
        "history",
    ):
        fields.pop(name)
    return {
        **fields,
        "kind": payment.kind.value,
        "state": payment.state.value,
        "receipt_url": receipts.receipt_url(payment),
    }


@router.get("/payments", summary="List payments, newest first", tags=OPERATORS)
def list_payments(
    state: Annotated[PaymentState | None, Query(description="Only in this state")] = None,
    kind: Annotated[PaymentKind | None, Query(description="Only of this kind")] = None,
    charge_point_id: Annotated[
        str | None,
        Query(alias="chargePointId", min_length=1, max_length=48, description="Only this charge point's"),
    ] = None,
    created_from: Annotated[datetime | None, Query(alias="from", description="Made at or after")] = None,
    created_to: Annotated[datetime | None, Query(alias="to", description="Made at or before")] = None,
    limit: PageSize = 50,
    next_token: NextToken = None,
) -> PaymentPage:
    wanted = PaymentFilter(state, kind, charge_point_id, created_from, created_to)
    page = operations.list_payments(wanted, limit, next_token, utc_now())
    return PaymentPage(items=[PaymentOut(**_out(p)) for p in page.items], next_token=page.next_token)


@router.get("/payments/<payment_id>", summary="One payment with its history", tags=OPERATORS)
def get_payment(payment_id: PaymentId) -> PaymentDetail:
    payment = operations.get(payment_id)
    return PaymentDetail(
        **_out(payment),
        history=[
            HistoryOut(at=e.at, event=e.event.value, amount=e.amount, note=e.note) for e in payment.history
        ],
    )


@router.post(
    "/payments/<payment_id>/refunds",
    summary="Refund part or all of a capture",
    tags=OPERATORS,
    responses={201: {"description": "Refunded"}, 409: {"description": "Above what is left to refund"}},
)
def refund(
    payment_id: PaymentId,
    body: Annotated[
        RefundIn, with_examples(("Part of it", {"amount": 150, "reason": "Charger stopped early"}))
    ],
) -> Response[RefundOut]:
    refund_id, _ = operations.refund(payment_id, body.amount, body.reason, utc_now())
    return json_response(HTTPStatus.CREATED, RefundOut(refund_id=refund_id, amount=body.amount))


@router.get(
    "/reconciliation",
    summary="A UTC day's sessions against their payments",
    tags=OPERATORS,
    responses={200: {"description": "The day", "content": {"application/json": {}, "text/csv": {}}}},
)
def reconciliation(
    day: Annotated[date | None, Query(alias="date", description="YYYY-MM-DD (UTC); today by default")] = None,
    format: Annotated[Literal["json", "csv"], Query(description="json (the default) or csv")] = "json",
) -> Response[Any]:
    now = utc_now()
    day = day or now.date()
    found = operations.reconciliation(day, now)
    if format == "csv":
        return Response(
            status_code=HTTPStatus.OK,
            content_type="text/csv",
            body=reconciliation_csv(found),
            headers={"Content-Disposition": f'attachment; filename="reconciliation-{day.isoformat()}.csv"'},
        )
    out = ReconciliationOut(
        date=found.date,
        totals=[TotalsOut(**asdict(t)) for t in found.totals],
        mismatches=[MismatchOut(**{**asdict(m), "kind": m.kind.value}) for m in found.mismatches],
    )
    return Response(
        status_code=HTTPStatus.OK, content_type="application/json", body=out.model_dump_json(by_alias=True)
    )


@router.post(
    "/charge-points/<charge_point_id>/web-payments",
    summary="Provision or rotate the EVSEs' dynamic QR codes (WebPaymentsCtrlr)",
    tags=OPERATORS,
    responses={
        200: {"description": "The station answered each variable"},
        504: {"description": "The station had not answered in time (the secrets are used once it has)"},
        409: {"description": "The charge point is offline, or has reported no EVSE"},
    },
)
def provision_web_payments(charge_point_id: ChargePointId, wait: Wait = None) -> Response[WebPaymentsOut]:
    done = web_payments.provision(charge_point_id, DEFAULT_WAIT_S if wait is None else wait, utc_now())
    return json_response(
        HTTPStatus.OK if done.settled else HTTPStatus.GATEWAY_TIMEOUT,
        WebPaymentsOut(
            url_template=web_payments.url_template(),
            answered=done.settled,
            statuses=[VariableStatusOut(**asdict(s)) for s in done.statuses],
        ),
    )
