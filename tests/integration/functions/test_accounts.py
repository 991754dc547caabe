"""Accounts against moto: every route declares a permission and roles are held to it, callers
resolve from the bootstrap token, keys and Cognito tokens, keys obey their makers' limits and
their revocation, tenants, and the audit trail of every change and refusal."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from datetime import datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.domain.accounts import CHANGING_METHODS, ApiKey, Role, key_hash, new_key
from shared.domain.timestamps import format_timestamp, utc_now
from tests.builders import call_api


def make_key(role: str, token: str | None = None, **fields: Any) -> tuple[str, str]:
    """A key made through the API (by the bootstrap token unless told): its id and the key."""
    kwargs = {} if token is None else {"token": token}
    status, body = call_api("POST", "/api-keys", {"name": f"{role} key", "role": role, **fields}, **kwargs)
    assert status == 201, body
    return body["apiKeyId"], body["key"]


def openapi_operations() -> list[tuple[str, str]]:
    from functions.operator_api.handler import app

    document = json.loads(app.get_openapi_json_schema())
    return [(method.upper(), path) for path, item in document["paths"].items() for method in item]


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "X1", path)


# --- Every route declares what it needs -------------------------------------------------------


def test_every_route_registered_or_documented_declares_a_permission(aws):
    from functions.operator_api.access import permission_for, route_key
    from functions.operator_api.handler import app
    from shared.manifest import is_public

    routes = app._static_routes + app._dynamic_routes
    undeclared = [
        route_key(route.method, route.path)
        for route in routes
        if not is_public(route.path) and permission_for(route) is None
    ]
    assert not undeclared
    registered = {route_key(route.method, re.sub(r"<([^>]+)>", r"{\1}", route.path)) for route in routes}
    documented = {route_key(method, path) for method, path in openapi_operations()}
    assert documented <= registered and len(documented) > 90


def test_a_block_declares_only_routes_it_serves(aws):
    import sys

    from functions.operator_api.access import route_key
    from functions.operator_api.handler import app

    routes = app._static_routes + app._dynamic_routes
    served = {(route.func.__module__, route_key(route.method, route.path)) for route in routes}
    blocks = [name for name in sys.modules if name.startswith("functions.operator_api.routes.")]
    declared = {(name, key) for name in blocks for key in getattr(sys.modules[name], "ACCESS", {})}
    assert declared and declared <= served


# --- Roles held to their permissions ----------------------------------------------------------


def test_a_viewer_key_is_refused_every_change_and_let_in_to_every_read(aws):
    from shared.manifest import is_public

    _, viewer = make_key("viewer")
    # Reads a viewer is refused: keys, tenants and the audit trail are admins', drivers' personal
    # data their operators', and a driver's own pages drivers'.
    not_a_viewers = ("/api-keys", "/tenants", "/audit", "/drivers", "/driver/")
    for method, path in openapi_operations():
        if is_public(path):
            continue  # the pay page: anyone's, a token or none
        status, body = call_api(
            method, concrete(path), {} if method in CHANGING_METHODS else None, token=viewer
        )
        if method in CHANGING_METHODS or path.startswith(not_a_viewers):
            assert status == 403, (method, path, status, body)
            assert body["error"]["code"] == "Forbidden" and body["error"]["message"].startswith(
                "viewer may not "
            )
        else:
            assert status not in (401, 403), (method, path, status, body)
            if "{" not in path:
                assert status == 200, (method, path, status, body)


def test_a_technician_resets_but_may_not_price_or_register(aws):
    _, technician = make_key("technician")
    status, body = call_api("POST", "/charge-points/CP1/reset", {"hard": False}, token=technician)
    assert status == 404 and body["error"]["code"] == "NotFound"  # let in: the station is unknown
    status, body = call_api("PUT", "/tariffs/T1", {"currency": "EUR"}, token=technician)
    assert (status, body["error"]["message"]) == (403, "technician may not manage tariffs")
    status, body = call_api("PUT", "/charge-points/CP1", {}, token=technician)
    assert (status, body["error"]["message"]) == (403, "technician may not register charge points")


def test_a_refusal_comes_before_the_body_is_read(aws):
    _, viewer = make_key("viewer")
    status, body = call_api("PUT", "/id-tokens/TAG1", {"status": "Nonsense"}, token=viewer)
    assert status == 403 and "Nonsense" not in json.dumps(body)


# --- Who the caller is ------------------------------------------------------------------------


def who(me: dict[str, Any]) -> dict[str, Any]:
    return {name: me[name] for name in ("principal", "kind", "role", "tenantId")}


def test_me_says_who_the_caller_is(aws):
    status, me = call_api("GET", "/me")
    assert (status, who(me)) == (
        200,
        {"principal": "bootstrap", "kind": "token", "role": "admin", "tenantId": None},
    )
    api_key_id, key = make_key("technician", tenantId="default")
    status, me = call_api("GET", "/me", token=key)
    assert (status, who(me)) == (
        200,
        {"principal": api_key_id, "kind": "key", "role": "technician", "tenantId": "default"},
    )
    assert "reset stations" in me["permissions"] and "manage id tokens" not in me["permissions"]


def test_me_lists_what_the_roles_table_in_the_docs_gives_each_caller(aws):
    """What the console shows a caller it may do is the docs' table, column by column."""
    from tests.unit.domain.test_accounts import docs_table

    roles = ("viewer", "technician", "operator", "admin")
    tokens = {role: make_key(role, tenantId="default")[1] for role in roles}
    tokens["platform admin"] = make_key("admin")[1]  # of no tenant
    documented = docs_table()
    for column, token in tokens.items():
        status, me = call_api("GET", "/me", token=token)
        assert status == 200
        assert len(me["permissions"]) == len(set(me["permissions"]))
        assert set(me["permissions"]) == {name for name, held in documented.items() if held[column]}, column


