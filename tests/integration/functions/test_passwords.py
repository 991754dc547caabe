"""Password rotation (security profiles 1 and 2), for every version: set on the charge point
first, stored hashed only once accepted, the old one good through the grace period, and the
password never shown."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from shared.domain.admission import Verdict
from shared.domain.timestamps import utc_now
from shared.services import provisioning
from shared.services.security import handshake
from tests.builders import call_api

OLD = "old-password-0123"
GRACE = timedelta(days=1)  # CSMS_PASSWORD_GRACE's default


def admitted(password, version, later=timedelta(0)):
    basic = "Basic " + base64.b64encode(f"CP1:{password}".encode()).decode()
    decision = handshake.admit_handshake(
        "CP1", [f"ocpp{version}"], basic, None, "10.0.0.1", utc_now() + later
    )
    return decision.verdict is Verdict.ALLOW


def sent_password(frame, version):
    if version == "1.6":
        assert frame[2] == "ChangeConfiguration" and frame[3]["key"] == "AuthorizationKey"
        return frame[3]["value"]
    [data] = frame[3]["setVariableData"]
    assert frame[2] == "SetVariables"
    assert (data["component"]["name"], data["variable"]["name"]) == ("SecurityCtrlr", "BasicAuthPassword")
    return data["attributeValue"]


def answer(version, status):
    if version == "1.6":
        return {"status": status}
    return {
        "setVariableResult": [
            {
                "attributeStatus": status,
                "component": {"name": "SecurityCtrlr"},
                "variable": {"name": "BasicAuthPassword"},
            }
        ]
    }


@pytest.fixture
def rotating(station, posted, version):
    provisioning.register("CP1", utc_now(), password=OLD)
    status, command = call_api("POST", "/charge-points/CP1/password", {})
    assert status == 202
    frame = posted.to("c1")[-1]
    return command, frame, sent_password(frame, version)


def test_a_new_password_counts_once_accepted_and_the_old_one_through_the_grace(station, version, rotating):
    command, frame, new = rotating
    assert len(new) >= 16 and new != OLD
    # Not yet: the charge point has not said it took it.
    assert admitted(OLD, version) and not admitted(new, version)
    station([3, frame[1], answer(version, "Accepted")])
    assert admitted(new, version)
    assert admitted(OLD, version, GRACE - timedelta(minutes=1))
    assert not admitted(OLD, version, GRACE + timedelta(minutes=1))
    # Never shown: not in the command's views, not in the configuration kept from the answer.
    for shown in (command, call_api("GET", f"/commands/{command['commandId']}")[1]):
        assert new not in str(shown) and "********" in str(shown)
    assert new not in str(call_api("GET", "/charge-points/CP1/configuration")[1])


def test_a_password_the_charge_point_refuses_changes_nothing(station, version, rotating):
    _, frame, new = rotating
    station([3, frame[1], answer(version, "Rejected")])
    assert admitted(OLD, version) and not admitted(new, version)


def test_an_operators_own_password_is_checked_and_used(station, posted, version):
    provisioning.register("CP1", utc_now(), password=OLD)
    assert call_api("POST", "/charge-points/CP1/password", {"password": "short"})[0] == 400
    for odd in ("with\u0000a-nul-inside-it", "pässwörd-with-umlauts", "with spaces in it, sixteen+"):
        assert call_api("POST", "/charge-points/CP1/password", {"password": odd})[0] == 400
        assert call_api("PUT", "/charge-points/CP1", {"password": odd})[0] == 400
    status, _ = call_api("POST", "/charge-points/CP1/password", {"password": "mine-and-long-enough"})
    assert status == 202
    assert sent_password(posted.to("c1")[-1], version) == "mine-and-long-enough"


def test_the_password_is_set_only_by_rotation_never_by_a_raw_command(station, version):
    provisioning.register("CP1", utc_now(), password=OLD)
    if version == "1.6":
        raw = {"action": "ChangeConfiguration", "payload": {"key": "AuthorizationKey", "value": "x" * 20}}
    else:
        variable = {"component": {"name": "SecurityCtrlr"}, "variable": {"name": "BasicAuthPassword"}}
        raw = {
            "action": "SetVariables",
            "payload": {"setVariableData": [{**variable, "attributeValue": "x" * 20}]},
        }
    status, body = call_api("POST", "/charge-points/CP1/commands", raw)
    assert status == 422 and "/password" in body["error"]["message"]
    assert admitted(OLD, version)


def test_a_password_set_by_hand_ends_the_grace_of_the_one_before(station, version, rotating):
    _, frame, new = rotating
    station([3, frame[1], answer(version, "Accepted")])
    assert admitted(OLD, version)
    assert call_api("PUT", "/charge-points/CP1", {"password": "replaced-by-hand-01"})[0] == 200
    assert not admitted(OLD, version) and not admitted(new, version)
    assert admitted("replaced-by-hand-01", version)


def test_one_rotation_at_a_time_so_the_station_never_holds_a_password_the_csms_does_not(
    station, posted, version, rotating
):
    """Two rotations before the first is answered once left the station locked out: it took the
    first, the CSMS held the second. The second now waits its turn (409), for every caller."""
    _, frame, first = rotating
    for _ in range(5):
        status, body = call_api("POST", "/charge-points/CP1/password", {})
        assert status == 409 and "waits for its answer" in body["error"]["message"]
    assert [sent_password(f, version) for f in posted.to("c1") if f[0] == 2] == [first]
    station([3, frame[1], answer(version, "Accepted")])
    assert admitted(first, version)
    # Answered: the next may go; and one whose command failed does not hold the next back.
    assert call_api("POST", "/charge-points/CP1/password", {})[0] == 202
    failed = posted.to("c1")[-1]
    station([4, failed[1], "InternalError", "no", {}])
    assert call_api("POST", "/charge-points/CP1/password", {})[0] == 202
    station([3, posted.to("c1")[-1][1], answer(version, "Accepted")])
    assert admitted(sent_password(posted.to("c1")[-1], version), version)
