"""Display messages (2.x) through the API and the router: set and kept once accepted, reported
back after GetDisplayMessages, cleared; refused for 1.6, which has none."""

import pytest

from tests.builders import V2, call, call_api


def last_call(posted):
    return [frame for frame in posted.to("c1") if frame[0] == 2][-1]


@pytest.mark.parametrize("version", V2, indirect=True)
def test_messages_are_set_reported_and_cleared(station, posted, version):
    body = {"id": 7, "content": "Out of order until 14:00", "priority": "InFront", "evseId": 1}
    status, command = call_api("POST", "/charge-points/CP1/display-messages", body)
    assert status == 202 and command["action"] == "SetDisplayMessage"
    info = command["payload"]["message"]
    assert info["message"] == {"format": "UTF8", "content": "Out of order until 14:00"} and info["display"][
        "evse"
    ] == {"id": 1}
    assert call_api("GET", "/charge-points/CP1/display-messages")[1]["items"] == []  # not until accepted
    station([3, command["commandId"], {"status": "Accepted"}])
    [kept] = call_api("GET", "/charge-points/CP1/display-messages")[1]["items"]
    assert (kept["id"], kept["source"], kept["message"]["priority"]) == (7, "set", "InFront")

    assert call_api("GET", "/charge-points/CP1/display-messages", query="refresh=true")[0] == 200
    asked = last_call(posted)
    assert asked[2] == "GetDisplayMessages"
    station([3, asked[1], {"status": "Accepted"}])
    report = {
        "requestId": asked[3]["requestId"],
        "messageInfo": [
            {
                "id": 7,
                "priority": "InFront",
                "message": {"format": "UTF8", "content": "Out of order until 14:00"},
            },
            {"id": 9, "priority": "NormalCycle", "message": {"format": "ASCII", "content": "Welcome"}},
        ],
    }
    assert call(station, "NotifyDisplayMessages", report) == {}
    items = call_api("GET", "/charge-points/CP1/display-messages")[1]["items"]
    assert [(m["id"], m["source"]) for m in items] == [(7, "reported"), (9, "reported")]

    status, cleared = call_api("DELETE", "/charge-points/CP1/display-messages/9")
    assert status == 202 and cleared["payload"] == {"id": 9}
    station([3, cleared["commandId"], {"status": "Accepted"}])
    assert [m["id"] for m in call_api("GET", "/charge-points/CP1/display-messages")[1]["items"]] == [7]


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
def test_1_6_has_no_display_messages(station, posted, version):
    status, body = call_api("POST", "/charge-points/CP1/display-messages", {"id": 1, "content": "Hi"})
    assert status == 422 and "display messages" in body["error"]["message"]
