"""What charge points report about sessions over time, one item per message in a stream: a
session's meter values and transaction events, and values sampled outside a session. A resent
message lands on the item its first copy wrote."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.exceptions import PutError
from pynamodb.models import Model

from shared.data.dynamo import CompactJSON, condition_failed
from shared.data.tables import OnDemand
from shared.domain.meter_values import MeterValue, MeterValuesReport, from_json, to_json, to_stored_json
from shared.domain.timestamps import format_timestamp
from shared.domain.transactions import EventKind, SessionEvent


class SessionEventRecord(Model):
    """What a charge point reported over time, one item per message: meter values (OCPP 1.6
    MeterValues and StopTransaction's transactionData) and OCPP 2.x TransactionEvents.

    The stream is a session (`tx/<charge point>/<transaction>`) or, for values sampled outside
    a session, a connector. The position orders a stream and makes a resent message land on
    the item it wrote the first time: the seqNo in 2.x, the timestamp and content in 1.6.
    """

    class Meta(OnDemand, table="session-events"): ...

    stream = UnicodeAttribute(hash_key=True)
    position = UnicodeAttribute(range_key=True)
    kind = UnicodeAttribute()  # MeterValues, StopTransaction, Started, Updated, Ended
    timestamp = UTCDateTimeAttribute()
    seq_no = NumberAttribute(null=True)
    trigger_reason = UnicodeAttribute(null=True)
    charging_state = UnicodeAttribute(null=True)
    offline = BooleanAttribute(default=False)
    meter_values = CompactJSON(null=True)  # normalised: see shared.domain.meter_values
    received_at = UTCDateTimeAttribute()


def session_stream(charge_point_id: str, transaction_id: str) -> str:
    return f"tx/{charge_point_id}/{transaction_id}"


def unmatched_stream(charge_point_id: str, transaction_id: str) -> str:
    """Where messages naming a transaction id the charge point was never given are kept."""
    return f"unmatched/{charge_point_id}/{transaction_id}"


def meter_stream(charge_point_id: str, report: MeterValuesReport) -> str:
    """Where values sampled outside a session go: per connector (1.6) or EVSE (2.x)."""
    if report.transaction_id is not None:
        return session_stream(charge_point_id, report.transaction_id)
    place = f"evse/{report.evse_id}" if report.evse_id is not None else f"connector/{report.connector_id}"
    return f"meter/{charge_point_id}/{place}"


def _position(event: SessionEvent) -> str:
    """Where an event sits in its stream, the same for every copy of one message. The digest is
    of the full form (`to_json`), not the stored one, so that a copy resent after a change to
    what is stored still finds the item its first copy wrote."""
    if event.seq_no is not None:
        return f"seq/{event.seq_no:012d}"
    content = json.dumps([event.kind, to_json(event.meter_values)], sort_keys=True)
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    return f"at/{format_timestamp(event.timestamp)}/{digest}"


def record_event(stream: str, event: SessionEvent, at: datetime) -> bool:
    """1 write. False when this message was stored before (a resend): nothing changes."""
    record = SessionEventRecord(
        stream,
        _position(event),
        kind=event.kind.value,
        timestamp=event.timestamp,
        seq_no=event.seq_no,
        trigger_reason=event.trigger_reason,
        charging_state=event.charging_state,
        offline=event.offline,
        meter_values=to_stored_json(event.meter_values) if event.meter_values else None,
        received_at=at,
    )
    try:
        record.save(condition=SessionEventRecord.position.does_not_exist())
    except PutError as error:
        if condition_failed(error):
            return False
        raise
    return True


def _event_of(record: SessionEventRecord) -> SessionEvent:
    return SessionEvent(
        kind=EventKind(record.kind),
        timestamp=record.timestamp,
        seq_no=None if record.seq_no is None else int(record.seq_no),
        trigger_reason=record.trigger_reason,
        charging_state=record.charging_state,
        offline=bool(record.offline),
        meter_values=tuple(from_json(record.meter_values)),
    )


def events_of(stream: str) -> Iterator[SessionEvent]:
    """1 query per 1 MB of events."""
    return (_event_of(record) for record in SessionEventRecord.query(stream))


def register_readings(stream: str, first: bool, last: bool, scan: int = 20) -> list[MeterValue]:
    """A query per end asked for: meter values from the first and/or the last events of a
    stream, enough for a session's energy so far without reading all of it."""
    values: list[MeterValue] = []
    for forward, wanted in ((True, first), (False, last)):
        if wanted:
            for record in SessionEventRecord.query(stream, scan_index_forward=forward, limit=scan):
                values += from_json(record.meter_values)
    return values
