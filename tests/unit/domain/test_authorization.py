"""The authorization rules, the same for every message and version."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.authorization import AuthorizationStatus as S
from shared.domain.authorization import IdToken, TokenEntry, authorize

NOW = datetime(2026, 11, 24, tzinfo=UTC)
PAST, FUTURE = NOW - timedelta(seconds=1), NOW + timedelta(days=1)


@pytest.mark.parametrize(
    ("token", "entry", "expected"),
    [
        (IdToken("A"), None, S.INVALID),
        (IdToken("A"), TokenEntry("A", S.ACCEPTED), S.ACCEPTED),
        (IdToken("A"), TokenEntry("A", S.ACCEPTED, expiry_date=FUTURE), S.ACCEPTED),
        (IdToken("A"), TokenEntry("A", S.ACCEPTED, expiry_date=PAST), S.EXPIRED),
        (IdToken("A"), TokenEntry("A", S.ACCEPTED, expiry_date=NOW), S.EXPIRED),
        (IdToken("A"), TokenEntry("A", S.BLOCKED, expiry_date=PAST), S.BLOCKED),
        (IdToken("A"), TokenEntry("A", S.INVALID), S.INVALID),
        (IdToken("A", "ISO14443"), TokenEntry("A", S.ACCEPTED, token_type="ISO14443"), S.ACCEPTED),
        (IdToken("A", "KeyCode"), TokenEntry("A", S.ACCEPTED, token_type="ISO14443"), S.INVALID),
        (IdToken("A", "KeyCode"), TokenEntry("A", S.ACCEPTED), S.ACCEPTED),
        (IdToken("A"), TokenEntry("A", S.ACCEPTED, token_type="ISO14443"), S.ACCEPTED),  # 1.6 has no types
        (IdToken("", "NoAuthorization"), None, S.ACCEPTED),
    ],
)
def test_status(token, entry, expected):
    assert authorize(token, entry, NOW).status is expected


def test_an_accepted_answer_carries_the_expiry_and_group():
    answer = authorize(
        IdToken("A"), TokenEntry("A", S.ACCEPTED, expiry_date=FUTURE, parent_id_token="G"), NOW
    )
    assert (answer.expiry_date, answer.parent_id_token, answer.accepted) == (FUTURE, "G", True)
