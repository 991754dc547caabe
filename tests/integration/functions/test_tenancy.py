"""Tenants against moto: every route of the OpenAPI document, driven with two tenants' admin
keys, answers one tenant's ids to the other as if they were not, and lists leave them out."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from functions.connect.handler import lambda_handler as connect
from functions.ocpp_router.handler import lambda_handler as route
from local.runtime import events
from shared.data import charge_points, commands, connectors, reservations, station_events, transactions
from shared.data.tenancy import scoped
from shared.domain.accounts import CHANGING_METHODS
from shared.domain.availability import ConnectorStatusReport
from shared.domain.provisioning import BootInfo
from shared.domain.reservations import Reservation, ReservationState
from shared.domain.station_events import EventKind, StationEvent
from shared.domain.timestamps import utc_now
from shared.domain.transactions import SessionFilter, SessionStart
from shared.manifest import is_public
from shared.services import analytics
from shared.services.station_tenant import tenant_of_charge_point
from tests.builders import CONTEXT, call_api
from tests.integration.functions.test_accounts import make_key, openapi_operations

# The path parameters that name something a tenant owns (the others name what the whole
# installation shares: trust anchors, data-transfer vendors, OCPP action names).
OWNED = {
    "charge_point_id",
    "site_id",
    "tariff_id",
    "id_token",
    "firmware_id",
    "rollout_id",
    "reservation_id",
    "command_id",
    "transaction_id",
    "api_key_id",
    "driver_id",
}

TARIFF = {"currency": "EUR", "elements": [{"priceComponents": [{"type": "ENERGY", "price": "0.30"}]}]}


def two_tenants() -> tuple[str, str]:
    for tenant in ("acme", "globex"):
        assert call_api("POST", "/tenants", {"tenantId": tenant, "name": tenant.title()})[0] == 201
    return make_key("admin", tenantId="acme")[1], make_key("admin", tenantId="globex")[1]


def caller_for(path: str, admin: str) -> str:
    """The tenant's admin, or for a driver's own pages a driver of the same tenant."""
    if not path.startswith("/driver/"):
        return admin
    status, driver = call_api("POST", "/drivers", {"name": "G", "email": "g@example.com"}, token=admin)
    assert status == 201, driver
    return str(driver["key"])


def acme_things(acme: str) -> dict[str, str]:
    """Acme's resources, made with its key where the API makes them: their ids by path parameter."""
    ids = {
        "charge_point_id": "acme-cp",
        "site_id": "acme-site",
        "tariff_id": "acme-tariff",
        "id_token": "ACMETAG",
    }
    assert call_api("PUT", "/charge-points/acme-cp", {}, token=acme)[0] == 201
    site = {"limit": {"amps": 32}, "chargePoints": ["acme-cp"]}
    assert call_api("PUT", "/sites/acme-site", site, token=acme)[0] == 201
    assert call_api("PUT", "/tariffs/acme-tariff", TARIFF, token=acme)[0] == 201
    assert call_api("PUT", "/id-tokens/ACMETAG", {"status": "Accepted"}, token=acme)[0] == 201
    status, image = call_api(
        "POST", "/firmware", {"vendor": "Acme", "model": "Volt", "version": "1"}, token=acme
    )
    assert status == 201, image
    ids["firmware_id"] = image["firmwareId"]
    status, rollout = call_api(
        "POST",
        "/firmware-rollouts",
        {"firmwareId": image["firmwareId"], "chargePoints": ["acme-cp"]},
        token=acme,
    )
    assert status == 201, rollout
    ids["rollout_id"] = rollout["rolloutId"]
    ids["api_key_id"] = make_key("viewer", token=acme)[0]
    status, driver = call_api("POST", "/drivers", {"name": "A", "email": "a@example.com"}, token=acme)
    assert status == 201, driver
    ids["driver_id"] = driver["driverId"]
    assert call_api("PUT", f"/drivers/{driver['driverId']}/id-tokens/ACMETAG", token=acme)[0] == 204
    # What stations make (sessions) and what needs a station online (commands, reservations):
    # made as the OCPP side does, unscoped, on Acme's charge point.
    now = utc_now()
    start = SessionStart(transaction_id="acme-tx", connector_id=1, timestamp=now, meter_start_wh=0)
    transactions.record_start("acme-cp", "2.0.1", start, now)
    ids["transaction_id"] = "acme-tx"
    command = commands.create_command("acme-cmd", "acme-cp", "2.0.1", "Reset", {"type": "Immediate"}, 30, now)
    ids["command_id"] = command.command_id
    reservation_id = reservations.next_reservation_id()
    reservations.create_reservation(
        Reservation(
            reservation_id=reservation_id,
            charge_point_id="acme-cp",
            id_token="ACMETAG",
            expires_at=now,
            state=ReservationState.PENDING,
            created_at=now,
            updated_at=now,
        ),
        None,
    )
    ids["reservation_id"] = str(reservation_id)
    # What the station reports, and the figures its session adds (the model is Acme's only).
    charge_points.record_boot("acme-cp", BootInfo(vendor="Acme", model="AcmeVolt"), now)
    connectors.record_connector_status("acme-cp", ConnectorStatusReport(1, 1, "Charging", now), now)
    ended = {"chargePointId": "acme-cp", "transactionId": "acme-tx", "evseId": 1, "connectorId": 1}
    ended |= {"startedAt": now.isoformat(), "stoppedAt": now.isoformat(), "energyWh": 5000}
    assert analytics.session_ended(ended)
    ids["model"] = "AcmeVolt"
    tamper = {"type": "TamperDetectionActivated", "timestamp": now.isoformat(), "critical": True}
    event = StationEvent(EventKind.SECURITY, "acme-tamper", now, tamper, critical=True)
    station_events.record_event("acme-cp", event, now, tenant_of_charge_point("acme-cp"))
    return ids


