from datetime import UTC, datetime, timedelta

from shared.domain.commands import Command, CommandStatus
from shared.domain.remote_control import remote_start_of, session_begun_by
from shared.domain.transactions import SessionSummary
from shared.protocol.remote_control import remote_control_codec
from shared.protocol.versions import profile_for

T0 = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def session(transaction_id, started_at, id_token="TAG1", connector_id=1, remote_start_id=None):
    return SessionSummary(
        transaction_id=transaction_id,
        charge_point_id="CP1",
        ocpp_version="1.6",
        evse_id=None,
        connector_id=connector_id,
        id_token=id_token,
        id_token_type=None,
        started_at=started_at,
        stopped_at=None,
        meter_start_wh=0,
        meter_stop_wh=None,
        energy_wh=None,
        stop_reason=None,
        active=True,
        remote_start_id=remote_start_id,
    )


def remote_start(version, command_id, action, payload, response, at=T0):
    """A remote start as the version's codec reads it from the stored command and answer."""
    status = CommandStatus.COMPLETED if response else CommandStatus.PENDING
    command = Command(command_id, "CP1", version, action, payload, status, at, 30, response=response)
    return remote_control_codec(profile_for(version)).remote_start_of(command)


def v16(command_id="c1", at=T0, connector_id=None, status="Accepted"):
    payload = {"idTag": "TAG1", **({"connectorId": connector_id} if connector_id else {})}
    return remote_start("1.6", command_id, "RemoteStartTransaction", payload, {"status": status}, at)


def v2(remote_start_id=7, response=None):
    payload = {"idToken": {"idToken": "TAG1", "type": "Central"}, "remoteStartId": remote_start_id}
    return remote_start("2.0.1", "c2", "RequestStartTransaction", payload, response or {"status": "Accepted"})


def test_only_accepted_remote_starts_count():
    assert v16(status="Rejected") is None
    assert remote_start("1.6", "c", "Reset", {"type": "Soft"}, {"status": "Accepted"}) is None
    assert remote_start("1.6", "c", "RemoteStartTransaction", {"idTag": "TAG1"}, None) is None


def test_16_the_first_session_of_the_tag_soon_after():
    too_early = session("1", T0 - timedelta(minutes=5))
    other_tag = session("2", T0 + timedelta(seconds=30), id_token="TAG2")
    begun = session("3", T0 + timedelta(minutes=2))
    later = session("4", T0 + timedelta(minutes=4))
    too_late = session("5", T0 + timedelta(minutes=11))
    sessions = [too_late, later, begun, other_tag, too_early]
    assert session_begun_by(v16(), sessions) == begun
    assert session_begun_by(v16(), [too_early, too_late, other_tag]) is None


def test_16_a_start_may_overtake_the_answer_but_not_by_much():
    assert v16().began(session("1", T0 - timedelta(seconds=30)))
    assert not v16().began(session("1", T0 - timedelta(seconds=90)))


def test_16_the_connector_when_the_command_named_one():
    assert not v16(connector_id=2).began(session("1", T0, connector_id=1))
    assert v16(connector_id=2).began(session("1", T0, connector_id=2))
    assert v16().began(session("1", T0, connector_id=2))


def test_16_of_two_remote_starts_the_latest_before_the_session_began_it():
    first, second = v16("a", T0), v16("b", T0 + timedelta(minutes=1))
    begun = session("1", T0 + timedelta(minutes=2))
    assert remote_start_of(begun, [first, second]) == second
    assert remote_start_of(session("1", T0 + timedelta(minutes=20)), [first, second]) is None


def test_2x_by_remote_start_id_whatever_the_time():
    remote = v2(remote_start_id=7)
    assert remote.began(session("A", T0 + timedelta(hours=1), remote_start_id=7))
    assert not remote.began(session("B", T0, remote_start_id=8))
    assert not remote.began(session("C", T0))  # the same tag, but not started by this request


def test_2x_an_answer_naming_a_session_already_under_way():
    remote = v2(response={"status": "Accepted", "transactionId": "A"})
    assert remote.began(session("A", T0 - timedelta(minutes=30)))
    assert not remote.began(session("B", T0, remote_start_id=7))
