"""Tariffs through the API, and sessions priced by them through the router: the cost on the
session, in SessionEnded, in the CDR and in the answer that ends a 2.x session; the running
cost sent as it grows (2.x CostUpdated, 1.6 California pricing where the station shows it)."""

import json

import pytest

from shared.data import configuration
from shared.domain.configuration import ConfigurationValue
from shared.domain.timestamps import utc_now
from tests.builders import V2, call, call_api, event, put_token, sampled, start, stop

DAY_AND_NIGHT = {
    "currency": "EUR",
    "vatRate": 20,
    "idleGraceMinutes": 10,
    "elements": [
        {
            "priceComponents": [{"type": "ENERGY", "price": "0.30"}, {"type": "FLAT", "price": 1}],
            "restrictions": {"startTime": "07:00", "endTime": "22:00"},
        },
        {"priceComponents": [{"type": "ENERGY", "price": 0.2}, {"type": "PARKING_TIME", "price": 6}]},
    ],
    "text": [{"language": "en", "text": "0.30 EUR/kWh by day, 0.20 at night"}],
    "assignedTo": {"default": True},
}


def put_tariff(tariff_id="day-night", body=None, **changes):
    return call_api("PUT", f"/tariffs/{tariff_id}", {**(body or DAY_AND_NIGHT), **changes})


def test_tariffs_are_created_read_replaced_and_deleted(aws):
    status, body = put_tariff()
    assert status == 201
    assert (
        body["tariffId"],
        body["currency"],
        body["vatRate"],
        body["elements"][1]["priceComponents"][0],
    ) == (
        "day-night",
        "EUR",
        20.0,
        {"type": "ENERGY", "price": 0.2},
    )
    assert body["elements"][0]["restrictions"] == {
        "startTime": "07:00",
        "endTime": "22:00",
        "daysOfWeek": None,
    }
    assert put_tariff(currency="CHF")[0] == 200
    assert call_api("GET", "/tariffs/day-night")[1]["currency"] == "CHF"
    assert [t["tariffId"] for t in call_api("GET", "/tariffs")[1]["items"]] == ["day-night"]
    assert call_api("DELETE", "/tariffs/day-night")[0] == 204
    assert call_api("GET", "/tariffs/day-night")[0] == 404
    assert call_api("DELETE", "/tariffs/day-night")[0] == 404


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"elements": [{"priceComponents": [{"type": "ENERGY", "price": -0.1}]}]},
            "elements[0] has a negative ENERGY price",
        ),
        (
            {
                "elements": [
                    {
                        "priceComponents": [{"type": "ENERGY", "price": 0.4}],
                        "restrictions": {"startTime": "07:00", "endTime": "12:00"},
                    },
                    {
                        "priceComponents": [{"type": "ENERGY", "price": 0.3}],
                        "restrictions": {"startTime": "11:00", "endTime": "22:00", "daysOfWeek": ["MONDAY"]},
                    },
                ]
            },
            "elements[0] and elements[1] overlap in time",
        ),
        ({"timeZone": "Europe/Nowhere"}, "is not an IANA time zone"),
        ({"currency": "euro"}, "currency"),
        ({"currency": "QQQ"}, "currency 'QQQ' is not an ISO 4217 currency code"),
        ({"currency": "XAU"}, "currency 'XAU' is not an ISO 4217 currency code"),  # gold prices no session
        ({"minPrice": 10, "maxPrice": 5}, "minPrice is above maxPrice"),
        # Numbers no session's cost could be read back from (1e30 made every later read fail).
        ({"elements": [{"priceComponents": [{"type": "ENERGY", "price": 1e30}]}]}, "less than or equal"),
        ({"idleGraceMinutes": 1e20}, "idleGraceMinutes"),
        ({"vatRate": 1000}, "vatRate"),
        ({"maxPrice": 1e30}, "maxPrice"),
    ],
)
def test_a_tariff_that_cannot_be_used_gets_400_with_the_reason(aws, change, reason):
    status, body = put_tariff(**change)
    assert status == 400 and reason in body["error"]["message"]
    assert call_api("GET", "/tariffs")[1]["items"] == []


