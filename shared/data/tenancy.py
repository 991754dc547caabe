"""The tenant in scope, and the conditions that hold every read and write of a tenant's records
to it (docs/accounts.md, decision 0033).

The operator API sets the scope for a request from its caller; everything else (the OCPP side,
schedules, reactions to domain events) runs unscoped, since a station's own messages are its
tenant's by construction. A record's `tenant_id` absent means the default tenant's: records from
before tenants, and charge points that registered themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from pynamodb.attributes import Attribute
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.models import Model

from shared.data.dynamo import Page
from shared.domain.accounts import DEFAULT_TENANT

T = TypeVar("T")

# How many of a listing's pages one request reads at most to fill its page with the scope's items
# when the listing holds other tenants' too: a bound on the request's cost.
MOST_PAGES_READ = 20

_scope: ContextVar[str | None] = ContextVar("tenant_scope", default=None)


def scope() -> str | None:
    """The tenant whose records may be read and written now; None: every tenant's."""
    return _scope.get()


@contextmanager
def scoped(tenant_id: str | None) -> Iterator[None]:
    """Reads and writes within are held to `tenant_id` (None: unscoped, the platform's)."""
    token = _scope.set(tenant_id)
    try:
        yield
    finally:
        _scope.reset(token)


def owner(stored: str | None) -> str:
    """The tenant a record belongs to: the one it carries, else the default one."""
    return stored or DEFAULT_TENANT


def visible(stored: str | None) -> bool:
    """Whether a record carrying `stored` may be seen in the scope."""
    tenant = scope()
    return tenant is None or owner(stored) == tenant


def owned(tenant_attribute: Attribute[Any]) -> Condition | None:
    """A condition (or filter) that the item is the scope's; None when unscoped."""
    tenant = scope()
    if tenant is None:
        return None
    condition: Condition = tenant_attribute == tenant
    if tenant == DEFAULT_TENANT:
        condition = condition | tenant_attribute.does_not_exist()
    return condition


def writable(key_attribute: Attribute[Any], tenant_attribute: Attribute[Any]) -> Condition | None:
    """A write's condition: the item is not there yet (it becomes the scope's) or is the scope's."""
    mine = owned(tenant_attribute)
    return None if mine is None else key_attribute.does_not_exist() | mine


def existing(key_attribute: Attribute[Any], tenant_attribute: Attribute[Any]) -> Condition:
    """A change's or deletion's condition: the item is there and (in scope) the scope's."""
    there: Condition = key_attribute.exists()
    mine = owned(tenant_attribute)
    return there if mine is None else there & mine


def stamp(tenant_attribute: Attribute[Any]) -> list[Action]:
    """What a creating write adds: the scope's tenant, kept if the item already has one. None
    stamped unscoped: the item is the default tenant's until a tenant's caller says otherwise."""
    tenant = scope()
    if tenant is None or tenant == DEFAULT_TENANT:
        return []
    return [tenant_attribute.set(tenant_attribute | tenant)]


def hidden(model: type[Model], hash_key: str, range_key: str | None = None) -> bool:
    """Whether the item is there and another tenant's than the scope's: 1 read of its tenant in
    a tenant's scope, none unscoped (the gate of routes naming it, shared.services.accounts.tenancy)."""
    if scope() is None:
        return False
    try:
        key_name = model._hash_keyname or ""
        record = model.get(hash_key, range_key, attributes_to_get=[key_name, "tenant_id"])
    except model.DoesNotExist:
        return False
    return not visible(getattr(record, "tenant_id", None))


def owner_of(model: type[Model], hash_key: str) -> str:
    """The tenant a record is of, whatever the scope: 1 read of its tenant alone (the default
    tenant's when it carries none, or is not there)."""
    try:
        record = model.get(hash_key, attributes_to_get=[model._hash_keyname or "", "tenant_id"])
    except model.DoesNotExist:
        return DEFAULT_TENANT
    return owner(getattr(record, "tenant_id", None))


def filled(
    read_page: Callable[[int, str | None], Page[T]], seen: Callable[[T], bool], limit: int, token: str | None
) -> Page[T]:
    """A listing's page of the items `seen` in the scope: read on past the others until the page
    holds `limit` or nothing is left (at most MOST_PAGES_READ pages), so that a tenant's items
    behind other tenants' are not hidden behind empty pages. The token goes on from the last
    item read."""
    items: list[T] = []
    for _ in range(MOST_PAGES_READ):
        page = read_page(limit - len(items), token)
        items += [item for item in page.items if seen(item)]
        token = page.next_token
        if len(items) == limit or token is None:
            break
    return Page(items, token)
