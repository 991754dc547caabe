"""An export a function feeds rather than a rule on the bus (the audit trail, decision 0039):
records put into its Firehose stream, each a JSON line as the bus's exports write an event's
detail (Firehose appends the newline, gzips and writes them under the export's partitions)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from botocore.config import Config

from shared.aws.clients import make_client
from shared.aws.event_bus import to_camel
from shared.domain.timestamps import format_timestamp
from shared.settings import get_settings

# PutRecordBatch takes 500 records a call; what it refuses is sent again, this many times in all.
MOST_RECORDS = 500
ATTEMPTS = 3


class ExportRefused(Exception):
    """Firehose kept refusing some records: the trigger hands the whole batch again."""


def line_of(fields: dict[str, Any]) -> bytes:
    """A record's line: camelCase keys and times in ISO 8601, as the bus carries a detail."""
    shaped = {
        to_camel(key): format_timestamp(value) if isinstance(value, datetime) else value
        for key, value in fields.items()
    }
    return json.dumps(shaped, separators=(",", ":")).encode()


def put_lines(stream_name: str, lines: list[bytes]) -> None:
    """1 PutRecordBatch per 500 lines, and one more for those it refused (3 tries in all); still
    refused, ExportRefused, so that the stream's trigger retries the batch: a line may then be
    written twice (at least once)."""
    for start in range(0, len(lines), MOST_RECORDS):
        pending = lines[start : start + MOST_RECORDS]
        for _ in range(ATTEMPTS):
            answer = _client().put_record_batch(
                DeliveryStreamName=stream_name, Records=[{"Data": line} for line in pending]
            )
            if not answer.get("FailedPutCount"):
                break
            results = answer["RequestResponses"]
            pending = [line for line, result in zip(pending, results, strict=True) if result.get("ErrorCode")]
        else:
            raise ExportRefused(f"{stream_name} refused {len(pending)} records")


@lru_cache(maxsize=1)
def _client() -> Any:
    return make_client(
        "firehose",
        get_settings().region,
        config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}),
    )
