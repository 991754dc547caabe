import pytest

from shared.protocol.reservations import reservations_codec
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import T0, answered, valid


@pytest.mark.parametrize("version", ["1.6", "2.0.1", "2.1"])
def test_reservations_are_each_versions_calls_and_answers_name_them(version):
    from shared.domain.reservations import Reservation, ReservationState

    reservation = Reservation(
        41,
        "CP1",
        "TAG1",
        T0,
        ReservationState.PENDING,
        T0,
        T0,
        connector_id=2,
        evse_id=2,
        parent_id_token="GROUP",
    )
    action, payload = valid(version, reservations_codec(profile_for(version)).reserve(reservation))
    cancel_action, cancel = valid(version, reservations_codec(profile_for(version)).cancel_reservation(41))
    assert (action, cancel_action, cancel) == ("ReserveNow", "CancelReservation", {"reservationId": 41})
    id_field = "reservationId" if version == "1.6" else "id"
    assert payload[id_field] == 41
    answer = answered(version, "ReserveNow", payload, {"status": "Occupied"})
    assert reservations_codec(profile_for(version)).reservation_answer(answer, {"status": "Occupied"}) == (
        41,
        "Occupied",
    )
    if version == "1.6":
        assert payload["connectorId"] == 2 and payload["parentIdTag"] == "GROUP"
    else:
        assert payload["evseId"] == 2 and payload["groupIdToken"]["idToken"] == "GROUP"
