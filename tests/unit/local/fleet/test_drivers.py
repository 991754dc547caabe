"""The drivers' part of the CSMS-view check: each driver's own list holds every session the
fleet ran with its cards, once, with the metered energy, and nobody else's; a sample of
receipts gives the list's cost."""

from __future__ import annotations

import asyncio

import pytest

from local.fleet.api import Check
from local.fleet.dialects import Session
from local.fleet.drivers import Driver, compare, deal, receipt_mismatch, receipt_sample

ADA = Driver("d-ada", "csk_ada", ("T-0000", "T-0002"))
BOB = Driver("d-bob", "csk_bob", ("T-0001",))


def ran(tag: str, transaction_id: str, energy_wh: int) -> Session:
    return Session(
        connector=1,
        tag=tag,
        local_id=transaction_id,
        meter_start_wh=1000,
        meter_wh=1000 + energy_wh,
        started_at="2026-12-01T10:00:00.000Z",
        transaction_id=transaction_id,
    )


# What the fleet ran: two sessions with Ada's cards, one with Bob's, one with a card of nobody's.
LEDGER = {
    ("cp-1", "t1"): ran("T-0000", "t1", 500),
    ("cp-1", "t2"): ran("T-0002", "t2", 700),
    ("cp-2", "t3"): ran("T-0001", "t3", 900),
    ("cp-2", "t4"): ran("APP-1", "t4", 100),
}


def shown(charge_point_id: str, transaction_id: str, energy_wh: float, **more: object) -> dict[str, object]:
    return {
        "chargePointId": charge_point_id,
        "transactionId": transaction_id,
        "energyWh": energy_wh,
        "active": False,
        "cost": None,
        **more,
    }


def right() -> list[tuple[Driver, list[dict[str, object]]]]:
    return [
        (ADA, [shown("cp-1", "t2", 700), shown("cp-1", "t1", 500)]),
        (BOB, [shown("cp-2", "t3", 900)]),
    ]


def test_the_cards_are_dealt_in_turn():
    assert deal(["T-0000", "T-0001", "T-0002", "T-0003", "T-0004"], 2) == [
        ("T-0000", "T-0002", "T-0004"),
        ("T-0001", "T-0003"),
    ]
    assert deal(["T-0000"], 3) == [("T-0000",), (), ()]  # a driver with no card shows nothing


def test_each_driver_shown_its_own_sessions_passes():
    check = Check()
    own = compare(check, right(), LEDGER)
    assert check.ok, check.as_dict()
    assert (check.driver_expected, check.driver_found) == (3, 3)
    assert [(driver.driver_id, item["transactionId"]) for driver, item in own] == [
        ("d-ada", "t2"),
        ("d-ada", "t1"),
        ("d-bob", "t3"),
    ]


def test_a_driver_shown_another_drivers_session_fails_the_check():
    lists = right()
    lists[0][1].append(shown("cp-2", "t3", 900))  # Bob's, in Ada's list
    check = Check()
    compare(check, lists, LEDGER)
    assert not check.ok
    assert check.driver_foreign == ["d-ada: cp-2/t3 (card T-0001, driver d-bob's)"]
    assert check.driver_missing == []


def test_a_driver_shown_a_session_of_no_drivers_card_or_not_the_fleets_fails_the_check():
    lists = right()
    lists[1][1].extend([shown("cp-2", "t4", 100), shown("cp-9", "t9", 0)])
    check = Check()
    compare(check, lists, LEDGER)
    assert not check.ok
    assert check.driver_foreign == [
        "d-bob: cp-2/t4 (card APP-1, no driver's)",
        "d-bob: cp-9/t9 (not run by the fleet)",
    ]


def test_a_driver_missing_a_session_of_its_card_fails_the_check():
    lists = right()
    del lists[0][1][1]  # t1 is not in Ada's list
    check = Check()
    compare(check, lists, LEDGER)
    assert not check.ok
    assert check.driver_missing == ["d-ada: cp-1/t1 (card T-0000)"]
    assert (check.driver_expected, check.driver_found) == (3, 2)


def test_a_session_shown_twice_or_with_other_energy_fails_the_check():
    lists = right()
    lists[1] = (BOB, [shown("cp-2", "t3", 899.5), shown("cp-2", "t3", 899.5)])
    check = Check()
    compare(check, lists, LEDGER)
    assert not check.ok
    assert check.driver_duplicated == ["d-bob: cp-2/t3 x2"]
    assert check.driver_energy_mismatch == ["d-bob: cp-2/t3: fleet 900 Wh, driver's list 899.5 Wh"]


def test_the_receipts_read_are_ended_sessions_priced_first_spread_over_the_drivers():
    priced = {"exclVat": 1.0, "inclVat": 1.2}
    own = [
        *((ADA, shown("cp-1", f"a{i}", 1, cost=priced)) for i in range(4)),
        (ADA, shown("cp-1", "a-running", 1, active=True, cost=priced)),
        (BOB, shown("cp-2", "b-free", 1)),
        (BOB, shown("cp-2", "b0", 1, cost=priced)),
        (BOB, shown("cp-2", "b1", 1, cost=priced)),
    ]
    sample = receipt_sample(own)
    assert [item["transactionId"] for _, item in sample] == ["a0", "b0", "a1", "b1", "a2"]


class Receipts:
    """The API as the receipt check uses it: a driver's key, and its receipt as CSV."""

    def __init__(self, total: str) -> None:
        self.total = total
        self.asked: list[tuple[str, str, dict[str, str]]] = []
        self.key = ""

    def speaking_as(self, key: str) -> Receipts:
        self.key = key
        return self

    async def text(self, path: str, **query: str) -> str:
        self.asked.append((self.key, path, query))
        return f"field,value\nreceipt number,CDR-1\ntotal excl. VAT,3.50\ntotal incl. VAT,{self.total}\n"


@pytest.mark.parametrize(
    ("total", "cost", "mismatch"),
    [
        ("4.20", {"exclVat": 3.5, "inclVat": 4.2}, None),
        (
            "4.21",
            {"exclVat": 3.5, "inclVat": 4.2},
            "d-ada: cp-1/t1: receipt 4.21, driver's list 4.2 incl. VAT",
        ),
        ("0.00", None, None),  # no tariff priced it: nothing to pay
        ("", None, "d-ada: cp-1/t1: receipt , driver's list 0 incl. VAT"),
    ],
)
def test_a_receipt_gives_the_cost_of_the_drivers_list(total, cost, mismatch):
    api = Receipts(total)
    found = asyncio.run(receipt_mismatch(api, ADA, shown("cp-1", "t1", 500, cost=cost)))  # type: ignore[arg-type]
    assert found == mismatch
    assert api.asked == [("csk_ada", "/driver/sessions/cp-1/t1/receipt", {"format": "csv"})]
