"""The restore drill: sessions charged through the handlers, the durable tables exported, the
store emptied, the tables brought back from the export; the API then shows the same sessions,
meter values and CDRs, to the Wh and the cent."""

from __future__ import annotations

import json

import pytest

from functions.connect.handler import lambda_handler as connect
from functions.ocpp_router.handler import lambda_handler as route
from local.runtime import events
from local.tools import restore
from shared.data import charge_points
from shared.data.tables import all_records, create_tables, is_durable
from shared.data.transactions import TransactionRecord
from shared.domain.timestamps import utc_now
from tests.builders import CONTEXT, call_api, put_token, sampled, socket, start, stop

TARIFF = {
    "currency": "EUR",
    "vatRate": 20,
    "elements": [{"priceComponents": [{"type": "ENERGY", "price": "0.30"}, {"type": "FLAT", "price": 1}]}],
    "assignedTo": {"default": True},
}


@pytest.fixture
def charged(aws, posted):
    """Three 1.6 sessions on CP1, priced, with meter values; the transaction ids."""
    charge_points.register_charge_point("CP1", utc_now())
    connect(events.connect(socket("c1", "CP1", "1.6"), [], []), CONTEXT)
    assert call_api("PUT", "/tariffs/flat", TARIFF)[0] in (200, 201)
    put_token("TAG1")

    def send(n, action, payload):
        frame = json.dumps([2, f"{action}-{n}", action, payload])
        assert route(events.message(socket("c1", "CP1", "1.6"), frame), CONTEXT) == {"statusCode": 200}
        answer = posted.last("c1")
        assert answer[:2] == [3, f"{action}-{n}"], answer
        return answer[2]

    ids = []
    for n in range(3):
        at, end = f"2026-11-2{n}T10:00:00Z", f"2026-11-2{n}T11:00:00Z"
        transaction_id = send(n, "StartTransaction", start(at=at, meter=1000 * n))["transactionId"]
        send(
            n,
            "MeterValues",
            {
                "connectorId": 1,
                "transactionId": transaction_id,
                "meterValue": [sampled(f"2026-11-2{n}T10:30:00Z", 1000 * n + 2500)],
            },
        )
        send(n, "StopTransaction", stop(transaction_id, meter=1000 * n + 5123 + n, at=end))
        ids.append(transaction_id)
    return ids


def shown(ids):
    """What an operator reads of the sessions: the list, each one, the CDRs."""
    listed = call_api("GET", "/transactions", query="limit=100")
    sessions = [call_api("GET", f"/transactions/{i}") for i in ids]
    cdrs = call_api("GET", "/cdrs", query="limit=100")
    for status, _ in (listed, *sessions, cdrs):
        assert status == 200
    for cdr in cdrs[1]["items"]:
        cdr.pop("last_updated")  # when it was read
    return listed[1], [body for _, body in sessions], cdrs[1]


def test_sessions_and_cdrs_come_back_equal_from_an_export(charged, tmp_path):
    before = shown(charged)
    assert len(before[2]["items"]) == 3 and {s["energyWh"] for s in before[1]} == {5123, 5124, 5125}
    dynamodb = restore.client()
    exported = restore.export(dynamodb, restore.backed_up(), tmp_path)
    assert exported[charge_points.ChargePointRecord.Meta.table_name] == 1

    for table in dynamodb.list_tables()["TableNames"]:  # the store lost
        dynamodb.delete_table(TableName=table)
    assert dynamodb.list_tables()["TableNames"] == []

    assert restore.restore(dynamodb, tmp_path) == exported
    create_tables()  # the transient tables, empty, as a new stack has them
    assert shown(charged) == before


def test_a_restore_makes_new_tables_and_never_writes_into_live_ones(charged, tmp_path):
    dynamodb = restore.client()
    exported = restore.export(dynamodb, restore.backed_up(), tmp_path)
    assert set(exported) == {r.Meta.table_name for r in all_records() if is_durable(r)}
    with pytest.raises(SystemExit, match="exist already"):
        restore.restore(dynamodb, tmp_path)
    restored = restore.restore(dynamodb, tmp_path, lambda name: f"restored-{name}")
    assert restored == {f"restored-{name}": count for name, count in exported.items()}
    for name in exported:
        original = sorted(map(json.dumps, restore._scanned(dynamodb, name)))
        assert sorted(map(json.dumps, restore._scanned(dynamodb, f"restored-{name}"))) == original, name


def test_a_copy_put_back_into_the_live_table_mends_what_was_lost(charged, tmp_path, capsys):
    """The cloud's switch (docs/restore.md): a restored table's items put back into the live
    one, which keeps its name, grants, stream and alarms."""
    before = shown(charged)
    sessions = TransactionRecord.Meta.table_name
    restore.main(["export", str(tmp_path), "--tables", sessions])
    assert f"{sessions}\t3 items" in capsys.readouterr().out
    dynamodb = restore.client()
    keys = [k["AttributeName"] for k in dynamodb.describe_table(TableName=sessions)["Table"]["KeySchema"]]
    lost = next(restore._scanned(dynamodb, sessions))
    dynamodb.delete_item(TableName=sessions, Key={name: lost[name] for name in keys})  # a bad deploy's doing
    assert len(call_api("GET", "/transactions")[1]["items"]) == 2

    with pytest.raises(SystemExit):
        restore.main(["import", str(tmp_path)])  # not into a live table unless told
    restore.main(["import", str(tmp_path), "--into-existing"])
    assert shown(charged) == before
