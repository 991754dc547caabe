"""Operators retry: a request carrying an Idempotency-Key runs once per caller and key, and a
retry with the same key and the same request gets the first answer back, whatever the first
attempt's caller saw (a 5xx from in front of the function, a timeout, a dropped connection).
Powertools' idempotency utility keeps the answers (decision 0042)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

from shared.data import idempotency
from shared.domain.errors import BadRequest, KeyInProgress, KeyReused
from shared.grants import grants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(reads=("idempotency",), writes=("idempotency",))

# How long a key is remembered: a day covers the retries of an operator's tools and scripts.
KEPT = timedelta(hours=24)
LONGEST_KEY = 255


@dataclass(frozen=True)
class Answer:
    """What a request was answered, as it is kept and replayed."""

    status: int
    content_type: str
    body: str


def once(
    key: str,
    caller: str,
    request: dict[str, Any],
    run: Callable[[], Answer],
    context: Any = None,
) -> tuple[Answer, bool]:
    """The answer to `request` under `caller`'s `key`, and whether it is a replay: `run` runs on
    the key's first use, and again only after it raised (a refusal or a fault, which stored
    nothing to answer with: the key is forgotten). The same key with another
    request is a KeyReused (422); with the first still running, a KeyInProgress (409), until
    the Lambda `context` of the first would have timed out. 2 DynamoDB writes on a first use
    (a conditional put, the answer's update), 1 on a retry."""
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyValidationError,
    )

    if not key or len(key) > LONGEST_KEY or not key.isprintable():
        raise BadRequest(f"Idempotency-Key must be 1 to {LONGEST_KEY} printable characters")
    ran = [False]

    def answered(request: dict[str, Any]) -> dict[str, Any]:
        ran[0] = True
        return asdict(run())

    config = IdempotencyConfig(
        event_key_jmespath="key",
        payload_validation_jmespath="request",
        expires_after_seconds=int(KEPT.total_seconds()),
    )
    if context is not None:
        config.register_lambda_context(context)
    guarded = idempotent_function(
        data_keyword_argument="request",
        config=config,
        persistence_store=idempotency.store(),
        key_prefix="operator-api",
    )(answered)
    try:
        kept = guarded(request={"key": json.dumps([caller, key]), "request": request})
    except IdempotencyValidationError as error:
        raise KeyReused(
            "This Idempotency-Key came with another request; a new request needs a new key"
        ) from error
    except IdempotencyAlreadyInProgressError as error:
        raise KeyInProgress(
            "The first request with this Idempotency-Key is still running; retry later"
        ) from error
    return Answer(**kept), not ran[0]