def test_a_place_has_one_tariff(aws):
    put_tariff("a", assignedTo={"chargePoints": ["CP1", "CP2"]})
    status, body = put_tariff("b", assignedTo={"chargePoints": ["CP2"]})
    assert status == 409 and "charge point CP2 has tariff a already" in body["error"]["message"]
    assert put_tariff("a", assignedTo={"chargePoints": ["CP1"]})[0] == 200  # a tariff may move itself
    assert put_tariff("b", assignedTo={"chargePoints": ["CP2"]})[0] == 201


# --- 2.x: priced sessions ---------------------------------------------------------------------


def posted_calls(posted, action):
    return [frame for frame in posted.to("c1") if frame[0] == 2 and frame[2] == action]


def preview(body, tariff_id="day-night"):
    return call_api("POST", f"/tariffs/{tariff_id}/preview", body)


def test_a_tariffs_preview_prices_a_session_of_given_figures_as_its_cdr_would_be(aws):
    put_tariff()
    # By day: 20 kWh at 0.30 and the 1 EUR fee; 20 % VAT.
    status, day = preview({"energyWh": 20000, "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T11:00:00Z"})
    assert status == 200, day
    assert (day["cost"]["energy"], day["cost"]["fee"], day["cost"]["totalInclVat"]) == (6.0, 1.0, 8.4)
    assert (day["startedAt"], day["endedAt"]) == ("2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z")
    # At night, 30 minutes plugged in and idle of which 10 are grace: 20 min at 6 EUR/h.
    body = {"energyWh": 10000, "start": "2026-03-02T23:00:00+00:00", "durationMinutes": 90, "idleMinutes": 30}
    night = preview(body)[1]["cost"]
    assert (night["energy"], night["idle"], night["idleSeconds"], night["totalExclVat"]) == (
        2.0,
        2.0,
        1800,
        4.0,
    )
    assert preview({"energyWh": 1000, "durationMinutes": 60})[0] == 200  # from now


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"energyWh": 1000}, "durationMinutes, or start and end"),
        (
            {
                "energyWh": 1000,
                "durationMinutes": 60,
                "start": "2026-03-02T09:00:00Z",
                "end": "2026-03-02T11:00:00Z",
            },
            "not both",
        ),
        ({"energyWh": 1000, "end": "2026-03-02T11:00:00Z"}, "end needs start"),
        (
            {"energyWh": 1000, "start": "2026-03-02T11:00:00Z", "end": "2026-03-02T09:00:00Z"},
            "end after it starts",
        ),
        ({"energyWh": 1000, "start": "2026-03-01T00:00:00Z", "end": "2026-03-09T00:00:00Z"}, "7 days"),
        ({"energyWh": 1000, "durationMinutes": 10, "idleMinutes": 20}, "longer than the session"),
        ({"energyWh": -1, "durationMinutes": 10}, "energyWh"),
        ({"energyWh": 1000, "start": "2026-03-02T09:00:00", "durationMinutes": 10}, "time zone"),
    ],
)
def test_a_preview_of_impossible_figures_gets_400_with_the_reason(aws, body, reason):
    put_tariff()
    status, answer = preview(body)
    assert status == 400 and reason in json.dumps(answer), answer


def test_a_preview_of_no_tariff_is_404(aws):
    assert preview({"energyWh": 1000, "durationMinutes": 60}, "nope")[0] == 404