def test_a_revoked_or_expired_key_or_a_forged_one_is_refused(aws):
    from shared.data import api_keys

    api_key_id, key = make_key("operator")
    assert call_api("GET", "/charge-points", token=key)[0] == 200
    assert call_api("DELETE", f"/api-keys/{api_key_id}") == (204, None)
    status, body = call_api("GET", "/charge-points", token=key)
    assert status == 401 and body["error"]["code"] == "Unauthorized"

    expired_id, expired = new_key()
    now = utc_now()
    api_keys.put_api_key(
        ApiKey(
            expired_id, "old", Role.ADMIN, None, key_hash(expired), now - timedelta(days=2), "bootstrap", now
        )
    )
    assert call_api("GET", "/charge-points", token=expired)[0] == 401
    _, good = make_key("admin")
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    assert call_api("GET", "/charge-points", token=forged)[0] == 401


def test_the_authorizer_hands_the_api_its_principal_and_the_api_trusts_only_that(aws):
    from functions.operator_authorizer.handler import lambda_handler as authorize
    from tests.builders import CONTEXT, http

    api_key_id, key = make_key("viewer")
    answer = authorize(http("GET", "/me", token=key), CONTEXT)
    assert answer == {
        "isAuthorized": True,
        "context": {"principal": api_key_id, "kind": "key", "role": "viewer", "tenantId": ""},
    }
    refused = authorize(http("GET", "/me", token="nonsense"), CONTEXT)
    assert refused["context"]["principal"] == ""

    from functions.operator_api.handler import lambda_handler as api

    event = http("GET", "/me", token="whatever the gateway let through")
    event["requestContext"]["authorizer"] = {"lambda": answer["context"]}
    assert json.loads(api(event, CONTEXT)["body"])["role"] == "viewer"
    event["requestContext"]["authorizer"] = {"lambda": refused["context"]}
    assert api(event, CONTEXT)["statusCode"] == 401


# --- Cognito tokens ---------------------------------------------------------------------------

POOL = "eu-west-1_TestPool"
CLIENT = "people-client"


@pytest.fixture
def cognito(monkeypatch):
    """A user pool whose published keys are this test's, and a way to sign tokens with them."""
    from shared.aws import cognito_tokens
    from shared.services.accounts import principals
    from shared.settings import get_settings

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    jwks = {"keys": [{**public, "kid": "k1", "alg": "RS256", "use": "sig"}]}
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: jwks)
    cognito_tokens._keys.cache_clear()
    settings = dataclasses.replace(get_settings(), user_pool_id=POOL, user_pool_clients=frozenset({CLIENT}))
    monkeypatch.setattr(principals, "get_settings", lambda: settings)

    def sign(claims: dict[str, Any], key: Any = private) -> str:
        now = int(time.time())
        base = {"iss": cognito_tokens.issuer("eu-west-1", POOL), "iat": now, "exp": now + 3600}
        return jwt.encode({**base, **claims}, key, algorithm="RS256", headers={"kid": "k1"})

    yield sign
    cognito_tokens._keys.cache_clear()