def with_ids(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids.get(m.group(1), "X1"), path)


def test_another_tenants_ids_answer_404_on_every_route(aws):
    acme, globex = two_tenants()
    ids = acme_things(acme)
    owned_routes = 0
    for method, path in openapi_operations():
        if not set(re.findall(r"\{([^}]+)\}", path)) & OWNED or is_public(path):
            continue  # (the pay page is public: any station's, whoever asks)
        owned_routes += 1
        body = {} if method in CHANGING_METHODS else None
        status, answer = call_api(method, with_ids(path, ids), body, token=caller_for(path, globex))
        assert status == 404 and answer["error"]["code"] == "NotFound", (method, path, status, answer)
    assert owned_routes > 60


def test_every_list_leaves_another_tenants_items_out(aws):
    acme, globex = two_tenants()
    ids = acme_things(acme)
    mentioned = set(ids.values()) - {ids["reservation_id"]}
    lists = 0
    for method, path in openapi_operations():
        if method != "GET" or "{" in path or path in ("/tenants", "/me"):
            continue
        lists += 1
        status, answer = call_api(method, path, token=caller_for(path, globex))
        assert status == 200, (path, answer)
        leaked = [value for value in mentioned if value in json.dumps(answer)]
        assert not leaked, (path, leaked)
    assert lists > 12
    for by, key in (
        ("chargePoint", "acme-cp"),
        ("site", "acme-site"),
        ("model", "AcmeVolt"),
        ("connector", "acme-cp#1/1"),
    ):
        _, answer = call_api("GET", "/analytics/breakdown", query=f"by={by}", token=globex)
        assert answer["count"] == 0, (by, answer)
        _, answer = call_api("GET", "/analytics/breakdown", query=f"by={by}", token=acme)
        assert [(row["key"], row["energyWh"]) for row in answer["items"]] == [(key, 5000)], (by, answer)
    for token, energy in ((globex, 0), (acme, 5000)):
        _, days = call_api("GET", "/analytics/daily", token=token)
        assert sum(day["energyWh"] for day in days["items"]) == energy
    [connector] = call_api("GET", "/connectors", token=acme)[1]["items"]
    assert connector["chargePointId"] == "acme-cp"


