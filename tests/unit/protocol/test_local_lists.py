import pytest

from shared.protocol.local_lists import local_lists_codec
from shared.protocol.versions import profile_for
from tests.unit.protocol.wire import answered


@pytest.mark.parametrize(
    ("version", "sent", "read"),
    [
        ("1.6", {"listVersion": 7, "updateType": "Full"}, {"listVersion": 9}),
        ("2.0.1", {"versionNumber": 7, "updateType": "Full"}, {"versionNumber": 9}),
        ("2.1", {"versionNumber": 7, "updateType": "Full"}, {"versionNumber": 9}),
    ],
)
def test_the_local_list_version_is_read_in_each_versions_own_words(version, sent, read):
    codec = local_lists_codec(profile_for(version))
    accepted = answered(version, "SendLocalList", sent, {"status": "Accepted"})
    assert codec.local_list_version(accepted, {"status": "Accepted"}) == 7
    failed = answered(version, "SendLocalList", sent, {"status": "Failed"})
    assert codec.local_list_version(failed, {"status": "Failed"}) is None
    asked = answered(version, "GetLocalListVersion", {}, read)
    assert codec.local_list_version(asked, read) == 9
