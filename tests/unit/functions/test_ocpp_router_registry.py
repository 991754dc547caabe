"""The dispatch table: every handler is registered under an action its versions really have,
in the direction a charge point sends it (action names are strings: docs/decisions/0012)."""

from functions.ocpp_router.registry import implemented
from shared.protocol.versions import PROFILES


def test_every_registered_action_is_one_its_version_lets_a_charge_point_send():
    for version, profile in PROFILES.items():
        handled = set(implemented(version))
        assert handled, version
        assert handled <= profile.from_charge_point, (version, handled - profile.from_charge_point)


def test_the_core_messages_are_handled_in_every_version():
    core = {"Authorize", "BootNotification", "Heartbeat", "MeterValues", "StatusNotification"}
    for version in PROFILES:
        assert core <= set(implemented(version)), version


def test_each_action_module_registers_the_action_it_is_listed_under():
    from functions.ocpp_router.actions import MODULES, load_all
    from functions.ocpp_router.registry import _TABLE

    load_all()
    registered = {action for (_, action) in _TABLE}
    assert registered == set(MODULES)
    for action, module in MODULES.items():
        handlers = {h for (_, a), h in _TABLE.items() if a == action}
        assert {h.__module__ for h in handlers} == {f"functions.ocpp_router.actions.{module}"}, action