def test_a_tenant_sees_its_own_and_the_platform_sees_every_tenants(aws):
    acme, globex = two_tenants()
    ids = acme_things(acme)
    assert call_api("PUT", "/charge-points/globex-cp", {}, token=globex)[0] == 201
    for token, seen, unseen in ((acme, "acme-cp", "globex-cp"), (globex, "globex-cp", "acme-cp")):
        listed = [cp["id"] for cp in call_api("GET", "/charge-points", token=token)[1]["items"]]
        assert listed == [seen] and unseen not in listed
    everyone = {cp["id"] for cp in call_api("GET", "/charge-points")[1]["items"]}
    assert everyone == {"acme-cp", "globex-cp"}
    for path in ("/charge-points/acme-cp", "/sites/acme-site", "/tariffs/acme-tariff", "/id-tokens/ACMETAG"):
        assert call_api("GET", path, token=acme)[0] == 200, path
        assert call_api("GET", path)[0] == 200, path
    assert call_api("GET", f"/firmware/{ids['firmware_id']}", token=acme)[0] == 200
    assert call_api("GET", f"/commands/{ids['command_id']}", token=acme)[0] == 200
    sessions = call_api("GET", "/transactions", token=acme)[1]["items"]
    assert [s["transactionId"] for s in sessions] == ["acme-tx"]
    assert call_api("GET", "/transactions", token=globex)[1]["items"] == []


def test_an_id_is_the_installations_so_another_tenant_cannot_take_it(aws):
    acme, globex = two_tenants()
    assert call_api("PUT", "/charge-points/CP1", {}, token=acme)[0] == 201
    status, body = call_api("PUT", "/charge-points/CP1", {"blocked": True}, token=globex)
    assert (status, body["error"]["message"]) == (404, "Charge point CP1 not found")
    assert call_api("DELETE", "/charge-points/CP1", token=globex)[0] == 404
    assert call_api("GET", "/charge-points/CP1", token=acme)[1]["blocked"] is False
    assert call_api("PUT", "/tariffs/T1", TARIFF, token=acme)[0] == 201
    assert call_api("PUT", "/tariffs/T1", {**TARIFF, "currency": "CHF"}, token=globex)[0] == 404
    assert call_api("GET", "/tariffs/T1", token=acme)[1]["currency"] == "EUR"


def test_each_tenant_has_its_own_firmware_catalogue(aws):
    acme, globex = two_tenants()
    image = {"vendor": "Acme", "model": "Volt", "version": "1"}
    status, acmes = call_api("POST", "/firmware", image, token=acme)
    assert status == 201
    status, globexs = call_api("POST", "/firmware", image, token=globex)
    assert status == 201, globexs  # the same version, another tenant's catalogue
    status, body = call_api("POST", "/firmware", image, token=globex)
    assert status == 409 and globexs["firmwareId"] in body["error"]["message"]
    assert acmes["firmwareId"] not in body["error"]["message"]
    assert call_api("DELETE", f"/firmware/{globexs['firmwareId']}")[0] == 204  # by the platform
    assert call_api("POST", "/firmware", image, token=globex)[0] == 201  # its version free again


def test_records_of_before_tenants_are_the_default_tenants(aws):
    charge_points.register_charge_point("OLD", utc_now())  # unscoped, as auto-registration does
    default_admin = make_key("admin", tenantId="default")[1]
    acme, _ = two_tenants()
    assert call_api("GET", "/charge-points/OLD", token=default_admin)[0] == 200
    assert call_api("GET", "/charge-points/OLD", token=acme)[0] == 404
    with scoped("acme"):
        assert charge_points.find_charge_point("OLD") is None
    with scoped("default"):
        assert charge_points.find_charge_point("OLD") is not None


