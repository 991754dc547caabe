"""Faults injected into the local runtime (`python -m local --faults SPEC --faults-seed N`), the
way the cloud fails, the same way for every function, so that no handler is written for a test:

- `dynamodb=R`: a DynamoDB request fails, per attempt (so the SDK's own retries run), with a
  throttling error or a 500, as the service answers when it throttles or fails;
- `post=R`: a post to a connection fails with GoneException or a 5xx;
- `events=R`: a PutEvents entry fails (FailedEntryCount, ErrorCode), the others go through;
- `timeout=R`: an invocation is stopped at a random point among its AWS calls, possibly after
  them all, as a Lambda timeout is: what it wrote so far stays, its answer is lost.

The client-layer faults are botocore handlers every session gets first (before moto's own), and
they only act on a call made inside a function's invocation (`invocation`): the runtime making
its tables, or a test arranging its data, is never failed. One seeded generator draws every
fault, and each is counted by kind.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from botocore import handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from moto.core.botocore_stubber import MockRawResponse

KINDS = ("dynamodb", "post", "events", "timeout")

# What DynamoDB answers when it throttles or fails: (status, error code), each retried by the SDK.
DYNAMODB_ERRORS = (
    (400, "ProvisionedThroughputExceededException"),
    (400, "ThrottlingException"),
    (500, "InternalServerError"),
)
POST_ERRORS = ((410, "GoneException"), (500, "InternalServerErrorException"), (503, "ServiceUnavailable"))
EVENTS_ERRORS = ("InternalFailure", "ThrottlingException")
NOWHERE = "http://injected-fault.invalid/"
# A timed-out invocation stops before one of its first calls, or after them all.
MAX_CALLS_BEFORE_TIMEOUT = 8


class InvocationTimedOut(Exception):
    """What the caller of a timed-out invocation sees: no answer, an error."""


class _Stopped(BaseException):
    """Raised inside a handler at its timeout: a BaseException, so that no `except Exception`
    of the handler's turns its end into an answer."""


@dataclass(frozen=True)
class Rates:
    dynamodb: float = 0.0
    post: float = 0.0
    events: float = 0.0
    timeout: float = 0.0

    @property
    def any(self) -> bool:
        return any(getattr(self, kind) for kind in KINDS)

    def __str__(self) -> str:
        return ",".join(f"{kind}={getattr(self, kind):g}" for kind in KINDS)


def parse_rates(text: str) -> Rates:
    """'dynamodb=0.05,post=0.05,events=0.05,timeout=0.01': a rate between 0 and 1 per kind."""
    rates: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, _, value = part.partition("=")
        if kind not in KINDS:
            raise argparse.ArgumentTypeError(f"{kind!r}: a fault is one of {', '.join(KINDS)}")
        try:
            rate = float(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r}: KIND=RATE, a rate between 0 and 1") from None
        if not 0 <= rate <= 1:
            raise argparse.ArgumentTypeError(f"{part!r}: a rate between 0 and 1")
        rates[kind] = rate
    return Rates(**rates)


@dataclass
class _Invocation:
    function: str
    calls_left: int | None  # None: this invocation runs to its end


