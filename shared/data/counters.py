"""Atomic counters: the sources of the ids the CSMS gives out (1.6 transactions, maintenance
requests, reservations), unique across the fleet."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute
from pynamodb.models import Model

from shared.data.tables import OnDemand


class CounterRecord(Model):
    """Atomic counters, such as the source of OCPP 1.6 transaction ids."""

    class Meta(OnDemand, table="counters"): ...

    name = UnicodeAttribute(hash_key=True)
    value = NumberAttribute(default=0)


def next_value(name: str) -> int:
    """1 write: the counter's next value, never given before."""
    counter = CounterRecord(name)
    counter.update(actions=[CounterRecord.value.add(1)])
    return int(counter.value)