def test_a_cognito_users_role_is_its_highest_group_and_its_tenant_a_group(aws, cognito):
    token = cognito(
        {
            "token_use": "access",
            "client_id": CLIENT,
            "username": "alice",
            "cognito:groups": ["viewer", "technician", "tenant:acme"],
        }
    )
    status, me = call_api("GET", "/me", token=token)
    assert (status, who(me)) == (
        200,
        {"principal": "alice", "kind": "user", "role": "technician", "tenantId": "acme"},
    )
    id_token = cognito(
        {"token_use": "id", "aud": CLIENT, "cognito:username": "bob", "cognito:groups": ["admin"]}
    )
    assert call_api("GET", "/me", token=id_token)[1]["tenantId"] == "default"
    platform = cognito(
        {"token_use": "access", "client_id": CLIENT, "username": "root", "cognito:groups": ["platform-admin"]}
    )
    assert who(call_api("GET", "/me", token=platform)[1]) == {
        "principal": "root",
        "kind": "user",
        "role": "admin",
        "tenantId": None,
    }


def test_the_machines_client_is_an_operator_of_the_default_tenant(aws, cognito):
    token = cognito({"token_use": "access", "client_id": CLIENT, "sub": CLIENT, "scope": "csms/operate"})
    assert who(call_api("GET", "/me", token=token)[1]) == {
        "principal": CLIENT,
        "kind": "user",
        "role": "operator",
        "tenantId": "default",
    }


@pytest.mark.parametrize(
    "claims",
    [
        {"token_use": "access", "client_id": "another-client", "username": "a", "cognito:groups": ["admin"]},
        {"token_use": "access", "client_id": CLIENT, "username": "a", "cognito:groups": []},
        {"token_use": "refresh", "client_id": CLIENT, "username": "a", "cognito:groups": ["admin"]},
        {"token_use": "access", "client_id": CLIENT, "username": "a", "cognito:groups": ["admin"], "exp": 1},
        {
            "token_use": "access",
            "client_id": CLIENT,
            "username": "a",
            "cognito:groups": ["admin"],
            "iss": "https://evil",
        },
    ],
)
def test_a_token_of_another_client_pool_or_use_or_expired_or_of_no_group_is_refused(aws, cognito, claims):
    assert call_api("GET", "/me", token=cognito(claims))[0] == 401


def test_a_token_signed_with_another_key_is_refused(aws, cognito):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = cognito(
        {"token_use": "access", "client_id": CLIENT, "username": "a", "cognito:groups": ["admin"]}, other
    )
    assert call_api("GET", "/me", token=token)[0] == 401


# --- API keys ---------------------------------------------------------------------------------


def test_a_key_is_shown_once_and_listed_without_it(aws):
    api_key_id, key = make_key("viewer", expiresAt="2099-01-01T00:00:00Z")
    status, page = call_api("GET", "/api-keys")
    assert status == 200 and key not in json.dumps(page)
    (listed,) = [item for item in page["items"] if item["apiKeyId"] == api_key_id]
    assert (
        listed["role"] == "viewer"
        and listed["expiresAt"].startswith("2099-01-01")
        and listed["createdBy"] == "bootstrap"
    )


def test_a_key_is_never_above_its_makers_role_nor_of_another_tenant(aws):
    assert call_api("POST", "/tenants", {"tenantId": "acme", "name": "Acme"})[0] == 201
    _, acme_admin = make_key("admin", tenantId="acme")
    _, acme_operator = make_key("operator", tenantId="acme")
    status, body = call_api("POST", "/api-keys", {"name": "x", "role": "admin"}, token=acme_operator)
    assert (status, body["error"]["message"]) == (403, "operator may not manage api keys")
    status, body = call_api(
        "POST", "/api-keys", {"name": "x", "role": "viewer", "tenantId": "default"}, token=acme_admin
    )
    assert status == 403 and "another tenant" in body["error"]["message"]
    status, body = call_api("POST", "/api-keys", {"name": "x", "role": "viewer"}, token=acme_admin)
    assert status == 201 and body["tenantId"] == "acme"
    # A tenant's admin sees only its tenant's keys, and another tenant's is unknown to it.
    default_id, _ = make_key("viewer", tenantId="default")
    listed = call_api("GET", "/api-keys", token=acme_admin)[1]["items"]
    assert {item["tenantId"] for item in listed} == {"acme"}
    assert call_api("DELETE", f"/api-keys/{default_id}", token=acme_admin)[0] == 404


