"""moto keeps every table of the local runtime in this process's memory, and a full collection
of Python's cyclic garbage collector walks every object there is: a pause that grows with the
tables (about a quarter of a second at 40,000 items) and stalls every handler at once, ever
longer and ever rarer as a long run fills the tables. What survives a full collection is
frozen (`gc.freeze`), so that later collections walk only what is newer. Reference counting
still frees whatever moto lets go of; only a cycle among frozen objects would stay."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Any

OLDEST = 2  # the generation a full collection collects


def _freeze_after_full_collections(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == OLDEST:
        gc.freeze()


@contextlib.contextmanager
def survivors_frozen() -> Iterator[None]:
    gc.callbacks.append(_freeze_after_full_collections)
    try:
        yield
    finally:
        gc.callbacks.remove(_freeze_after_full_collections)
        gc.unfreeze()
