"""Fuzzing the router: thousands of seeded frames per version, drawn from the `ocpp` schemas
and mutated. Every CALL gets exactly one answer and never InternalError; answers and SENDs get
none; the connection keeps working throughout."""

import json

import pytest

from tests.builders import CONTEXT, http
from tests.fuzzing import Fuzzer

FRAMES_PER_VERSION = 3_400  # 10,200 in all


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


def refuse(token):
    raise AssertionError(f"the API answered {token}, which is not JSON")


def api_text(method, path, query=""):
    from functions.operator_api.handler import lambda_handler as api

    answer = api(http(method, path, query=query), CONTEXT)
    return answer["statusCode"], answer["body"]
