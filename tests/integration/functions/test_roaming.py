"""OCPI 2.2.1 as a CPO against moto: a partner made through the operator API, its registration
with token A (its versions fetched from a small HTTP server playing the eMSP), rotation,
suspension and unregistration refused or honoured, and locations, tariffs and CDRs pulled."""

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest

from functions.ocpi.handler import lambda_handler as ocpi_api
from local.runtime import events
from shared.data import roaming
from shared.domain.roaming import token_hash
from tests.builders import CONTEXT, call, call_api, start, status, stop

TOKEN_B = "token-b-of-the-emsp"


def ocpi(method, path, token=None, body=None, query=None, raw_token=False, headers=()):
    sent = [("Content-Type", "application/json"), ("X-Request-ID", "req-1"), ("X-Correlation-ID", "cor-1")]
    if token is not None:
        value = token if raw_token else base64.b64encode(token.encode()).decode()
        sent.append(("Authorization", f"Token {value}"))
    raw = json.dumps(body).encode() if body is not None else None
    event = events.http_request(method, path, urlencode(query or {}), [*sent, *headers], raw)
    answer = ocpi_api(event, CONTEXT)
    return answer["statusCode"], json.loads(answer["body"]), answer.get("headers") or {}


@pytest.fixture
def emsp():
    """The partner's versions and version details, answered to token B alone."""
    heard = []

    class Emsp(BaseHTTPRequestHandler):
        def do_GET(self):
            heard.append((self.path, self.headers.get("Authorization")))
            if self.headers.get("Authorization") != "Token " + base64.b64encode(TOKEN_B.encode()).decode():
                self.send_response(401)
                self.end_headers()
                return
            base = f"http://127.0.0.1:{self.server.server_port}"
            data = (
                [{"version": "2.2.1", "url": f"{base}/2.2.1"}]
                if self.path == "/versions"
                else {
                    "version": "2.2.1",
                    "endpoints": [{"identifier": "tokens", "role": "SENDER", "url": f"{base}/2.2.1/tokens"}],
                }
            )
            body = json.dumps(
                {"data": data, "status_code": 1000, "timestamp": "2026-11-24T10:00:00Z"}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Emsp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", heard
    server.shutdown()


def credentials(url, token=TOKEN_B):
    return {
        "token": token,
        "url": f"{url}/versions",
        "roles": [
            {"role": "EMSP", "business_details": {"name": "Roamer"}, "party_id": "EMS", "country_code": "DE"}
        ],
    }


def make_partner():
    status_code, made = call_api(
        "POST", "/roaming/partners", {"name": "Roamer", "countryCode": "DE", "partyId": "EMS", "role": "EMSP"}
    )
    assert status_code == 201, made
    return made


def registered(url):
    made = make_partner()
    code, answer, _ = ocpi("POST", "/ocpi/2.2.1/credentials", made["tokenA"], credentials(url))
    assert code == 200, answer
    return made, answer["data"]["token"]


def test_a_partner_is_made_with_token_a_that_is_stored_only_hashed(aws):
    made = make_partner()
    assert made["versionsUrl"].endswith("/ocpi/versions") and len(made["tokenA"]) >= 32
    code, shown = call_api("GET", f"/roaming/partners/{made['partnerId']}")
    assert code == 200 and shown["status"] == "PENDING" and made["tokenA"] not in json.dumps(shown)
    stored = roaming.PartnerRecord.get(made["partnerId"])
    assert stored.token_hash == token_hash(made["tokenA"])
    assert made["tokenA"] not in json.dumps(stored.attribute_values, default=str)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"name": "R", "countryCode": "de", "partyId": "EMS", "role": "EMSP"}, "countryCode"),
        ({"name": "R", "countryCode": "DE", "partyId": "EM", "role": "EMSP"}, "partyId"),
        ({"name": "R", "countryCode": "DE", "partyId": "EMS", "role": "CPO"}, "role"),
    ],
)
def test_a_malformed_partner_gets_400_with_the_reason(aws, body, reason):
    code, answer = call_api("POST", "/roaming/partners", body)
    assert code in (400, 422) and reason in json.dumps(answer)