def test_a_tenants_sessions_are_found_behind_another_tenants_newer_ones(aws):
    """The listing is read on past other tenants' sessions: a page is not left empty while the
    tenant's own sessions lie further on."""
    acme, globex = two_tenants()
    for token, cp in ((acme, "acme-cp"), (globex, "globex-cp")):
        assert call_api("PUT", f"/charge-points/{cp}", {}, token=token)[0] == 201
    now = utc_now()
    older = SessionStart(
        transaction_id="acme-old", connector_id=1, timestamp=now - timedelta(hours=1), meter_start_wh=0
    )
    transactions.record_start("acme-cp", "2.0.1", older, now)
    for n in range(7):
        newer = SessionStart(
            transaction_id=f"globex-{n}",
            connector_id=1,
            timestamp=now - timedelta(minutes=n),
            meter_start_wh=0,
        )
        transactions.record_start("globex-cp", "2.0.1", newer, now)
    status, page = call_api("GET", "/transactions", token=acme, query="limit=3")
    assert status == 200 and [s["transactionId"] for s in page["items"]] == ["acme-old"]
    assert page.get("nextToken") is None
    status, page = call_api("GET", "/transactions", token=globex, query="limit=3")
    assert [s["transactionId"] for s in page["items"]] == ["globex-0", "globex-1", "globex-2"]
    assert page["nextToken"]


def test_a_tenants_session_listing_reads_no_charge_point_for_sessions_stamped_with_their_tenant(
    aws, aws_calls
):
    for tenant in ("acme", "globex"):
        with scoped(tenant):
            charge_points.register_charge_point(f"{tenant}-cp", utc_now())
    now = utc_now()
    for n, (cp, tenant) in enumerate([("acme-cp", "acme"), ("globex-cp", "globex"), ("acme-cp", "acme")]):
        start = SessionStart(transaction_id=f"s-{n}", connector_id=1, timestamp=now, meter_start_wh=0)
        transactions.record_start(cp, "2.0.1", start, now, tenant_id=tenant)

    def listed() -> tuple[list[str], int]:
        with scoped("acme"):
            aws_calls.reset()
            page = transactions.list_sessions(SessionFilter(), 10)
            return sorted(r.transaction_id for r in page.items), aws_calls.by_operation["dynamodb", "GetItem"]

    assert listed() == (["s-0", "s-2"], 0)  # judged by their stamps: no charge point read
    old = SessionStart(transaction_id="s-old", connector_id=1, timestamp=now, meter_start_wh=0)
    transactions.record_start("acme-cp", "2.0.1", old, now)  # from before stamps
    assert listed() == (["s-0", "s-2", "s-old"], 1)  # its charge point read, as before


def test_a_station_knows_only_its_tenants_cards_and_prices_by_its_tenants_tariffs(aws, posted):
    from tests.integration.functions.test_domain_events import admitted  # it imports this module

    acme, globex = two_tenants()
    stations = {}
    for key, charge_point_id in ((acme, "A1"), (globex, "G1")):
        assert call_api("PUT", f"/charge-points/{charge_point_id}", {}, token=key)[0] == 201
        sock = admitted(charge_point_id.lower(), charge_point_id)
        assert connect(events.connect(sock, [], []), CONTEXT)["statusCode"] == 200
        stations[charge_point_id] = sock
    for key, card, currency in ((acme, "ACMECARD", "EUR"), (globex, "GLOBEXCARD", "CHF")):
        assert call_api("PUT", f"/id-tokens/{card}", {"status": "Accepted"}, token=key)[0] == 201
        tariff = {**TARIFF, "currency": currency, "assignedTo": {"default": True}}
        assert call_api("PUT", f"/tariffs/{card.lower()}-default", tariff, token=key)[0] == 201

    def authorize(charge_point_id: str, card: str) -> dict[str, Any]:
        sock = stations[charge_point_id]
        frame = [
            2,
            f"{charge_point_id}-{card}",
            "Authorize",
            {"idToken": {"idToken": card, "type": "ISO14443"}},
        ]
        assert route(events.message(sock, json.dumps(frame)), CONTEXT) == {"statusCode": 200}
        answer: dict[str, Any] = posted.last(sock.connection_id)[2]
        return answer

    for charge_point_id, card, currency in (("A1", "ACMECARD", "EUR"), ("G1", "GLOBEXCARD", "CHF")):
        answer = authorize(charge_point_id, card)
        assert answer["idTokenInfo"]["status"] == "Accepted"
        assert (answer["tariff"]["tariffId"], answer["tariff"]["currency"]) == (
            f"{card.lower()}-default",
            currency,
        )
    assert authorize("G1", "ACMECARD")["idTokenInfo"]["status"] == "Invalid"
    assert authorize("A1", "GLOBEXCARD")["idTokenInfo"]["status"] == "Invalid"
