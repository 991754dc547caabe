"""Roles and permissions, keys' shape, what the audit trail keeps: the rules, without AWS."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.domain.accounts import (
    OPERATOR_ROLES,
    ROLE_PERMISSIONS,
    ApiKey,
    Permission,
    Principal,
    Role,
    audited,
    key_hash,
    key_id_of,
    key_matches,
    new_key,
    refusal,
    resource_of,
)

DOCS = Path(__file__).resolve().parents[3] / "docs" / "accounts.md"
NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


def docs_table() -> dict[str, dict[str, bool]]:
    section = DOCS.read_text().split("## Roles", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    header, *body = rows
    columns = [cell.strip() for cell in header.strip("|").split("|")][1:]
    return {
        cells[0]: dict(zip(columns, (cell == "yes" for cell in cells[1:]), strict=True))
        for cells in ([cell.strip() for cell in row.strip("|").split("|")] for row in body)
    }


def test_the_role_table_in_the_docs_is_the_codes():
    principals = {role.value: Principal("p", "key", role, "acme") for role in Role}
    principals["platform admin"] = Principal("bootstrap", "token", Role.ADMIN, None)
    documented = docs_table()
    assert set(documented) == {permission.value for permission in Permission}
    for permission in Permission:
        for column, principal in principals.items():
            assert documented[permission.value][column] == principal.may(permission), (permission, column)


def test_each_role_holds_what_the_one_below_holds_and_every_operator_reads():
    ranked = sorted(OPERATOR_ROLES, key=lambda role: role.rank)
    for lower, higher in itertools.pairwise(ranked):
        assert ROLE_PERMISSIONS[lower] < ROLE_PERMISSIONS[higher]
    assert all(Permission.READ in ROLE_PERMISSIONS[role] for role in OPERATOR_ROLES)


def test_a_driver_holds_its_own_account_and_nothing_of_the_operators():
    driver = Principal("d-1", "key", Role.DRIVER, "acme")
    assert {permission for permission in Permission if driver.may(permission)} == {
        Permission.ME,
        Permission.DRIVER_ACCOUNT,
    }
    assert not any(
        Principal("a", "key", role, None).may(Permission.DRIVER_ACCOUNT) for role in OPERATOR_ROLES
    )
    assert Role.DRIVER.rank < Role.VIEWER.rank


def test_only_an_admin_of_no_tenant_manages_tenants():
    assert Principal("bootstrap", "token", Role.ADMIN, None).may(Permission.TENANTS)
    assert not Principal("a", "user", Role.ADMIN, "default").may(Permission.TENANTS)
    assert not Principal("v", "key", Role.VIEWER, None).may(Permission.TENANTS)


def test_a_refusal_names_the_role_and_what_it_may_not_do():
    viewer = Principal("k", "key", Role.VIEWER, "default")
    assert refusal(viewer, Permission.COMMANDS) == "viewer may not send commands"


def test_a_key_names_its_id_and_only_its_hash_proves_it():
    api_key_id, key = new_key()
    assert key_id_of(key) == api_key_id and api_key_id not in key.split("_", 2)[2]
    assert key_matches(key, key_hash(key))
    assert not key_matches(key[:-1] + ("A" if key[-1] != "A" else "B"), key_hash(key))
    for other in (
        "",
        "csk_",
        "test-token-0123456789abcdef",
        "eyJhbGciOi.x.y",
        key + "x",
        f"csk_{api_key_id}_short",
    ):
        assert key_id_of(other) is None


@pytest.mark.parametrize(
    ("expires", "revoked", "valid"),
    [(None, None, True), (NOW + timedelta(seconds=1), None, True), (NOW, None, False), (None, NOW, False)],
)
def test_a_key_is_valid_until_it_expires_or_is_revoked(expires, revoked, valid):
    key = ApiKey("id", "n", Role.VIEWER, None, "h", NOW - timedelta(days=1), "bootstrap", expires, revoked)
    assert key.valid_at(NOW) is valid


@pytest.mark.parametrize(
    ("method", "status", "kept"),
    [
        ("GET", 200, False),
        ("GET", 404, False),
        ("GET", 401, True),
        ("GET", 403, True),
        ("POST", 202, True),
        ("put", 400, True),
        ("DELETE", 204, True),
        ("PATCH", 500, True),
    ],
)
def test_changes_and_refusals_are_kept_and_reads_let_in_are_not(method, status, kept):
    assert audited(method, status) is kept


def test_the_resource_is_the_ids_the_path_names():
    assert resource_of("/charge-points/<charge_point_id>/reset", "/charge-points/CP1/reset") == "CP1"
    assert (
        resource_of(
            "/charge-points/<charge_point_id>/certificates/<serial>/revoke",
            "/charge-points/CP1/certificates/AB/revoke",
        )
        == "CP1/AB"
    )
    assert resource_of("/api-keys", "/api-keys") == ""
    assert resource_of(None, "/charge-points/CP9/reset") == "CP9/reset"
