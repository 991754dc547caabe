"""The restore drill, locally (docs/restore.md): export the local runtime's durable tables to
a folder, then bring them back into fresh tables, as a point-in-time restore or a backup's
restore does in the cloud (a new table from the copy, then the functions switched to it).

    python -m local.tools.restore export DIR [--endpoint URL] [--every-table | --tables NAME ...]
    python -m local.tools.restore import DIR [--endpoint URL] [--prefix NEW-PREFIX] [--into-existing]

`--endpoint` is the runtime's moto (`make run` prints it as DynamoDB), or DynamoDB's own in a
region, with the AWS credentials of the shell (docs/restore.md copies a restored table's items
back into the live one with it). Each table is a file `<table>.jsonl`: its key schema, indexes
and TTL on the first line, then an item a line in DynamoDB's JSON (binary values in base64, as
the wire has them). A table of the folder that exists already is refused unless
`--into-existing` says to put the items into it (replacing those of the same keys)."""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from shared.aws.clients import make_client
from shared.data.tables import all_records, is_durable
from shared.settings import get_settings

BATCH = 25  # BatchWriteItem's most


def client(endpoint: str | None = None) -> Any:
    settings = get_settings()
    return make_client("dynamodb", settings.region, endpoint or settings.dynamodb_endpoint)


def backed_up(every_table: bool = False) -> list[str]:
    """The tables a backup covers: the durable ones (every one, with `every_table`)."""
    return [record.Meta.table_name for record in all_records() if every_table or is_durable(record)]


def export(dynamodb: Any, tables: list[str], folder: Path) -> dict[str, int]:
    """Each table's schema and items into `folder`: how many items each."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    for table in tables:
        with (folder / f"{table}.jsonl").open("w") as out:
            out.write(json.dumps(_schema(dynamodb, table)) + "\n")
            counts[table] = 0
            for item in _scanned(dynamodb, table):
                out.write(json.dumps(_coded(item, _to_text)) + "\n")
                counts[table] += 1
    return counts


def restore(
    dynamodb: Any, folder: Path, rename: Callable[[str], str] = str, into_existing: bool = False
) -> dict[str, int]:
    """Each exported table made anew (named by `rename`) and filled, or with `into_existing`
    the items put into the tables that exist: how many items each."""
    files = sorted(folder.glob("*.jsonl"))
    existing = set(_listed(dynamodb))
    taken = sorted(rename(path.stem) for path in files if rename(path.stem) in existing)
    if taken and not into_existing:
        raise SystemExit(f"These tables exist already; restore into new ones (--prefix): {', '.join(taken)}")
    counts = {}
    for path in files:
        table = rename(path.stem)
        with path.open() as lines:
            schema = json.loads(next(lines))
            if table not in existing:
                _create(dynamodb, table, schema)
            items = (_coded(json.loads(line), _to_bytes) for line in lines)
            counts[table] = _put(dynamodb, table, items)
    return counts


def _listed(dynamodb: Any) -> Iterator[str]:
    for page in dynamodb.get_paginator("list_tables").paginate():
        yield from page["TableNames"]


def _schema(dynamodb: Any, table: str) -> dict[str, Any]:
    described = dynamodb.describe_table(TableName=table)["Table"]
    ttl = dynamodb.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    return {
        "KeySchema": described["KeySchema"],
        "AttributeDefinitions": described["AttributeDefinitions"],
        "GlobalSecondaryIndexes": [
            {"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
            for i in described.get("GlobalSecondaryIndexes", [])
        ],
        "TimeToLive": ttl.get("AttributeName") if ttl.get("TimeToLiveStatus") == "ENABLED" else None,
    }


def _create(dynamodb: Any, table: str, schema: dict[str, Any]) -> None:
    indexes = (
        {"GlobalSecondaryIndexes": schema["GlobalSecondaryIndexes"]}
        if schema["GlobalSecondaryIndexes"]
        else {}
    )
    dynamodb.create_table(
        TableName=table,
        KeySchema=schema["KeySchema"],
        AttributeDefinitions=schema["AttributeDefinitions"],
        BillingMode="PAY_PER_REQUEST",
        **indexes,
    )
    dynamodb.get_waiter("table_exists").wait(TableName=table)
    if schema["TimeToLive"]:
        dynamodb.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": schema["TimeToLive"]}
        )


def _scanned(dynamodb: Any, table: str) -> Iterator[dict[str, Any]]:
    for page in dynamodb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        yield from page["Items"]


def _put(dynamodb: Any, table: str, items: Iterator[dict[str, Any]]) -> int:
    count = 0
    batch: list[dict[str, Any]] = []
    for item in items:
        batch.append({"PutRequest": {"Item": item}})
        count += 1
        if len(batch) == BATCH:
            _write(dynamodb, table, batch)
            batch = []
    if batch:
        _write(dynamodb, table, batch)
    return count


def _write(dynamodb: Any, table: str, requests: list[dict[str, Any]]) -> None:
    """One batch, its unprocessed items sent again until none is left."""
    pending = {table: requests}
    while pending:
        pending = dynamodb.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def _to_text(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _to_bytes(text: str) -> bytes:
    return base64.b64decode(text)


def _coded(item: dict[str, Any], code: Callable[[Any], Any]) -> dict[str, Any]:
    return {name: _value(value, code) for name, value in item.items()}


def _value(value: dict[str, Any], code: Callable[[Any], Any]) -> dict[str, Any]:
    """A DynamoDB JSON value with its binaries (B, BS, nested in M and L) coded."""
    [(kind, inner)] = value.items()
    if kind == "B":
        return {kind: code(inner)}
    if kind == "BS":
        return {kind: [code(member) for member in inner]}
    if kind == "M":
        return {kind: _coded(inner, code)}
    if kind == "L":
        return {kind: [_value(member, code) for member in inner]}
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m local.tools.restore", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("action", choices=("export", "import"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--endpoint", help="DynamoDB's endpoint (default: CSMS_DYNAMODB_ENDPOINT)")
    parser.add_argument("--every-table", action="store_true", help="export the transient tables too")
    parser.add_argument("--tables", nargs="+", help="export these tables (by name) instead")
    parser.add_argument(
        "--prefix", default="", help="import: names the new tables PREFIX + the exported name"
    )
    parser.add_argument("--into-existing", action="store_true", help="import: put into tables that exist")
    args = parser.parse_args(argv)
    dynamodb = client(args.endpoint)
    if args.action == "export":
        counts = export(dynamodb, args.tables or backed_up(args.every_table), args.folder)
    else:
        counts = restore(dynamodb, args.folder, lambda name: args.prefix + name, args.into_existing)
    for table, count in counts.items():
        print(f"{table}\t{count} items")
    print(f"{sum(counts.values())} items in {len(counts)} tables", file=sys.stderr)


if __name__ == "__main__":
    main()
