"""Authorization: Authorize through the router for every version, and the id-token list
through the operator API."""

from datetime import datetime

import pytest

from tests.builders import V2, authorize, call, call_api, info, put_token


def test_an_unknown_token_is_invalid(station, version):
    assert info(version, call(station, "Authorize", authorize(version, "NOPE"))) == {"status": "Invalid"}


def test_an_accepted_token_answers_with_its_expiry_and_group(station, version):
    put_token("TAG1", expiry_date=datetime.fromisoformat("2030-01-01T00:00:00Z"), parent_id_token="FLEET")
    answer = info(version, call(station, "Authorize", authorize(version, "TAG1")))
    if version == "1.6":
        assert answer == {
            "status": "Accepted",
            "expiryDate": "2030-01-01T00:00:00.000Z",
            "parentIdTag": "FLEET",
        }
    else:
        assert answer == {
            "status": "Accepted",
            "cacheExpiryDateTime": "2030-01-01T00:00:00.000Z",
            "groupIdToken": {"idToken": "FLEET", "type": "Central"},
        }


@pytest.mark.parametrize(
    ("status", "expiry", "expected"),
    [
        ("Accepted", "2020-01-01T00:00:00Z", "Expired"),
        ("Blocked", None, "Blocked"),
        ("Blocked", "2020-01-01T00:00:00Z", "Blocked"),
        ("Invalid", None, "Invalid"),
        ("Expired", None, "Expired"),
    ],
)
def test_the_list_decides_the_status(station, version, status, expiry, expected):
    put_token("TAG1", status, expiry_date=datetime.fromisoformat(expiry) if expiry else None)
    assert info(version, call(station, "Authorize", authorize(version, "TAG1")))["status"] == expected


@pytest.mark.parametrize("version", V2, indirect=True)
def test_a_token_of_another_type_than_listed_is_invalid(station, version):
    put_token("TAG1", token_type="ISO14443")
    assert info(version, call(station, "Authorize", authorize(version, "TAG1", "KeyCode")))["status"] == (
        "Invalid"
    )
    assert info(version, call(station, "Authorize", authorize(version, "TAG1")))["status"] == "Accepted"


@pytest.mark.parametrize("version", V2, indirect=True)
def test_no_authorization_is_accepted_without_a_lookup(station, version, aws_calls):
    aws_calls.reset()
    answer = call(station, "Authorize", {"idToken": {"idToken": "", "type": "NoAuthorization"}})
    assert answer == {"idTokenInfo": {"status": "Accepted"}}
    assert aws_calls.dynamodb_reads == 0


def test_id_tokens_are_added_replaced_listed_and_removed(aws):
    entry = {
        "status": "Accepted",
        "type": "ISO14443",
        "expiryDate": "2030-01-01T00:00:00Z",
        "parentIdToken": "G",
    }
    assert call_api("PUT", "/id-tokens/TAG1", entry) == (201, {"idToken": "TAG1", **entry})
    assert call_api("PUT", "/id-tokens/TAG1", {"status": "Blocked"})[0] == 200
    assert call_api("GET", "/id-tokens/TAG1") == (
        200,
        {"idToken": "TAG1", "status": "Blocked", "type": None, "expiryDate": None, "parentIdToken": None},
    )
    for value in ("TAG2", "TAG3"):
        call_api("PUT", f"/id-tokens/{value}", {"status": "Accepted"})
    status, first = call_api("GET", "/id-tokens", query="limit=2")
    assert status == 200 and len(first["items"]) == 2 and first["nextToken"]
    _, rest = call_api("GET", "/id-tokens", query=f"limit=2&nextToken={first['nextToken']}")
    assert sorted(i["idToken"] for i in first["items"] + rest["items"]) == ["TAG1", "TAG2", "TAG3"]
    assert call_api("DELETE", "/id-tokens/TAG1")[0] == 204
    assert call_api("GET", "/id-tokens/TAG1")[0] == 404
    assert call_api("DELETE", "/id-tokens/TAG1")[0] == 404


@pytest.mark.parametrize(
    "body",
    [
        {"status": "Maybe"},
        {},
        {"status": "Accepted", "colour": "red"},
        {"status": "Accepted", "expiryDate": "soon"},
        {"status": "Accepted", "expiryDate": "2030-01-01T00:00:00"},  # no zone: nobody's time
        {"status": "Accepted", "expiryDate": "0001-01-01T00:00:00+01:00"},  # before year 1 in UTC
        {"status": "Accepted", "expiryDate": "9999-12-31T23:59:59-01:00"},  # after 9999 in UTC
    ],
)
def test_a_bad_id_token_entry_is_refused_with_the_reason(aws, body):
    status, answer = call_api("PUT", "/id-tokens/TAG1", body)
    assert status == 400 and answer["error"]["message"]
    assert call_api("GET", "/id-tokens/TAG1")[0] == 404


def test_an_empty_token_is_invalid_without_a_lookup(station, version, aws_calls):
    aws_calls.reset()
    answer = station([2, "e1", "Authorize", authorize(version, "")])
    assert answer[:2] == [3, "e1"] and info(version, answer[2]) == {"status": "Invalid"}
    assert aws_calls.dynamodb_reads == 0