@pytest.mark.parametrize("version", V2, indirect=True)
def test_a_2x_session_is_priced_with_running_and_final_cost(station, posted, published, settings_env):
    """21:00 to 23:30 UTC: 10 kWh by day, 10 at night, then 30 minutes suspended (10 free)."""
    settings_env(CSMS_COST_UPDATE_INTERVAL="0")
    put_tariff()
    put_token("TAG1")
    authorized = call(station, "Authorize", {"idToken": {"idToken": "TAG1", "type": "ISO14443"}})
    assert authorized["idTokenInfo"]["personalMessage"] == {
        "format": "UTF8",
        "language": "en",
        "content": "0.30 EUR/kWh by day, 0.20 at night",
    }
    token = {"idToken": "TAG1", "type": "ISO14443"}
    charging = {"chargingState": "Charging"}
    started = event("Started", 0, "2026-01-05T21:00:00Z", wh=0, idToken=token, info=charging, evse={"id": 1})
    call(station, "TransactionEvent", started, "e0")
    call(
        station,
        "TransactionEvent",
        event("Updated", 1, "2026-01-05T22:00:00Z", wh=10000, info=charging),
        "e1",
    )
    [first] = posted_calls(posted, "CostUpdated")
    assert first[3] == {"totalCost": 4.8, "transactionId": "T-1"}  # (10 x 0.30 + 1) x 1.2
    station([3, first[1], {}])
    call(
        station,
        "TransactionEvent",
        event("Updated", 2, "2026-01-05T23:00:00Z", wh=20000, info={"chargingState": "SuspendedEV"}),
        "e2",
    )
    assert [c[3]["totalCost"] for c in posted_calls(posted, "CostUpdated")] == [4.8, 7.2]
    suspended = {"chargingState": "EVConnected", "stoppedReason": "EVDisconnected"}
    ended = call(
        station, "TransactionEvent", event("Ended", 3, "2026-01-05T23:30:00Z", wh=20000, info=suspended), "e3"
    )
    assert ended["totalCost"] == 9.6  # 3 + 2 energy, 2 idle, 1 fee: 8, and 20 % tax

    [session] = published.of("SessionEnded")
    assert session["tariffId"] == "day-night"
    cost = session["cost"]
    assert (cost["energy"], cost["idle"], cost["fee"], cost["tax"], cost["totalInclVat"]) == (
        5.0,
        2.0,
        1.0,
        1.6,
        9.6,
    )
    detail = call_api("GET", "/transactions/T-1")[1]
    assert detail["cost"] == cost
    [listed] = call_api("GET", "/transactions", query="withCost=true")[1]["items"]
    assert listed["cost"] == cost  # a list asked for its costs, as the console's CSV does
    assert call_api("GET", "/transactions")[1]["items"][0]["cost"] is None  # else none is read
    [cdr] = call_api("GET", "/cdrs")[1]["items"]
    assert (cdr["session_id"], cdr["currency"], cdr["total_cost"]) == (
        "T-1",
        "EUR",
        {"excl_vat": 8.0, "incl_vat": 9.6},
    )
    assert (cdr["total_energy"], cdr["total_parking_time"], cdr["tariffs"][0]["id"]) == (
        20.0,
        0.5,
        "day-night",
    )
    # A resent Ended changes nothing: its station had no answer, so it gets the first one's
    # final cost again, and SessionEnded goes out again (docs/faults.md).
    assert call(station, "TransactionEvent", event("Ended", 3, "2026-01-05T23:30:00Z", wh=20000), "e4") == {
        "totalCost": 9.6
    }
    assert [e["transactionId"] for e in published.of("SessionEnded")] == ["T-1", "T-1"]
    [again] = call_api("GET", "/cdrs")[1]["items"]
    assert (again["total_cost"], again["total_energy"]) == (cdr["total_cost"], cdr["total_energy"])


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_session_keeps_the_tariff_it_started_under(station, posted, published):
    put_tariff()
    put_token("TAG1")
    token = {"idToken": "TAG1", "type": "ISO14443"}
    call(station, "TransactionEvent", event("Started", 0, "2026-01-05T12:00:00Z", wh=0, idToken=token), "e0")
    put_tariff(elements=[{"priceComponents": [{"type": "ENERGY", "price": 5}]}])  # dearer, later
    ended = call(station, "TransactionEvent", event("Ended", 1, "2026-01-05T13:00:00Z", wh=1000), "e1")
    assert ended["totalCost"] == 1.56  # (1 kWh x 0.30 + 1) x 1.2


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_the_most_specific_tariff_prices_the_session(station, published):
    put_tariff("everywhere")
    put_tariff(
        "site",
        elements=[{"priceComponents": [{"type": "ENERGY", "price": 1}]}],
        vatRate=0,
        assignedTo={"sites": ["s1"]},
    )
    put_tariff(
        "fleet",
        elements=[{"priceComponents": [{"type": "FLAT", "price": 2}]}],
        vatRate=0,
        assignedTo={"idTokenGroups": ["G1"]},
    )
    assert call_api("PUT", "/charge-points/CP1", {"siteId": "s1"})[1]["siteId"] == "s1"
    put_token("TAG1")
    put_token("TAG2", parent_id_token="G1")
    for n, tag in enumerate(("TAG1", "TAG2")):
        token = {"idToken": tag, "type": "ISO14443"}
        tx = f"T-{tag}"
        call(
            station,
            "TransactionEvent",
            event("Started", 0, "2026-01-05T12:00:00Z", tx, wh=0, idToken=token),
            f"s{n}",
        )
        call(station, "TransactionEvent", event("Ended", 1, "2026-01-05T13:00:00Z", tx, wh=3000), f"e{n}")
    costs = {
        e["transactionId"]: (e["tariffId"], e["cost"]["totalInclVat"]) for e in published.of("SessionEnded")
    }
    assert costs == {"T-TAG1": ("site", 3.0), "T-TAG2": ("fleet", 2.0)}


