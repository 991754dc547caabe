"""Throttle records: failed handshakes counted per window, so that guessing passwords costs the
guesser time instead of costing the CSMS a password check each."""

from __future__ import annotations

from datetime import datetime

from shared.data.models import ThrottleRecord


def failures_of(keys: list[str]) -> dict[str, int]:
    """1 batch read: the failures counted under each key (absent: none)."""
    return {record.key: int(record.failures) for record in ThrottleRecord.batch_get(keys)}


def count_failure(keys: list[str], until: datetime) -> None:
    """1 write per key: one more failure, counted until the window ends."""
    for key in keys:
        ThrottleRecord(key).update(
            actions=[ThrottleRecord.failures.add(1), ThrottleRecord.expires_at.set(until)]
        )
