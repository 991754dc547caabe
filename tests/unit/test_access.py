"""The use cases' declarations of the tables they touch (shared/access.py): each names real
tables and indexes, each function hosts use cases that exist, and docs/access.md is what they
generate."""

import pkgutil
from importlib import import_module

import pytest

import shared.services
from local.tools import access_table
from shared.access import declared, granted
from shared.data.tables import all_records, suffix_of
from shared.manifest import ALL_FUNCTIONS, FTP_FUNCTIONS, SIGN_INS

TABLES = {suffix_of(record) for record in all_records()}
INDEXES = {
    f"{suffix_of(record)}/{index.Meta.index_name}"
    for record in all_records()
    for index in record._indexes.values()
}
DECLARING = [
    info.name
    for info in pkgutil.walk_packages(shared.services.__path__, "shared.services.")
    if hasattr(import_module(info.name), "ACCESS")
]


@pytest.mark.parametrize("module", DECLARING)
def test_each_declaration_names_tables_and_indexes_that_exist(module):
    access = import_module(module).ACCESS
    assert access.reads | access.writes | access.appends <= TABLES
    assert access.indexes <= INDEXES


@pytest.mark.parametrize("function", (*ALL_FUNCTIONS, *FTP_FUNCTIONS), ids=lambda f: f.name)
def test_every_function_hosts_use_cases_that_declare_something(function):
    assert function.uses
    for use in function.uses:
        assert declared(use).tables(), use


def test_a_package_stands_for_the_union_of_its_modules():
    from shared.services.security import handshake, passwords, security_profiles

    assert declared("security") == handshake.ACCESS | passwords.ACCESS | security_profiles.ACCESS


def test_the_audit_trail_is_put_by_sign_ins_and_read_only_where_it_is_listed():
    assert granted(SIGN_INS.uses).appends == {"audit"}
    assert not granted(SIGN_INS.uses).tables() - {"audit"}
    assert "audit" not in granted(SIGN_INS.uses).reads


def test_docs_access_is_what_the_declarations_generate():
    assert access_table.PATH.read_text() == access_table.generate(), "run make access"
