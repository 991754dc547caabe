"""DER controls as resources (OCPP 2.1): sent with SetDERControl and kept with the station's
answer, cleared with ClearDERControl. What stations report of their DER functions (alarms,
controls starting and stopping, and ReportDERControl, their answer to a GetDERControl sent
through /commands) is kept by station_events as it comes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.data import charge_points, der_controls
from shared.domain.commands import Command
from shared.domain.der import DerControl
from shared.domain.errors import NotFound
from shared.grants import grants
from shared.protocol.der import der_codec
from shared.protocol.versions import profile_for
from shared.services import answers, commands

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(
    reads=("charge-points", "der-controls"),
    writes=("der-controls",),
)


def set_control(charge_point_id: str, control_id: str, control: dict[str, Any], now: datetime) -> Command:
    """SetDERControl under this id: 422 for a station before 2.1, or a control its schema refuses."""
    return commands.submit_intent(
        charge_point_id, lambda profile: der_codec(profile).set_control(control_id, control), None, now
    )


def clear_control(charge_point_id: str, control_id: str, now: datetime) -> Command:
    """ClearDERControl of a control the CSMS set (it names whether it was a default)."""
    known = control_of(charge_point_id, control_id)
    return commands.submit_intent(
        charge_point_id,
        lambda profile: der_codec(profile).clear_control(control_id, known.is_default),
        None,
        now,
    )


def control_of(charge_point_id: str, control_id: str) -> DerControl:
    charge_points.registered_charge_point(charge_point_id)
    found = der_controls.find_control(charge_point_id, control_id)
    if found is None:
        raise NotFound(f"DER control {control_id} of {charge_point_id}")
    return found


@answers.keeps("SetDERControl", "ClearDERControl")
def answered(command: Command, response: dict[str, Any], now: datetime) -> None:
    """SetDERControl: kept with its answer, whatever it is. ClearDERControl that the station no
    longer has: gone."""
    codec = der_codec(profile_for(command.ocpp_version))
    if command.action == "SetDERControl":
        der_controls.put_control(codec.control_kept(command, response, now))
        return
    cleared = codec.control_cleared(command, response)
    if cleared is not None:
        der_controls.delete_control(command.charge_point_id, cleared)