def test_token_a_admits_the_versions_and_registration_which_issues_token_c(aws, emsp):
    url, heard = emsp
    made = make_partner()
    code, listed, headers = ocpi("GET", "/ocpi/versions", made["tokenA"])
    assert code == 200 and listed["status_code"] == 1000 and listed["data"][0]["version"] == "2.2.1"
    assert headers["X-Request-ID"] == "req-1" and headers["X-Correlation-ID"] == "cor-1"
    code, details, _ = ocpi("GET", "/ocpi/2.2.1", made["tokenA"])
    assert {e["identifier"] for e in details["data"]["endpoints"]} >= {
        "credentials",
        "locations",
        "tariffs",
        "cdrs",
    }
    code, refused, _ = ocpi("GET", "/ocpi/2.2.1/locations", made["tokenA"])
    assert code == 401 and refused["status_code"] == 2000

    code, answer, _ = ocpi("POST", "/ocpi/2.2.1/credentials", made["tokenA"], credentials(url))
    assert code == 200, answer
    token_c = answer["data"]["token"]
    assert answer["data"]["roles"][0]["role"] == "CPO" and answer["data"]["url"].endswith("/ocpi/versions")
    assert [path for path, _ in heard] == ["/versions", "/2.2.1"]
    assert ocpi("GET", "/ocpi/versions", made["tokenA"])[0] == 401  # token A is spent
    assert ocpi("POST", "/ocpi/2.2.1/credentials", token_c, credentials(url))[0] == 405
    code, shown = call_api("GET", f"/roaming/partners/{made['partnerId']}")
    assert shown["status"] == "REGISTERED" and shown["partnerVersionsUrl"] == f"{url}/versions"
    assert shown["endpoints"][0]["identifier"] == "tokens"
    code, own, _ = ocpi("GET", "/ocpi/2.2.1/credentials", token_c)
    assert code == 200 and own["data"]["token"] == token_c


def test_a_registration_whose_versions_fail_is_refused_and_the_error_shown(aws, emsp):
    url, _ = emsp
    made = make_partner()
    code, answer, _ = ocpi("POST", "/ocpi/2.2.1/credentials", made["tokenA"], credentials(url, token="wrong"))
    assert code == 400 and answer["status_code"] == 3001
    assert "HTTP 401" in call_api("GET", f"/roaming/partners/{made['partnerId']}")[1]["lastError"]
    code, answer, _ = ocpi(
        "POST", "/ocpi/2.2.1/credentials", made["tokenA"], {"token": "x", "url": "ftp://x"}
    )
    assert code == 400 and answer["status_code"] == 2001 and "roles" in answer["status_message"]


def test_rotation_replaces_token_c_and_unregistration_ends_it(aws, emsp):
    url, _ = emsp
    _, token_c = registered(url)
    code, answer, _ = ocpi("PUT", "/ocpi/2.2.1/credentials", token_c, credentials(url))
    assert code == 200
    rotated = answer["data"]["token"]
    assert rotated != token_c
    assert ocpi("GET", "/ocpi/2.2.1/tariffs", token_c)[0] == 401
    assert ocpi("GET", "/ocpi/2.2.1/tariffs", rotated)[0] == 200
    assert ocpi("DELETE", "/ocpi/2.2.1/credentials", rotated)[0] == 200
    code, refused, _ = ocpi("GET", "/ocpi/2.2.1/tariffs", rotated)
    assert code == 401 and refused["status_code"] == 2000


def test_a_suspended_or_deleted_partner_is_refused(aws, emsp):
    url, _ = emsp
    made, token_c = registered(url)
    assert (
        call_api("PATCH", f"/roaming/partners/{made['partnerId']}", {"suspended": True})[1]["status"]
        == "SUSPENDED"
    )
    code, refused, _ = ocpi("GET", "/ocpi/2.2.1/locations", token_c)
    assert code == 401 and refused["status_code"] == 2000 and "revoked" in refused["status_message"]
    assert (
        call_api("PATCH", f"/roaming/partners/{made['partnerId']}", {"suspended": False})[1]["status"]
        == "REGISTERED"
    )
    assert ocpi("GET", "/ocpi/2.2.1/locations", token_c)[0] == 200
    assert call_api("DELETE", f"/roaming/partners/{made['partnerId']}")[0] == 204
    assert ocpi("GET", "/ocpi/2.2.1/locations", token_c)[0] == 401
    assert call_api("GET", f"/roaming/partners/{made['partnerId']}")[0] == 404


