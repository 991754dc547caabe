"""A connected charge point of each version, driven frame by frame through the handlers."""

import json

import pytest

from functions.connect.handler import lambda_handler as connect
from functions.ocpp_router.handler import lambda_handler as route
from local.runtime import events
from shared.data import charge_points
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, socket


@pytest.fixture(params=["1.6", "2.0.1", "2.1"])
def version(request):
    return request.param


@pytest.fixture
def station(aws, posted, version):
    """Sends a frame as CP1 on connection c1; returns the frame posted back, if any."""
    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1", version), [], []), CONTEXT)

    def send(frame):
        text = frame if isinstance(frame, str | bytes) else json.dumps(frame)
        before = len(posted.to("c1"))
        assert route(events.message(socket("c1", "CP1", version), text), CONTEXT) == {"statusCode": 200}
        answers = posted.to("c1")
        return answers[-1] if len(answers) > before else None

    return send


@pytest.fixture
def obey(station, posted, published):
    """Answers CP1's calls Accepted as they come (a CSMS sends one call at a time, the next on
    the answer), and runs the site allocator on SiteSharesLowered as the bus would: the frames
    answered, in order."""
    from functions.site_allocator.handler import lambda_handler as allocator

    answered: set[str] = set()
    reacted = [0]

    def run(action: str | None = "SetChargingProfile") -> list:
        got = []
        while True:
            waiting = [
                f for f in posted.to("c1") if f[0] == 2 and action in (None, f[2]) and f[1] not in answered
            ]
            for frame in waiting:
                answered.add(frame[1])
                got.append(frame)
                station([3, frame[1], {"status": "Accepted"}])
            lowered = [d for t, d in published.events[reacted[0] :] if t == "SiteSharesLowered"]
            reacted[0] = len(published.events)
            for detail in lowered:
                allocator({"detail-type": "SiteSharesLowered", "detail": detail}, CONTEXT)
            if not waiting and not lowered:
                return got

    return run