@dataclass
class Faults:
    """The generator, the counts, and the failure destination's list (what async invocations
    left after their retries)."""

    rates: Rates
    seed: int = 0
    injected: Counter[str] = field(default_factory=Counter)
    retries: Counter[str] = field(default_factory=Counter)  # the SDK's retries seen, by service
    redeliveries: Counter[str] = field(default_factory=Counter)  # async invocations retried, by target
    dead_letters: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()
        self._local = threading.local()

    def _draw(self, kind: str) -> bool:
        rate: float = getattr(self.rates, kind)
        if not rate:
            return False
        with self._lock:
            return self._rng.random() < rate

    def _choice(self, options: tuple[Any, ...]) -> Any:
        with self._lock:
            return self._rng.choice(options)

    def count(self, kind: str, counter: Counter[str] | None = None) -> None:
        with self._lock:
            (self.injected if counter is None else counter)[kind] += 1

    def dead_letter(self, target: str, event: dict[str, Any], error: str) -> None:
        with self._lock:
            self.dead_letters.append({"target": target, "id": event.get("id"), "error": error})

    # --- The invocation layer --------------------------------------------------------------

    @contextlib.contextmanager
    def invocation(self, function: str) -> Iterator[None]:
        """One invocation of `function` in this thread: the client faults apply to its calls, and
        it may time out (InvocationTimedOut, to the caller, whatever the handler did)."""
        calls_left = None
        if self._draw("timeout"):
            with self._lock:
                calls_left = self._rng.randint(0, MAX_CALLS_BEFORE_TIMEOUT)
        self._local.current = _Invocation(function, calls_left)
        try:
            yield
        except _Stopped:
            raise InvocationTimedOut(f"csms-{function} timed out") from None
        finally:
            self._local.current = None
        if calls_left is not None:  # the point came after its last call: its answer is lost all the same
            self.count("timeout")
            raise InvocationTimedOut(f"csms-{function} timed out after its last call")

    def _current(self) -> _Invocation | None:
        return getattr(self._local, "current", None)

    def _before_call(self, **_: Any) -> None:
        current = self._current()
        if current is None or current.calls_left is None:
            return
        if current.calls_left == 0:
            current.calls_left = None  # counted once; nothing after this runs
            self.count("timeout")
            raise _Stopped
        current.calls_left -= 1

    # --- The client layer -------------------------------------------------------------------

    def _dynamodb(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if self._current() is None:
            return None
        if (request.context.get("retries") or {}).get("attempt", 1) > 1:
            self.count("dynamodb", self.retries)
        if not self._draw("dynamodb"):
            return None
        status, code = self._choice(DYNAMODB_ERRORS)
        self.count(f"dynamodb {code}")
        body = {"__type": f"com.amazonaws.dynamodb.v20120810#{code}", "message": "Injected fault"}
        return _response(request, status, body, {"x-amzn-ErrorType": code})

    def _post(self, request: AWSPreparedRequest, **_: Any) -> AWSResponse | None:
        if self._current() is None:
            return None
        if (request.context.get("retries") or {}).get("attempt", 1) > 1:
            self.count("post", self.retries)
        if not self._draw("post"):
            return None
        status, code = self._choice(POST_ERRORS)
        self.count(f"post {code}")
        return _response(request, status, {"message": "Injected fault"}, {"x-amzn-ErrorType": code})

    def _events_params(self, params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        """The entries that fail are taken out before the request is made (the bus never sees
        them) and put back into the answer as failed (`_events_answer`)."""
        if self._current() is None:
            return
        entries = params.get("Entries") or []
        failed = {i: self._choice(EVENTS_ERRORS) for i in range(len(entries)) if self._draw("events")}
        if not failed:
            return
        for code in failed.values():
            self.count(f"events {code}")
        context["injected_failures"] = failed
        context["entries"] = len(entries)
        if len(failed) < len(entries):  # else the request is not made (`_events_short_circuit`)
            params["Entries"] = [entry for i, entry in enumerate(entries) if i not in failed]

    def _events_short_circuit(self, context: dict[str, Any], **_: Any) -> tuple[Any, dict[str, Any]] | None:
        """Every entry failed: no request at all."""
        failed = context.get("injected_failures")
        if not failed or len(failed) < context["entries"]:
            return None
        return AWSResponse("", 200, {}, MockRawResponse(b"")), {"FailedEntryCount": 0, "Entries": []}

    def _events_answer(self, parsed: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        failed: dict[int, str] | None = context.get("injected_failures")
        if not failed:
            return
        delivered = iter(parsed.get("Entries") or [])
        parsed["Entries"] = [
            {"ErrorCode": failed[i], "ErrorMessage": "Injected fault"} if i in failed else next(delivered, {})
            for i in range(context["entries"])
        ]
        parsed["FailedEntryCount"] = parsed.get("FailedEntryCount", 0) + len(failed)

    def handlers(self) -> list[tuple[str, Any, object]]:
        first = handlers.REGISTER_FIRST
        return [
            ("before-call", self._before_call, first),
            ("before-send.dynamodb", self._dynamodb, first),
            ("before-send.apigatewaymanagementapi.PostToConnection", self._post, first),
            ("before-parameter-build.eventbridge.PutEvents", self._events_params, first),
            ("before-call.eventbridge.PutEvents", self._events_short_circuit, first),
            ("after-call.eventbridge.PutEvents", self._events_answer, first),
        ]

    @contextlib.contextmanager
    def installed(self) -> Iterator[Faults]:
        """Every botocore session made from here on (pynamodb's, the functions') has the handlers,
        ahead of moto's; install before any session is made."""
        added = self.handlers()
        handlers.BUILTIN_HANDLERS.extend(added)
        try:
            yield self
        finally:
            for spec in added:
                handlers.BUILTIN_HANDLERS.remove(spec)  # type: ignore[arg-type]

    def report(self) -> dict[str, Any]:
        with self._lock:
            return {
                "rates": str(self.rates),
                "seed": self.seed,
                "injected": dict(sorted(self.injected.items())),
                "sdkRetries": dict(sorted(self.retries.items())),
                "redeliveries": dict(sorted(self.redeliveries.items())),
                "deadLetters": list(self.dead_letters),
            }


def _response(
    request: AWSPreparedRequest, status: int, body: dict[str, Any], headers: dict[str, str]
) -> AWSResponse:
    """The failed attempt's answer. botocore hands the request to every `before-send` handler,
    and moto's (or the gateway's) would carry it out: sent on to an address none of them
    answers, it is not, as an attempt that failed at the service is not."""
    url, request.url = request.url, NOWHERE
    data = json.dumps(body).encode()
    return AWSResponse(
        url, status, {"Content-Type": "application/x-amz-json-1.0", **headers}, MockRawResponse(data)
    )


_installed: Faults | None = None


def active() -> Faults | None:
    """The runtime's faults, if it was started with some."""
    return _installed


@contextlib.contextmanager
def injecting(rates: Rates, seed: int) -> Iterator[Faults | None]:
    """The runtime's faults for as long as the block runs (none when every rate is 0)."""
    global _installed
    if not rates.any:
        yield None
        return
    faults = Faults(rates, seed)
    with faults.installed():
        _installed = faults
        try:
            yield faults
        finally:
            _installed = None