@pytest.mark.parametrize("version", ["2.0.1"], indirect=True)
def test_a_session_without_meter_values_is_priced_by_time_and_flagged(station, published):
    put_tariff(
        elements=[{"priceComponents": [{"type": "ENERGY", "price": 1}, {"type": "TIME", "price": 2}]}],
        vatRate=0,
    )
    call(station, "TransactionEvent", event("Started", 0, "2026-01-05T12:00:00Z"), "e0")
    call(station, "TransactionEvent", event("Ended", 1, "2026-01-05T13:30:00Z"), "e1")
    [ended] = published.of("SessionEnded")
    assert (ended["cost"]["energy"], ended["cost"]["time"], ended["cost"]["flags"]) == (
        0.0,
        3.0,
        ["energyUnknown"],
    )
    [cdr] = call_api("GET", "/cdrs")[1]["items"]
    assert "energyUnknown" in cdr["remark"]


# --- 1.6: OCA California pricing --------------------------------------------------------------


def data_transfers(posted):
    return [
        (frame[3]["messageId"], json.loads(frame[3]["data"]))
        for frame in posted.to("c1")
        if frame[0] == 2 and frame[2] == "DataTransfer"
    ]


@pytest.mark.parametrize("version", ["1.6"], indirect=True)
@pytest.mark.parametrize("shows_cost", [True, False])
def test_a_16_station_that_shows_cost_is_sent_running_and_final_cost(
    station, posted, settings_env, shows_cost
):
    settings_env(CSMS_COST_UPDATE_INTERVAL="0")
    if shows_cost:
        configuration.put_configuration(
            "CP1", [ConfigurationValue("CustomDisplayCostAndPrice", "true", True)], utc_now()
        )
    put_tariff(vatRate=0, elements=[{"priceComponents": [{"type": "ENERGY", "price": 0.5}]}])
    put_token("TAG1")
    tid = call(station, "StartTransaction", start(at="2026-01-05T12:00:00Z", meter=0))["transactionId"]
    values = {"connectorId": 1, "transactionId": tid, "meterValue": [sampled("2026-01-05T12:30:00Z", 4000)]}
    call(station, "MeterValues", values)
    sent = data_transfers(posted)
    if not shows_cost:
        assert sent == []
        call(station, "StopTransaction", stop(tid, meter=10000, at="2026-01-05T13:00:00Z"))
        assert data_transfers(posted) == []
        return
    [(message, running)] = sent
    assert message == "RunningCost"
    assert (running["transactionId"], running["cost"], running["meterValue"]) == (tid, 2.0, 4000)
    [running_call] = [frame for frame in posted.to("c1") if frame[0] == 2]
    station([3, running_call[1], {"status": "Accepted"}])  # the next call waits for this answer
    call(station, "StopTransaction", stop(tid, meter=10000, at="2026-01-05T13:00:00Z"))
    assert data_transfers(posted)[-1] == (
        "FinalCost",
        {"transactionId": tid, "cost": 5.0, "priceText": "0.30 EUR/kWh by day, 0.20 at night"},
    )
    assert call_api("GET", f"/transactions/{tid}")[1]["cost"]["totalInclVat"] == 5.0


# --- 2.1: tariffs in its own words ----------------------------------------------------------


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_2_1_is_offered_the_tariff_and_can_be_given_a_default(station, posted):
    put_tariff()
    put_token("TAG1")
    answer = call(station, "Authorize", {"idToken": {"idToken": "TAG1", "type": "ISO14443"}})
    offered = answer["tariff"]
    assert (offered["tariffId"], offered["currency"]) == ("day-night", "EUR")
    assert offered["energy"] == {
        "prices": [
            {"priceKwh": 0.3, "conditions": {"startTimeOfDay": "07:00", "endTimeOfDay": "22:00"}},
            {"priceKwh": 0.2},
        ],
        "taxRates": [{"type": "VAT", "tax": 20.0}],
    }
    assert offered["idleTime"]["prices"] == [{"priceMinute": 0.1, "conditions": {"minIdleTime": 600}}]
    assert offered["fixedFee"]["prices"][0]["priceFixed"] == 1.0

    status, command = call_api("POST", "/charge-points/CP1/default-tariff", {"tariffId": "day-night"})
    assert status == 202 and command["action"] == "SetDefaultTariff"
    assert command["payload"]["evseId"] == 0 and command["payload"]["tariff"] == offered
    assert call_api("POST", "/charge-points/CP1/default-tariff", {"tariffId": "nope"})[0] == 404


