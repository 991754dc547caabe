"""Local authorization lists through the API and the router: the id-token list sent whole,
then only what changed, in parts that fit the station; a refused differential falls back to a
full list; every version in its own words."""

import pytest

from shared.data import configuration
from shared.domain.configuration import ConfigurationValue
from shared.domain.timestamps import utc_now
from tests.builders import call_api, put_token


def calls_to_station(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2]


def entries_of(version, payload):
    """Token -> status (None: removed), read from a SendLocalList in the version's words."""
    found = {}
    for item in payload.get("localAuthorizationList", []):
        if version == "1.6":
            found[item["idTag"]] = (item.get("idTagInfo") or {}).get("status")
        else:
            found[item["idToken"]["idToken"]] = (item.get("idTokenInfo") or {}).get("status")
    return found


def version_of(payload):
    return payload.get("listVersion", payload.get("versionNumber"))


def answer_all(station, posted, status="Accepted", since=0):
    """Answer every call sent from the `since`-th on, and those each answer lets out of the
    queue; the calls answered."""
    answered = []
    while len(calls_to_station(posted)) > since + len(answered):
        frame = calls_to_station(posted)[since + len(answered)]
        answered.append(frame)
        station([3, frame[1], {"status": status}])
    return answered


def test_a_full_then_a_differential_list_reach_the_station(station, posted, version):
    for token in ("A", "B", "C"):
        put_token(token)
    status, sync = call_api("POST", "/charge-points/CP1/local-list", {"mode": "full"})
    assert status == 202 and (sync["fromVersion"], sync["toVersion"]) == (0, 1)
    [full] = answer_all(station, posted)
    assert full[2] == "SendLocalList" and full[3]["updateType"] == "Full" and version_of(full[3]) == 1
    assert entries_of(version, full[3]) == {"A": "Accepted", "B": "Accepted", "C": "Accepted"}
    got = call_api("GET", "/charge-points/CP1/local-list")[1]
    assert (got["version"], [e["idToken"] for e in got["entries"]], got["pendingChanges"]) == (
        1,
        ["A", "B", "C"],
        0,
    )

    put_token("B", "Blocked")
    put_token("D")
    assert call_api("DELETE", "/id-tokens/C")[0] == 204
    assert call_api("GET", "/charge-points/CP1/local-list")[1]["pendingChanges"] == 3
    status, sync = call_api("POST", "/charge-points/CP1/local-list", {"mode": "differential"})
    [diff] = answer_all(station, posted, since=1)
    assert diff[3]["updateType"] == "Differential" and version_of(diff[3]) == 2
    assert entries_of(version, diff[3]) == {"B": "Blocked", "C": None, "D": "Accepted"}  # only what changed
    got = call_api("GET", "/charge-points/CP1/local-list")[1]
    assert [(e["idToken"], e["status"]) for e in got["entries"]] == [
        ("A", "Accepted"),
        ("B", "Blocked"),
        ("D", "Accepted"),
    ]
    assert (got["version"], got["pendingChanges"]) == (2, 0)
    status, sync = call_api("POST", "/charge-points/CP1/local-list", {"mode": "differential"})
    assert status == 202 and sync["commands"] == [] and sync["toVersion"] is None  # in step: nothing to send


def test_a_list_goes_in_parts_that_fit_the_station_and_too_long_a_list_is_refused(station, posted, version):
    per_message = "SendLocalListMaxLength" if version == "1.6" else "LocalAuthListCtrlr/ItemsPerMessage"
    total = "LocalAuthListMaxLength" if version == "1.6" else "LocalAuthListCtrlr/Entries"
    configuration.put_configuration(
        "CP1", [ConfigurationValue(per_message, "2"), ConfigurationValue(total, "5")], utc_now()
    )
    for token in "ABCDE":
        put_token(token)
    status, sync = call_api("POST", "/charge-points/CP1/local-list", {"mode": "full"})
    assert status == 202 and sync["toVersion"] == 3
    parts = answer_all(station, posted)
    assert [(p[3]["updateType"], version_of(p[3]), len(p[3]["localAuthorizationList"])) for p in parts] == [
        ("Full", 1, 2),
        ("Differential", 2, 2),
        ("Differential", 3, 1),
    ]
    assert call_api("GET", "/charge-points/CP1/local-list")[1]["version"] == 3
    put_token("F")
    status, body = call_api("POST", "/charge-points/CP1/local-list", {"mode": "full"})
    assert status == 400 and "5 entries at most" in body["error"]["message"]


@pytest.mark.parametrize("version", ["1.6", "2.0.1"], indirect=True)
def test_a_refused_differential_falls_back_to_the_whole_list(station, posted, version):
    put_token("A")
    call_api("POST", "/charge-points/CP1/local-list", {"mode": "full"})
    answer_all(station, posted)
    put_token("B")
    call_api("POST", "/charge-points/CP1/local-list", {"mode": "differential"})
    refused = calls_to_station(posted)[1]
    assert refused[3]["updateType"] == "Differential"
    station([3, refused[1], {"status": "VersionMismatch"}])
    [fallback] = calls_to_station(posted)[2:]
    assert fallback[3]["updateType"] == "Full" and entries_of(version, fallback[3]) == {
        "A": "Accepted",
        "B": "Accepted",
    }
    station([3, fallback[1], {"status": "Accepted"}])
    got = call_api("GET", "/charge-points/CP1/local-list")[1]
    assert [e["idToken"] for e in got["entries"]] == ["A", "B"] and got["pendingChanges"] == 0


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_many_charge_points_at_once_each_told_apart(station, posted, version):
    put_token("A")
    status, body = call_api("POST", "/local-lists", {"chargePoints": ["CP1", "NOPE"], "mode": "full"})
    assert status == 202
    by_id = {item["chargePointId"]: item for item in body["items"]}
    assert len(by_id["CP1"]["commands"]) == 1 and by_id["NOPE"]["error"] == "Charge point NOPE not found"


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_many_charge_points_by_a_filter(station, posted, version):
    """CP1 is connected and on site s1; CP2 is on s1 and offline; CP3 is elsewhere."""
    put_token("A")
    for cp, site in (("CP1", "s1"), ("CP2", "s1"), ("CP3", "s2")):
        assert call_api("PUT", f"/charge-points/{cp}", {"siteId": site})[0] in (200, 201)
    status, body = call_api("POST", "/local-lists", {"filter": {"siteId": "s1"}, "mode": "full"})
    assert status == 202
    by_id = {item["chargePointId"]: item for item in body["items"]}
    assert set(by_id) == {"CP1", "CP2"}
    assert len(by_id["CP1"]["commands"]) == 1 and "not connected" in by_id["CP2"]["error"]
    connected = call_api("POST", "/local-lists", {"filter": {"siteId": "s1", "connected": True}})[1]
    assert [item["chargePointId"] for item in connected["items"]] == ["CP1"]
    both = {"chargePoints": ["CP1"], "filter": {"siteId": "s1"}}
    status, body = call_api("POST", "/local-lists", both)
    assert status == 400 and "give chargePoints or filter, not both" in body["error"]["message"]
    assert call_api("POST", "/local-lists", {"mode": "full"})[0] == 400