def test_no_token_or_an_unknown_one_gets_401(aws):
    code, answer, _ = ocpi("GET", "/ocpi/versions")
    assert code == 401 and answer["status_code"] == 2000 and "timestamp" in answer
    assert ocpi("GET", "/ocpi/versions", "nobody")[0] == 401
    assert ocpi("GET", "/ocpi/versions", "nobody", raw_token=True)[0] == 401


PLACE = {
    "name": "Harbour",
    "address": "Kade 1",
    "city": "Amsterdam",
    "postalCode": "1011AB",
    "country": "NLD",
    "latitude": 52.37,
    "longitude": 4.89,
    "timeZone": "Europe/Amsterdam",
}


@pytest.mark.parametrize("version", ["1.6"])
def test_locations_tariffs_and_cdrs_are_pulled_paged(station, emsp):
    url, _ = emsp
    _, token = registered(url)
    call(station, "StatusNotification", status("1.6", 1, "Charging"))
    code, site = call_api(
        "PUT", "/sites/harbour", {"limit": {"amps": 64}, "chargePoints": ["CP1"], "place": PLACE}
    )
    assert code == 201 and site["place"]["city"] == "Amsterdam"
    call_api("PUT", "/sites/unplaced", {"limit": {"amps": 64}})
    for tariff_id, price in (("a", "0.30"), ("b", "0.40")):
        call_api(
            "PUT",
            f"/tariffs/{tariff_id}",
            {"currency": "EUR", "elements": [{"priceComponents": [{"type": "ENERGY", "price": price}]}]},
        )
    started = call(station, "StartTransaction", start())
    call(station, "StopTransaction", stop(started["transactionId"]))

    code, answer, headers = ocpi("GET", "/ocpi/2.2.1/locations", token)
    [location] = answer["data"]
    assert headers["X-Total-Count"] == "1" and "Link" not in headers
    assert (location["id"], location["city"], location["coordinates"]["latitude"]) == (
        "harbour",
        "Amsterdam",
        "52.370000",
    )
    [evse] = location["evses"]
    assert evse["status"] == "CHARGING" and evse["evse_id"] == "NL*CSM*ECP1*1"
    assert ocpi("GET", "/ocpi/2.2.1/locations/harbour", token)[1]["data"]["id"] == "harbour"
    code, unknown, _ = ocpi("GET", "/ocpi/2.2.1/locations/unplaced", token)
    assert code == 404 and unknown["status_code"] == 2003

    code, answer, headers = ocpi("GET", "/ocpi/2.2.1/tariffs", token, query={"limit": 1})
    assert (
        [t["id"] for t in answer["data"]] == ["a"]
        and headers["X-Total-Count"] == "2"
        and headers["X-Limit"] == "1"
    )
    assert "offset=1" in headers["Link"] and 'rel="next"' in headers["Link"]

    code, answer, headers = ocpi(
        "GET", "/ocpi/2.2.1/cdrs", token, query={"date_from": "2026-11-24T00:00:00Z"}
    )
    [cdr] = answer["data"]
    assert cdr["total_energy"] == 7.5 and cdr["cdr_location"]["city"] == "Amsterdam"
    assert cdr["last_updated"] == cdr["end_date_time"] == "2026-11-24T11:00:00.000Z"
    assert (
        ocpi("GET", "/ocpi/2.2.1/cdrs", token, query={"date_from": "2026-11-25T00:00:00Z"})[1]["data"] == []
    )
    code, answer, _ = ocpi("GET", "/ocpi/2.2.1/cdrs", token, query={"offset": "x"})
    assert code == 400 and answer["status_code"] == 2001
