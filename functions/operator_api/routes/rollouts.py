"""/firmware-rollouts: one image to many charge points, in waves, pausing itself on failures."""

from __future__ import annotations

from collections import Counter
from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from functions.operator_api.maintenance_models import RolloutIn, RolloutMemberOut, RolloutOut
from functions.operator_api.responses import json_response, with_examples
from shared.domain.rollouts import Member, Rollout, RolloutState, failure_rate
from shared.domain.timestamps import utc_now
from shared.services import rollouts
from shared.services.rollouts import RolloutAsked

router = APIGatewayHttpRouter()
TAGS = ["Firmware"]
RolloutId = Annotated[str, Path(min_length=1, max_length=64)]


def _out(rollout: Rollout, members: list[Member]) -> RolloutOut:
    return RolloutOut(
        rollout_id=rollout.rollout_id,
        firmware_id=rollout.firmware_id,
        state=rollout.state.value,
        reason=rollout.reason,
        wave_size=rollout.wave_size,
        max_failure_rate=rollout.max_failure_rate,
        waves_sent=rollout.waves_sent,
        failure_rate=round(failure_rate(members), 4),
        counts=dict(Counter(m.outcome.value for m in members)),
        created_at=rollout.created_at,
        updated_at=rollout.updated_at,
        members=[
            RolloutMemberOut(
                charge_point_id=m.charge_point_id,
                outcome=m.outcome.value,
                wave=m.wave,
                request_id=m.request_id,
                sent_at=m.sent_at,
                error=m.error,
            )
            for m in members
        ],
    )


@router.post(
    "/firmware-rollouts",
    summary="Update many charge points in waves (the first goes at once, the next when it finished)",
    tags=TAGS,
    responses={201: {"description": "Started"}},
)
def create_rollout(
    body: Annotated[
        RolloutIn,
        with_examples(
            (
                "Every AC22, ten at a time",
                {"firmwareId": "3f1c0d9e-...", "waveSize": 10, "maxFailureRate": 0.1},
            ),
            (
                "These three",
                {"firmwareId": "3f1c0d9e-...", "chargePoints": ["CP1", "CP2", "CP3"], "waveSize": 1},
            ),
        ),
    ],
) -> Response[RolloutOut]:
    asked = RolloutAsked(
        body.firmware_id,
        body.charge_points,
        body.model,
        body.wave_size,
        body.max_failure_rate,
        body.retries,
        body.retry_interval,
        body.force,
    )
    rollout, members = rollouts.create(asked, utc_now())
    return json_response(
        HTTPStatus.CREATED,
        _out(rollout, members),
    )


@router.get(
    "/firmware-rollouts/<rollout_id>", summary="A rollout's progress, charge point by charge point", tags=TAGS
)
def get_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _out(*rollouts.view(rollout_id, utc_now()))


@router.post("/firmware-rollouts/<rollout_id>/pause", summary="Pause: no further wave", tags=TAGS)
def pause_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _out(*rollouts.change_state(rollout_id, RolloutState.PAUSED, utc_now()))


@router.post("/firmware-rollouts/<rollout_id>/resume", summary="Resume a paused rollout", tags=TAGS)
def resume_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _out(*rollouts.change_state(rollout_id, RolloutState.RUNNING, utc_now()))


@router.post("/firmware-rollouts/<rollout_id>/cancel", summary="Cancel: no further wave, ever", tags=TAGS)
def cancel_rollout(rollout_id: RolloutId) -> RolloutOut:
    return _out(*rollouts.change_state(rollout_id, RolloutState.CANCELLED, utc_now()))
