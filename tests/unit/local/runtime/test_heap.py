"""The local runtime's heap: what survives a full collection is frozen, so that the next full
collection does not walk moto's tables again; garbage is still collected."""

from __future__ import annotations

import gc
import weakref

from local.runtime.heap import survivors_frozen


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def walked() -> set[int]:
    """What the next full collection walks (frozen objects are in no generation)."""
    return {id(o) for o in gc.get_objects()}


def test_what_survives_a_full_collection_is_frozen_and_later_garbage_still_goes():
    gc.unfreeze()
    with survivors_frozen():
        tables = [{"pk": {"S": f"cp-{i}"}} for i in range(10_000)]  # what moto would hold
        gc.collect()
        assert gc.get_freeze_count() >= len(tables)
        assert not {id(t) for t in tables} & walked()

        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle, which only the collector can free
        gone = weakref.ref(a)
        del a, b
        gc.collect()
        assert gone() is None
    assert gc.get_freeze_count() == 0  # all is as it was
    assert survivors_frozen.__module__ not in {getattr(c, "__module__", "") for c in gc.callbacks}


def test_without_it_every_full_collection_walks_everything_again():
    gc.unfreeze()
    tables = [{"pk": {"S": f"cp-{i}"}} for i in range(10_000)]
    gc.collect()
    assert gc.get_freeze_count() == 0
    assert {id(t) for t in tables} <= walked()
