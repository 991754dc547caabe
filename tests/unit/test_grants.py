"""The use cases' declarations of the tables they touch (shared/grants.py): each names real
tables and indexes, each function hosts use cases that exist, and docs/access.md is what they
generate."""

import pkgutil
from importlib import import_module

import pytest

import shared.services
from local.tools import access_table
from shared.data.tables import all_records, suffix_of
from shared.grants import NONE, declared, granted
from shared.manifest import ALL_FUNCTIONS, FTP_FUNCTIONS, SIGN_INS

KNOWN = {suffix_of(record) for record in all_records()}
INDEXES = {
    f"{suffix_of(record)}/{index.Meta.index_name}"
    for record in all_records()
    for index in record._indexes.values()
}
DECLARING = [
    info.name
    for info in pkgutil.walk_packages(shared.services.__path__, "shared.services.")
    if hasattr(import_module(info.name), "GRANTS")
]


@pytest.mark.parametrize("module", DECLARING)
def test_each_declaration_names_tables_and_indexes_that_exist(module):
    declaration = import_module(module).GRANTS
    assert declaration.reads | declaration.writes | declaration.appends <= KNOWN
    assert declaration.indexes <= INDEXES


@pytest.mark.parametrize("function", (*ALL_FUNCTIONS, *FTP_FUNCTIONS), ids=lambda f: f.name)
def test_every_use_case_a_function_hosts_declares_something(function):
    for use in function.uses:
        assert declared(use) != NONE, use


@pytest.mark.parametrize("function", (*ALL_FUNCTIONS, *FTP_FUNCTIONS), ids=lambda f: f.name)
def test_a_function_that_publishes_events_may_read_whose_they_are(function):
    """Every event is published through domain_events, which reads the tenant it adds."""
    grants = granted(function.uses)
    assert not grants.bus or declared("domain_events").reads <= grants.reads


def test_a_package_stands_for_the_union_of_its_modules():
    from shared.services.security import handshake, passwords, security_profiles

    assert declared("security") == handshake.GRANTS | passwords.GRANTS | security_profiles.GRANTS


def test_the_audit_trail_is_put_by_sign_ins_and_read_only_where_it_is_listed():
    assert granted(SIGN_INS.uses).appends == {"audit"}
    assert not granted(SIGN_INS.uses).touched() - {"audit"}
    assert "audit" not in granted(SIGN_INS.uses).reads


def test_docs_access_is_what_the_declarations_generate():
    assert access_table.PATH.read_text() == access_table.generate(), "run make access"
