"""Raising a station's security profile for every version: the version's calls, in order, and
the registration holds the station to the new profile only once it accepted the move."""

from __future__ import annotations

import pytest

from shared.data import configuration
from shared.domain.configuration import ConfigurationValue
from shared.domain.timestamps import utc_now
from tests.builders import call_api

URL = "wss://ocpp.example.com/ocpp/"


def profile_of(charge_point_id="CP1"):
    return call_api("GET", f"/charge-points/{charge_point_id}")[1]["securityProfile"] or 1


def set_variables_answer(frame, status):
    [data] = frame[3]["setVariableData"]
    return {
        "setVariableResult": [
            {"attributeStatus": status, "component": data["component"], "variable": data["variable"]}
        ]
    }


@pytest.mark.parametrize("version", ["1.6"])
@pytest.mark.parametrize("status, held_to", [("Accepted", 3), ("RebootRequired", 3), ("Rejected", 1)])
def test_a_1_6_station_moves_with_its_security_profile_key(station, posted, version, status, held_to):
    answer, sent = call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 3})
    assert answer == 202 and [c["action"] for c in sent] == ["ChangeConfiguration"]
    frame = posted.to("c1")[-1]
    assert frame[2:] == ["ChangeConfiguration", {"key": "SecurityProfile", "value": "3"}]
    assert profile_of() == 1  # not before the station took it
    station([3, frame[1], {"status": status}])
    assert profile_of() == held_to


@pytest.mark.parametrize("version", ["1.6"])
def test_one_raise_at_a_time_so_the_registration_follows_what_the_station_took(station, posted, version):
    assert call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 2})[0] == 202
    first = posted.to("c1")[-1]
    status, body = call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 3})
    assert status == 409 and "waits for its answer" in body["error"]["message"]
    station([3, first[1], {"status": "Accepted"}])
    assert profile_of() == 2
    assert call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 3})[0] == 202


@pytest.mark.parametrize("version", ["2.0.1", "2.1"])
def test_a_2_x_station_moves_through_a_network_profile_first_in_priority(station, posted, version):
    known = ConfigurationValue("OCPPCommCtrlr/NetworkConfigurationPriority", "1,2", False)
    configuration.put_configuration("CP1", [known], utc_now())
    body = {"securityProfile": 2, "configurationSlot": 2, "csmsUrl": URL}
    status, sent = call_api("POST", "/charge-points/CP1/security-profile", body)
    assert status == 202
    assert [c["action"] for c in sent] == ["SetNetworkProfile", "SetVariables", "Reset"]

    network = posted.to("c1")[-1]
    connection = network[3]["connectionData"]
    assert network[2] == "SetNetworkProfile" and network[3]["configurationSlot"] == 2
    assert connection["securityProfile"] == 2 and connection["ocppCsmsUrl"] == URL
    assert connection["ocppVersion"] == {"2.0.1": "OCPP20", "2.1": "OCPP21"}[version]
    priority = station([3, network[1], {"status": "Accepted"}])
    assert profile_of() == 1
    [data] = priority[3]["setVariableData"]
    assert (data["variable"]["name"], data["attributeValue"]) == ("NetworkConfigurationPriority", "2,1")
    reset = station([3, priority[1], set_variables_answer(priority, "Accepted")])
    assert profile_of() == 2
    assert reset[2:] == ["Reset", {"type": "OnIdle"}]


@pytest.mark.parametrize("version", ["2.0.1"])
def test_a_2_x_move_the_station_refuses_leaves_the_registration(station, posted, version):
    body = {"securityProfile": 3, "configurationSlot": 1, "csmsUrl": URL}
    assert call_api("POST", "/charge-points/CP1/security-profile", body)[0] == 202
    network = posted.to("c1")[-1]
    priority = station([3, network[1], {"status": "Accepted"}])
    station([3, priority[1], set_variables_answer(priority, "Rejected")])
    assert profile_of() == 1


def test_a_profile_is_only_raised_and_2_x_needs_its_connection_profile(station, version):
    call_api("PUT", "/charge-points/CP1", {"securityProfile": 2})
    status, body = call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 2})
    assert status == 400 and "only raised" in body["error"]["message"]
    assert call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 4})[0] == 400
    half = {"securityProfile": 3, "configurationSlot": 1}
    assert call_api("POST", "/charge-points/CP1/security-profile", half)[0] == 400
    if version != "1.6":
        assert call_api("POST", "/charge-points/CP1/security-profile", {"securityProfile": 3})[0] == 422