@pytest.mark.parametrize("version", ["1.6", "2.0.1"], indirect=True)
def test_versions_before_2_1_have_no_default_tariff(station, version):
    put_tariff()
    status, body = call_api("POST", "/charge-points/CP1/default-tariff", {"tariffId": "day-night"})
    assert status == 422 and "came with 2.1" in body["error"]["message"]


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
def test_2_1_cost_details_and_settlements_are_kept(station, published):
    details = {
        "totalCost": {"currency": "EUR", "typeOfCost": "NormalCost", "total": {"inclTax": 3.5}},
        "totalUsage": {"energy": 10000, "chargingTime": 3600, "idleTime": 0},
    }
    call(station, "TransactionEvent", event("Started", 0, "2026-01-05T12:00:00Z", wh=0), "e0")
    ended = event("Ended", 1, "2026-01-05T13:00:00Z", wh=10000, costDetails=details)
    call(station, "TransactionEvent", ended, "e1")
    call(
        station,
        "TransactionEvent",
        event(
            "Updated",
            0,
            "2026-01-05T12:00:00Z",
            costDetails={**details, "totalUsage": {"energy": 1, "chargingTime": 1, "idleTime": 0}},
        ),
        "e2",
    )
    assert call_api("GET", "/transactions/T-1")[1]["stationCost"] == details  # the later seqNo's

    settlement = {
        "transactionId": "T-1",
        "pspRef": "PSP-77",
        "status": "Settled",
        "settlementAmount": 3.5,
        "settlementTime": "2026-01-05T13:01:00Z",
    }
    first = call(station, "NotifySettlement", settlement)
    assert first["receiptId"].startswith("TRM") and "/pay/receipts/" in first["receiptUrl"]
    assert call(station, "NotifySettlement", settlement, "again") == first  # a resend
    [kept] = call_api("GET", "/charge-points/CP1/settlements")[1]["items"]
    assert (kept["pspRef"], kept["settlementAmount"], kept["status"]) == ("PSP-77", 3.5, "Settled")
    [event_published] = published.of("SettlementReported")
    assert event_published["chargePointId"] == "CP1" and event_published["pspRef"] == "PSP-77"


@pytest.mark.parametrize("version", ["2.1"], indirect=True)
@pytest.mark.parametrize(
    ("vat_number", "status"),
    [
        ("DE 123 456 789", "Accepted"),
        ("NL123456789B01", "Accepted"),
        ("DE12345678", "Rejected"),
        ("US123", "Rejected"),
    ],
)
def test_a_vat_number_s_form_is_checked_answered_and_kept_once(station, vat_number, status):
    payload = {"vatNumber": vat_number, "evseId": 1}
    answer = call(station, "VatNumberValidation", payload)
    assert (answer["vatNumber"], answer["evseId"], answer["status"]) == (vat_number, 1, status)
    assert ("statusInfo" in answer) == (status == "Rejected")
    assert call(station, "VatNumberValidation", payload) == answer  # a resend: the same answer
    [kept] = call_api("GET", "/charge-points/CP1/vat-numbers")[1]["items"]
    assert (kept["vatNumber"], kept["evseId"], kept["status"]) == (vat_number, 1, status)


def test_the_documented_tariff_example_is_one_the_api_takes(aws):
    """The example the API's documentation offers (and the README's curl) is a valid tariff:
    its night element, unrestricted, is the last, and carries the idle price for day and night."""
    from functions.operator_api.routes.tariff_and_cost import EXAMPLE

    status, body = call_api("PUT", "/tariffs/paris-day-night", EXAMPLE)
    assert status == 201, body
    assert [len(e["priceComponents"]) for e in body["elements"]] == [2, 3]