def test_a_key_for_a_tenant_that_is_not_or_expired_already_is_a_400(aws):
    status, body = call_api("POST", "/api-keys", {"name": "x", "role": "viewer", "tenantId": "nobody"})
    assert status == 400 and "tenantId" in body["error"]["message"]
    status, body = call_api(
        "POST", "/api-keys", {"name": "x", "role": "viewer", "expiresAt": "2020-01-01T00:00:00Z"}
    )
    assert status == 400 and "expiresAt" in body["error"]["message"]
    assert call_api("POST", "/api-keys", {"name": "x", "role": "root"})[0] == 400
    assert call_api("DELETE", "/api-keys/unknown")[0] == 404


# --- Tenants ----------------------------------------------------------------------------------


def test_tenants_are_the_platform_admins_to_make_once(aws):
    assert call_api("POST", "/tenants", {"tenantId": "acme", "name": "Acme Estates"})[0] == 201
    status, body = call_api("POST", "/tenants", {"tenantId": "acme", "name": "Again"})
    assert status == 409 and body["error"]["code"] == "Conflict"
    assert call_api("POST", "/tenants", {"tenantId": "default", "name": "Mine"})[0] == 409
    assert call_api("POST", "/tenants", {"tenantId": "Not A Slug", "name": "x"})[0] == 400
    items = call_api("GET", "/tenants")[1]["items"]
    assert [item["tenantId"] for item in items] == ["default", "acme"]
    _, tenant_admin = make_key("admin", tenantId="acme")
    status, body = call_api("POST", "/tenants", {"tenantId": "b", "name": "B"}, token=tenant_admin)
    assert (status, body["error"]["message"]) == (403, "admin may not manage tenants")


# --- The audit trail --------------------------------------------------------------------------


def test_every_change_and_refusal_is_in_the_audit_once_with_its_principal(aws):
    technician_id, technician = make_key("technician")
    call_api("PUT", "/id-tokens/TAG1", {"status": "Accepted"})
    call_api("DELETE", "/id-tokens/TAG1", token=technician)
    call_api("GET", "/charge-points", token="wrong-token")
    call_api("GET", "/charge-points", token=technician)  # a read let in: not kept
    status, page = call_api("GET", "/audit")
    assert status == 200
    seen = [(e["method"], e["path"], e["principal"], e["status"]) for e in page["items"]]
    assert seen == [
        ("GET", "/charge-points", "anonymous", 401),
        ("DELETE", "/id-tokens/TAG1", technician_id, 403),
        ("PUT", "/id-tokens/TAG1", "bootstrap", 201),
        ("POST", "/api-keys", "bootstrap", 201),
    ]
    put = page["items"][2]
    assert put["resource"] == "TAG1" and put["role"] == "admin" and put["kind"] == "token"
    assert put["requestId"] and put["sourceIp"]
    assert technician not in json.dumps(page) and "Accepted" not in json.dumps(page)


def test_the_audit_filters_by_principal_resource_and_time_and_pages(aws):
    technician_id, technician = make_key("technician")
    for n in range(5):
        call_api("PUT", f"/id-tokens/T{n}", {"status": "Accepted"}, token=technician)
    by_principal = call_api("GET", "/audit", query=f"principal={technician_id}")[1]["items"]
    assert len(by_principal) == 5 and all(e["status"] == 403 for e in by_principal)
    assert [e["resource"] for e in call_api("GET", "/audit", query="resource=T3")[1]["items"]] == ["T3"]
    later = format_timestamp(utc_now() + timedelta(hours=1))
    assert call_api("GET", "/audit", query=f"from={later}&to={later}")[1]["items"] == []
    assert call_api("GET", "/audit", query=f"from={later}")[0] == 400  # after to, which is now
    seen, token = [], None
    while True:
        query = "limit=2" + (f"&nextToken={token}" if token else "")
        status, page = call_api("GET", "/audit", query=query)
        assert status == 200 and len(page["items"]) <= 2
        seen += page["items"]
        token = page["nextToken"]
        if not token:
            break
    assert len(seen) == 6 and seen == sorted(seen, key=lambda e: e["at"], reverse=True)
    assert call_api("GET", "/audit", query="nextToken=bogus")[0] == 400
    assert call_api("GET", "/audit", query="from=2026-01-01T00:00:00")[0] == 400


