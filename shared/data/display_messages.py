"""Display message records: what each charge point shows drivers, as far as the CSMS knows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import JSONAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.models import Model

from shared.data.tables import OnDemand
from shared.domain.display_messages import KnownMessage


class DisplayMessageRecord(Model):
    """A display message a charge point has: set by the CSMS and accepted, or reported by it."""

    class Meta(OnDemand, table="display-messages"): ...

    charge_point_id = UnicodeAttribute(hash_key=True)
    message_id = NumberAttribute(range_key=True)
    info = JSONAttribute()  # the version's MessageInfo
    source = UnicodeAttribute()
    updated_at = UTCDateTimeAttribute()


def put_messages(
    charge_point_id: str, messages: list[tuple[int, dict[str, Any]]], source: str, at: datetime
) -> None:
    """A batch write; a message id named twice keeps its last info."""
    latest = dict(messages)
    with DisplayMessageRecord.batch_write() as batch:
        for message_id, info in latest.items():
            batch.save(
                DisplayMessageRecord(charge_point_id, message_id, info=info, source=source, updated_at=at)
            )


def delete_message(charge_point_id: str, message_id: int) -> None:
    """1 write."""
    DisplayMessageRecord(charge_point_id, message_id).delete()


def messages_of(charge_point_id: str) -> list[KnownMessage]:
    """1 query."""
    return [
        KnownMessage(int(r.message_id), r.info, r.source, r.updated_at)
        for r in DisplayMessageRecord.query(charge_point_id)
    ]
