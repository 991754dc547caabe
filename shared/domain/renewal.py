"""When the CSMS closes a connection itself (decision 0026). API Gateway cuts every connection
two hours after it opened, so stations that reconnected together after an outage would be cut
together again, and again two hours later. Each connection gets a moment of its own, spread
evenly over a window before the cut and drawn from its id, so that no state is kept for it."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta


def renewal_moment(connection_id: str, connected_at: datetime, after_s: int, spread_s: int) -> datetime:
    share = int.from_bytes(hashlib.sha256(connection_id.encode()).digest()[:8], "big") / 2**64
    return connected_at + timedelta(seconds=after_s + share * spread_s)


def renewal_due(
    connection_id: str, connected_at: datetime | None, now: datetime, after_s: int, spread_s: int
) -> bool:
    """Whether the connection is past its moment (never, when renewal is off or the opening
    time is not known)."""
    if after_s <= 0 or connected_at is None or now < connected_at + timedelta(seconds=after_s):
        return False  # every message of a young connection stops here, without hashing
    return now >= renewal_moment(connection_id, connected_at, after_s, spread_s)