def test_the_audit_reads_back_to_a_year_before_1000_and_finds_nothing_there(aws):
    """A year of three digits once read as `435-` and failed with a 500."""
    make_key("viewer")
    status, page = call_api("GET", "/audit", query="from=0435-06-01T00:00:00Z&limit=1")
    assert status == 200 and len(page["items"]) == 1
    status, page = call_api("GET", "/audit", query="from=0435-06-01T00:00:00Z&to=0436-01-01T00:00:00Z")
    assert (status, page["items"]) == (200, [])


def test_a_tenants_admin_reads_its_tenants_audit_only(aws):
    assert call_api("POST", "/tenants", {"tenantId": "acme", "name": "Acme"})[0] == 201
    acme_id, acme_admin = make_key("admin", tenantId="acme")
    call_api("PUT", "/id-tokens/A1", {"status": "Accepted"}, token=acme_admin)
    call_api("PUT", "/id-tokens/B1", {"status": "Accepted"})
    items = call_api("GET", "/audit", token=acme_admin)[1]["items"]
    assert [(e["principal"], e["resource"]) for e in items] == [(acme_id, "A1")]


def test_a_failed_audit_write_is_counted_and_the_answer_stands(aws, monkeypatch):
    from shared.data import audit

    def broken(entry: Any) -> None:
        raise RuntimeError("throttled")

    monkeypatch.setattr(audit, "record_entry", broken)
    assert call_api("PUT", "/id-tokens/TAG1", {"status": "Accepted"})[0] == 201


def test_a_sign_in_is_kept_in_the_audit(aws):
    from functions.sign_ins.handler import lambda_handler as signed_in
    from tests.builders import CONTEXT

    event = {
        "userPoolId": "eu-west-1_TestPool",
        "userName": "alice",
        "request": {"userAttributes": {"custom:tenantId": "acme", "email": "alice@example.com"}},
        "response": {},
    }
    assert signed_in(event, CONTEXT) == event
    [entry] = call_api("GET", "/audit", query="principal=alice")[1]["items"]
    assert (entry["method"], entry["tenantId"], entry["kind"], entry["status"]) == (
        "SIGN-IN",
        "acme",
        "user",
        200,
    )
    assert "alice@example.com" not in json.dumps(entry)


@pytest.fixture
def audit_export(aws):
    """The audit export's Firehose stream in moto: the records put into it, decoded."""
    import boto3

    from shared.aws import clients, exports
    from shared.settings import get_settings

    settings = get_settings()
    boto3.client("s3", region_name=settings.region).create_bucket(
        Bucket="exports", CreateBucketConfiguration={"LocationConstraint": settings.region}
    )
    boto3.client("firehose", region_name=settings.region).create_delivery_stream(
        DeliveryStreamName=settings.audit_export_stream,
        ExtendedS3DestinationConfiguration={
            "BucketARN": "arn:aws:s3:::exports",
            "RoleARN": "arn:aws:iam::123456789012:role/firehose",
        },
    )
    put: list[dict[str, Any]] = []

    def on_put(params: dict[str, Any], **_: Any) -> None:
        assert params["DeliveryStreamName"] == settings.audit_export_stream
        put.extend(json.loads(record["Data"]) for record in params["Records"])

    exports._client.cache_clear()
    clients.session().register("provide-client-params.firehose.PutRecordBatch", on_put)
    yield put
    clients.session().unregister("provide-client-params.firehose.PutRecordBatch", on_put)


def test_each_entry_the_trail_keeps_is_exported_as_get_audit_shows_it(audit_export):
    from functions.audit_export.handler import lambda_handler as export
    from local.runtime.streams import TableStream
    from shared.settings import get_settings
    from tests.builders import CONTEXT

    assert call_api("POST", "/tenants", {"tenantId": "acme", "name": "Acme"})[0] == 201
    _, acme_admin = make_key("admin", tenantId="acme")
    call_api("PUT", "/id-tokens/A1", {"status": "Accepted"}, token=acme_admin)
    stream = TableStream(get_settings().table("audit"))
    records, after = stream.new_items()  # what the event source mapping hands the function
    assert export({"Records": records}, CONTEXT) == {"exported": 3}
    stream.taken(after)
    shown = call_api("GET", "/audit")[1]["items"][::-1]  # oldest first: each once, as it was kept
    # Times to the millisecond, as in every export (and the trail's own keys)
    at = [format_timestamp(datetime.fromisoformat(entry["at"])) for entry in shown]
    assert audit_export == [{**entry, "at": time} for entry, time in zip(shown, at, strict=True)]
    assert audit_export[-1]["tenantId"] == "acme" and audit_export[-1]["resource"] == "A1"
    assert stream.new_items()[0] == []  # nothing new: nothing handed again
