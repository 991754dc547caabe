"""Fuzzing the router: thousands of seeded frames per version, drawn from the `ocpp` schemas
and mutated. Every CALL gets exactly one answer and never InternalError; answers and SENDs get
none; the connection keeps working throughout. Frames at the sizes and counts a station may
choose leave what the operator API shows of the station bounded."""

import json

import pytest

from tests.api_fuzzing import operations
from tests.builders import CONTEXT, http
from tests.fuzzing import Fuzzer

FRAMES_PER_VERSION = 3_400  # 10,200 in all
SIZED_FRAMES_PER_VERSION = 150  # every action a station sends, several times over
# What one GET of a charge point's state or of a page may answer, whatever the station sent.
BODY_BUDGET_BYTES = 2 * 1024 * 1024


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"], indirect=True)
def test_no_frame_breaks_the_router_or_the_connection(station, posted, version):
    fuzzer = Fuzzer(seed={"1.6": 16, "2.0.1": 201, "2.1": 21}[version])
    internal, unanswered, extra = [], [], []
    for n, frame in enumerate(fuzzer.frames(version, FRAMES_PER_VERSION)):
        before = len(posted.to("c1"))
        answer = station(frame.text)
        answers = len(posted.to("c1")) - before
        if answers != (1 if frame.answered else 0):
            (unanswered if frame.answered else extra).append(frame.text[:300])
            continue
        if answer is not None:
            assert answer[0] in (3, 4), answer
            if frame.message_id is not None:
                assert answer[1] == frame.message_id, (frame.text[:300], answer)
            if answer[0] == 4 and answer[2] == "InternalError":
                internal.append((frame.text[:300], answer))
        if n % 500 == 0:  # the connection still works
            assert station(json.dumps([2, f"hb{n}", "Heartbeat", {}]))[:2] == [3, f"hb{n}"]
    assert not internal, f"{len(internal)} InternalErrors, e.g. {internal[:5]}"
    assert not unanswered, f"{len(unanswered)} CALLs not answered, e.g. {unanswered[:5]}"
    assert not extra, f"{len(extra)} answers to frames never answered, e.g. {extra[:5]}"
    assert station(json.dumps([2, "last", "Heartbeat", {}]))[:2] == [3, "last"]
    # What was stored reads back through the API as strict JSON (no NaN, no Infinity).
    for path in ("/charge-points/CP1", "/charge-points/CP1/configuration", "/transactions"):
        status, body = api_text("GET", path)
        assert status == 200, (path, body[:300])
        json.loads(body, parse_constant=refuse)
    status, body = api_text("GET", "/transactions", query="chargePointId=CP1&limit=100")
    for session in json.loads(body)["items"]:
        status, detail = api_text(
            "GET", f"/transactions/{session['transactionId']}", query="chargePointId=CP1"
        )
        assert status == 200, detail[:300]
        json.loads(detail, parse_constant=refuse)


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"], indirect=True)
def test_station_chosen_sizes_and_counts_break_nothing_the_api_shows(station, posted, version):
    """seqNo, requestId, evse and connector ids, phases, intervals, list lengths at their maxima:
    each number a station picks is answered, and bounded in what the CSMS keeps and shows."""
    fuzzer = Fuzzer(seed={"1.6": 160, "2.0.1": 2010, "2.1": 210}[version])
    internal = []
    for frame in fuzzer.sized_frames(version, SIZED_FRAMES_PER_VERSION):
        answer = station(frame.text)
        assert answer is not None and answer[:2] in ([3, frame.message_id], [4, frame.message_id]), (
            frame.text[:300],
            answer,
        )
        if answer[0] == 4 and answer[2] == "InternalError":
            internal.append((frame.text[:300], answer))
    assert not internal, f"{len(internal)} InternalErrors, e.g. {internal[:5]}"
    assert station(json.dumps([2, "last", "Heartbeat", {}]))[:2] == [3, "last"]
    for path in charge_point_reads():
        status, body = api_text("GET", path.replace("{charge_point_id}", "CP1"))
        assert status == 200, (path, body[:300])
        assert len(body.encode()) <= BODY_BUDGET_BYTES, (path, len(body))
        json.loads(body, parse_constant=refuse)


def charge_point_reads():
    """The operator API's GETs of one charge point's state and lists (not its calls to it)."""
    _, spec = api_text("GET", "/openapi.json")
    for operation in operations(json.loads(spec)):
        parameters = operation.spec.get("parameters", [])
        if (
            operation.method == "GET"
            and "{charge_point_id}" in operation.path
            and all(
                (p["in"] == "path" and p["name"] == "charge_point_id")
                or (p["in"] == "query" and not p.get("required") and p["name"] not in ("wait", "refresh"))
                for p in parameters
            )
        ):
            yield operation.path


def refuse(token):
    raise AssertionError(f"the API answered {token}, which is not JSON")


def api_text(method, path, query=""):
    from functions.operator_api.handler import lambda_handler as api

    answer = api(http(method, path, query=query), CONTEXT)
    return answer["statusCode"], answer["body"]
