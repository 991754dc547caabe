"""The tenant of the station whose message is being handled: the authorizer read it with the
charge point's registration at the handshake, and the gateway hands it to every route of the
connection, so that what a message does (the events it publishes, the session it stamps, the
cards and tariffs it is answered from) is its tenant's at no read."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from shared.grants import grants

# The tables these use cases read and write (shared/grants.py).
GRANTS = grants(reads=("charge-points",))

# The station whose message is being handled, and its tenant as its connection's context says
# (None: not said, read once when first needed).
_station: ContextVar[tuple[str, str | None] | None] = ContextVar("station", default=None)


@contextmanager
def from_station(charge_point_id: str, tenant_id: str | None) -> Iterator[None]:
    """What is done within answers this station's message. `tenant_id` None: a connection
    admitted before the authorizer said (until it reconnects, its tenant is read, once a message
    that needs it)."""
    token = _station.set((charge_point_id, tenant_id))
    try:
        yield
    finally:
        _station.reset(token)


def tenant_of_charge_point(charge_point_id: str) -> str:
    """Free for the station whose message is in hand, and in a tenant's scope; else 1 read."""
    station = _station.get()
    in_hand = station is not None and station[0] == charge_point_id
    if station is not None and in_hand and station[1]:
        return station[1]
    # Here, not above: a station's messages never need them (the router's cold start).
    from shared.data import charge_points, tenancy

    tenant = tenancy.scope() or tenancy.owner_of(charge_points.ChargePointRecord, charge_point_id)
    if in_hand:
        _station.set((charge_point_id, tenant))  # for the rest of the message
    return tenant
