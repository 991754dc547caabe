"""A connected charge point of each version, driven frame by frame through the handlers."""

import json

import pytest

from functions.connect.handler import lambda_handler as connect
from functions.ocpp_router.handler import lambda_handler as route
from local import events
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
