from shared.protocol.security import security_codec
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import T0


def test_a_security_event_is_keyed_by_its_time_and_type_and_flagged_when_critical():
    payload = {"type": "TamperDetectionActivated", "timestamp": "2026-11-24T12:00:00+02:00"}
    event = security_codec(profile_for("2.1")).security_event(payload, T0)
    assert event.sort == "2026-11-24T10:00:00.000Z#TamperDetectionActivated" and event.critical
    calm = {**payload, "type": "InvalidMessages"}
    assert security_codec(profile_for("1.6")).security_event(calm, T0).critical is False
