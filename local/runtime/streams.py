"""The exports fed from a table's stream (the audit trail, decision 0039), run by the runtime
itself. As Lambda's event source mapping polls a DynamoDB stream and invokes its function with
the new items (the stack's filter lets INSERTs through, nothing else), the runtime reads moto's
stream of the table every `period_s` and invokes the export's function with them, again at the
next poll when it failed. What the function puts into the export's Firehose stream is written
as Firehose writes it to S3: JSON lines under the data folder, as local/runtime/bus.py writes
the bus's exports."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

from moto.firehose.models import FirehoseBackend

from local.runtime import events
from local.runtime.bus import cancelled
from local.runtime.lambdas import Invoker
from shared.manifest import EXPORTS, Export, export_key
from shared.observability import logger
from shared.settings import get_settings

POLL_S = 1.0


def firehose_stream(export: Export) -> str:
    """Where the export's function puts its records: the stream its setting names."""
    return {"audit": get_settings().audit_export_stream}[export.name]


class TableStream:
    """One table's stream, read from where it began (the stack's TRIM_HORIZON), shard by shard."""

    def __init__(self, table: str) -> None:
        import boto3
        from botocore.config import Config

        # moto answers DescribeStream only at the service's own endpoint, not an account's.
        self._client = boto3.client(
            "dynamodbstreams",
            region_name=get_settings().region,
            config=Config(account_id_endpoint_mode="disabled"),
        )
        self._table = table
        self._iterators: dict[str, str] = {}

    def new_items(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The records since the last call that was taken (`taken`), and where that leaves each
        shard; nothing moves until taken."""
        records: list[dict[str, Any]] = []
        after: dict[str, str] = {}
        for stream in self._client.list_streams(TableName=self._table)["Streams"]:
            arn = stream["StreamArn"]
            for shard in self._client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
                key = f"{arn}#{shard['ShardId']}"
                iterator = (
                    self._iterators.get(key)
                    or self._client.get_shard_iterator(
                        StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
                    )["ShardIterator"]
                )
                answer = self._client.get_records(ShardIterator=iterator)
                records += [_as_delivered(record, arn) for record in answer["Records"]]
                after[key] = answer.get("NextShardIterator") or iterator
        return records, after

    def taken(self, after: dict[str, str]) -> None:
        self._iterators.update(after)


def _as_delivered(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A record as the event source mapping hands it to the function: its time in epoch seconds."""
    change = dict(record["dynamodb"])
    moment = change.get("ApproximateCreationDateTime")
    if isinstance(moment, datetime):
        change["ApproximateCreationDateTime"] = moment.timestamp()
    return {**record, "awsRegion": events.REGION, "dynamodb": change, "eventSourceARN": stream_arn}


async def _feed(invoker: Invoker, export: Export, period_s: float) -> None:
    assert export.function is not None
    stream = TableStream(get_settings().table(export.stream_of))
    while True:
        await asyncio.sleep(period_s)
        try:
            records, after = await asyncio.to_thread(stream.new_items)
            inserted = [record for record in records if record["eventName"] == "INSERT"]
            if inserted:
                await invoker.invoke(export.function, {"Records": inserted})
            stream.taken(after)
        except Exception:  # tried again at the next poll, as the mapping retries a batch
            logger.exception(
                "Feeding an export from its table's stream failed", extra={"export": export.name}
            )


@contextlib.contextmanager
def firehose_writing(folder: Path) -> Iterator[None]:
    """Records put into a stream export's Firehose stream go to the data folder, a line each."""
    exports = {firehose_stream(export): export for export in EXPORTS if export.function}
    original = FirehoseBackend.put_record_batch

    def put_record_batch(
        backend: FirehoseBackend, delivery_stream_name: str, records: list[dict[str, bytes]]
    ) -> dict[str, Any]:
        export = exports.get(delivery_stream_name)
        if export is None:
            return original(backend, delivery_stream_name, records)
        target = folder / export_key(export, datetime.now(UTC))
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("ab") as file:
            file.writelines(_data(record) + b"\n" for record in records)
        return {
            "FailedPutCount": 0,
            "Encrypted": False,
            "RequestResponses": [{"RecordId": uuid.uuid4().hex} for _ in records],
        }

    with mock.patch.object(FirehoseBackend, "put_record_batch", put_record_batch):
        yield


def _data(record: dict[str, Any]) -> bytes:
    """moto hands a record's data as the request carried it: base64, as Firehose's API sends it."""
    data = record["Data"]
    return base64.b64decode(data) if isinstance(data, str) else bytes(data)


@contextlib.asynccontextmanager
async def feeding(invoker: Invoker, folder: Path, period_s: float = POLL_S) -> AsyncIterator[None]:
    """Every stream export's function fed and its records written, for as long as the block runs."""
    tasks = [asyncio.create_task(_feed(invoker, e, period_s)) for e in EXPORTS if e.function]
    try:
        with firehose_writing(folder):
            yield
    finally:
        await cancelled(tasks)
