"""The dispatch table: every handler is registered under an action its versions really have,
in the direction a charge point sends it (action names are strings: docs/decisions/0012)."""

from functions.ocpp_router import actions  # noqa: F401  (fills the dispatch table)
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
