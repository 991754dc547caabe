"""Application errors, declared once: each knows the HTTP status and code the operator API
answers with, so routes never catch and translate them one by one (the API's exception
handler does it once). The OCPP router maps the few it meets to CALLERRORs itself."""

from __future__ import annotations

from http import HTTPStatus


class ApplicationError(Exception):
    status: HTTPStatus = HTTPStatus.BAD_REQUEST
    code: str = "BadRequest"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequest(ApplicationError):
    """A request the API cannot act on, for a reason the message gives."""


class BadPageToken(BadRequest):
    """A nextToken that this API did not hand out."""

    def __init__(self, message: str = "nextToken is not one this API handed out") -> None:
        super().__init__(message)


class NotFound(ApplicationError):
    status = HTTPStatus.NOT_FOUND
    code = "NotFound"

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")


class NotRegistered(NotFound):
    """The charge point has no record (deregistered, or never registered)."""

    def __init__(self, charge_point_id: str) -> None:
        super().__init__(f"Charge point {charge_point_id}")
        self.charge_point_id = charge_point_id


class NotConnected(ApplicationError):
    status = HTTPStatus.CONFLICT
    code = "NotConnected"

    def __init__(self, charge_point_id: str) -> None:
        super().__init__(f"Charge point {charge_point_id} is not connected")


class PayloadTooLarge(ApplicationError):
    status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    code = "PayloadTooLarge"


class CommandRefused(ApplicationError):
    """Not an action the charge point's version lets a CSMS send, or a payload its schema refuses."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "InvalidCommand"


class InvalidCertificate(ApplicationError):
    """A certificate that is not what its place needs: not PEM X.509, or not a CA where only CA
    certificates may be (a trust anchor, a root to install)."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "InvalidCertificate"


class Forbidden(ApplicationError):
    """A credential that does not open this door: an unknown, used or expired upload token."""

    status = HTTPStatus.FORBIDDEN
    code = "Forbidden"


class Conflict(ApplicationError):
    """A request at odds with what is stored (an image for another model, a rollout ended)."""

    status = HTTPStatus.CONFLICT
    code = "Conflict"


class KeyReused(ApplicationError):
    """An Idempotency-Key sent again with another request than the one it first came with."""

    status = HTTPStatus.UNPROCESSABLE_ENTITY
    code = "IdempotencyKeyReused"


class KeyInProgress(Conflict):
    """An Idempotency-Key whose first request is still running: retry once it has answered."""

    code = "IdempotencyKeyInProgress"


class PaymentDeclined(ApplicationError):
    """The payment provider refused the hold; the message is its reason."""

    status = HTTPStatus.PAYMENT_REQUIRED
    code = "PaymentDeclined"


class Gone(ApplicationError):
    """A credential that was good and is no more: a dynamic code expired or already used."""

    status = HTTPStatus.GONE
    code = "Gone"
