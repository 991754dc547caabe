"""Throttle records: failed handshakes counted per window, so that guessing passwords costs the
guesser time instead of costing the CSMS a password check each."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import NumberAttribute, TTLAttribute, UnicodeAttribute
from pynamodb.models import Model

from shared.data.tables import OnDemand


class ThrottleRecord(Model):
    """Failed handshakes counted per window, by identity and address and by address alone:
    transient, gone when its window is (TTL)."""

    class Meta(OnDemand, table="throttles"): ...

    key = UnicodeAttribute(hash_key=True)
    failures = NumberAttribute(default=0)
    expires_at = TTLAttribute()


def failures_of(keys: list[str]) -> dict[str, int]:
    """1 batch read: the failures counted under each key (absent: none)."""
    return {record.key: int(record.failures) for record in ThrottleRecord.batch_get(keys)}


def count_failure(keys: list[str], until: datetime) -> None:
    """1 write per key: one more failure, counted until the window ends."""
    for key in keys:
        ThrottleRecord(key).update(
            actions=[ThrottleRecord.failures.add(1), ThrottleRecord.expires_at.set(until)]
        )
