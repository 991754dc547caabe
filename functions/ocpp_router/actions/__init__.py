"""Every OCPP action handler, one module each, in the folder of its OCPP functional block and
named after its action (`authorization/authorize.py`, `certificates/get_15118_ev_certificate.py`).

A module is imported when its action first arrives, and registers its handler then: a cold
start that answers a Heartbeat does not load the transaction code (docs/decisions/0027). The
modules are found by their names, so a new action is a new file and nothing else; `load_all`
imports them all, for the README's table and the tests.
"""

from __future__ import annotations

import importlib
import os
import re
from functools import cache

# Where a word of an action's name begins: OCPP names are CamelCase with acronyms (EV, DER)
# and numbers (15118) of their own.
_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")


def module_name(action: str) -> str:
    """`Get15118EVCertificate` -> `get_15118_ev_certificate`."""
    return _WORD.sub("_", action).lower()


@cache
def modules() -> dict[str, str]:
    """Module name -> `block.module`, for every action module under this package."""
    found: dict[str, str] = {}
    for block in os.scandir(os.path.dirname(__file__)):
        if not block.is_dir() or block.name.startswith(("_", ".")):
            continue
        for entry in os.scandir(block.path):
            name, extension = os.path.splitext(entry.name)
            if extension == ".py" and not name.startswith("_"):
                found[name] = f"{block.name}.{name}"
    return found


def load(action: str) -> bool:
    """Imports the action's module (registering its handler); False for an action with none."""
    module = modules().get(module_name(action))
    if module is None:
        return False
    importlib.import_module(f"{__name__}.{module}")
    return True


def load_all() -> None:
    for module in modules().values():
        importlib.import_module(f"{__name__}.{module}")
