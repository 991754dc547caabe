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


def test_each_action_module_registers_the_action_it_is_named_after():
    from functions.ocpp_router.actions import load_all, module_name, modules
    from functions.ocpp_router.registry import _TABLE

    load_all()
    registered = {action for (_, action) in _TABLE}
    assert {module_name(action) for action in registered} == set(modules())
    for action in registered:
        handlers = {h for (_, a), h in _TABLE.items() if a == action}
        expected = f"functions.ocpp_router.actions.{modules()[module_name(action)]}"
        assert {h.__module__ for h in handlers} == {expected}, action


def test_action_names_become_module_names_word_by_word():
    from functions.ocpp_router.actions import module_name

    assert module_name("Get15118EVCertificate") == "get_15118_ev_certificate"
    assert module_name("NotifyEVChargingNeeds") == "notify_ev_charging_needs"
    assert module_name("NotifyDERAlarm") == "notify_der_alarm"
    assert module_name("Heartbeat") == "heartbeat"
