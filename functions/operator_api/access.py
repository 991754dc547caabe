"""Who may call which route. Each routes module declares `ACCESS`, its routes as registered
("METHOD /path/<param>") to the permission each needs; the resolver looks the served route up
there and refuses before the request is validated or the route runs. A route with no
declaration is refused to everyone (and a test fails on it)."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from shared.domain.accounts import Permission, Principal

Access = Mapping[str, Permission]


def route_key(method: str, path: str) -> str:
    return f"{method.upper()} {path}"


def permission_for(route: Any) -> Permission | None:
    """What a Powertools route needs, from its module's ACCESS (None: undeclared)."""
    module = sys.modules.get(route.func.__module__)
    access: Access = getattr(module, "ACCESS", {})
    return access.get(route_key(route.method, route.path))


def caller(router: Any) -> Principal:
    """The principal the handler resolved for this request (routes run only with one)."""
    principal: Principal = router.context["principal"]
    return principal
