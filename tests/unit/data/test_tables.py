"""Tables are declared by the records of the data modules that own them, and those modules
are listed in one place: the stack, the local runtime and the tests make every table from it."""

import pkgutil
from importlib import import_module

import shared.data
from shared.data.tables import ALL_TABLE_MODULES, all_records, records_of, suffix_of
from shared.settings import Settings, get_settings, table_variable


def _data_modules() -> list[str]:
    return [
        found.name.removeprefix("shared.data.")
        for found in pkgutil.walk_packages(shared.data.__path__, "shared.data.")
        if not found.ispkg
    ]


def test_the_modules_that_declare_records_are_the_listed_ones():
    declaring = [name for name in _data_modules() if records_of(import_module(f"shared.data.{name}"))]
    assert sorted(declaring) == sorted(ALL_TABLE_MODULES)
    assert len(set(ALL_TABLE_MODULES)) == len(ALL_TABLE_MODULES)


def test_each_record_declares_a_table_of_its_own():
    records = all_records()
    suffixes = [suffix_of(record) for record in records]
    assert len(set(suffixes)) == len(suffixes)
    for record in records:
        assert record.Meta.table_name == get_settings().table(suffix_of(record)), record.__name__


def test_a_table_is_named_by_its_variable_or_else_by_the_prefix_and_its_declared_name():
    assert table_variable("charge-points") == "CSMS_CHARGE_POINTS_TABLE"
    assert table_variable("ocsp-responses") == "CSMS_OCSP_RESPONSES_TABLE"
    settings = Settings.from_env({"CSMS_TABLE_PREFIX": "dev-", "CSMS_CHARGE_POINTS_TABLE": "Csms-Points-1"})
    assert settings.table("charge-points") == "Csms-Points-1"
    assert settings.table("session-events") == "dev-session-events"
    assert Settings.from_env({}).table("counters") == "csms-counters"
