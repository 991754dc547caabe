"""What each function was granted, enforced here as IAM enforces it in the cloud: a handler
that touches a table, or an index, its use cases did not declare (shared.grants), or the bus,
the connections, the files or a secret its manifest entry has no flag for, gets the
AccessDeniedException AWS would answer, so that tests catch the declaration missing before a
deployment does.

The function calling is the one whose handler (`functions/<name>/`) is on the calling thread's
stack: the local runtime's workers and the tests, which call handlers directly, alike. A call
with no handler on the stack (the runtime creating its tables, a test arranging its data) is
not a function's and passes."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from functools import cache
from typing import Any
from unittest import mock

from botocore.client import BaseClient
from botocore.exceptions import ClientError

from shared.aws.secrets import CERTIFICATE_AUTHORITY as AUTHORITY_SECRET
from shared.aws.secrets import PREFIX as SECRETS_PREFIX
from shared.grants import Tables, granted
from shared.manifest import ALL_FUNCTIONS, FTP_FUNCTIONS, Function

_READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "DescribeTable"})
_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem"})
_CHECKED = frozenset({"dynamodb", "events", "apigatewaymanagementapi", "s3", "secretsmanager", "acm-pca"})
# A transaction's put takes dynamodb:PutItem, as a PutItem does.
_TRANSACTED = {"Get": "read", "ConditionCheck": "read", "Put": "append", "Update": "write", "Delete": "write"}


@contextlib.contextmanager
def enforced() -> Iterator[None]:
    original = BaseClient._make_api_call

    def checked(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        service = client.meta.service_model.service_name
        if service in _CHECKED:
            function = _calling_function()
            if function is not None:
                _check(function, service, operation, params)
        return original(client, operation, params)

    with mock.patch.object(BaseClient, "_make_api_call", checked):
        yield


@cache
def _by_package() -> dict[str, Function]:
    return {spec.handler.split(".")[1]: spec for spec in (*ALL_FUNCTIONS, *FTP_FUNCTIONS)}


@cache
def _grants(function: Function) -> Tables:
    return granted(function.uses)


@cache
def _suffixes() -> dict[str, str]:
    """Table name -> the name its record declares (settings are read once)."""
    from shared.data.tables import all_records, suffix_of

    return {record.Meta.table_name: suffix_of(record) for record in all_records()}


def _calling_function() -> Function | None:
    """The outermost handler on the stack (an entry point's own modules count as it)."""
    packages = _by_package()
    found = None
    frame = sys._getframe(2)
    while frame is not None:
        name: str = frame.f_globals.get("__name__", "")
        if name.startswith("functions."):
            found = packages.get(name.split(".")[1], found)
        frame = frame.f_back  # type: ignore[assignment]
    return found


def _touches(operation: str, params: dict[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    """(table name, read | write | append, index) for each table an operation names."""
    if operation in ("TransactWriteItems", "TransactGetItems"):
        for item in params.get("TransactItems", []):
            for kind, body in item.items():
                yield body["TableName"], _TRANSACTED[kind], None
    elif operation in ("BatchGetItem", "BatchWriteItem"):
        for table in params.get("RequestItems", {}):
            yield table, "read" if operation == "BatchGetItem" else "write", None
    elif operation in _READS:
        yield params["TableName"], "read", params.get("IndexName")
    elif operation == "PutItem":
        yield params["TableName"], "append", None
    elif operation in _WRITES:
        yield params["TableName"], "write", None


def _beyond_the_tables(function: Function, service: str, operation: str, params: dict[str, Any]) -> bool:
    """What the manifest's flags grant: the bus, the connections, the files, the secrets."""
    if service == "events":
        return function.events
    if service == "apigatewaymanagementapi":
        return function.connections
    if service == "s3":
        return function.files
    if service == "acm-pca":
        return function.certificate_authority
    authority = str(params.get("SecretId") or params.get("Name")) == SECRETS_PREFIX + AUTHORITY_SECRET
    if operation == "GetSecretValue":
        return function.secrets or (authority and function.certificate_authority)
    return operation == "CreateSecret" and authority and function.certificate_authority


def _check(function: Function, service: str, operation: str, params: dict[str, Any]) -> None:
    if service != "dynamodb":
        if not _beyond_the_tables(function, service, operation, params):
            _deny(function, service, operation, str(params.get("SecretId") or params.get("Name") or service))
        return
    grants = _grants(function)
    for name, kind, index in _touches(operation, params):
        table = _suffixes().get(name, name)
        allowed = {
            "read": grants.reads,
            "write": grants.writes,
            "append": grants.writes | grants.appends,
        }[kind]
        if index is not None:
            allowed, table = grants.indexes, f"{table}/{index}"
        if table not in allowed:
            _deny(function, "dynamodb", operation, f"table/{table}")


def _deny(function: Function, service: str, operation: str, resource: str) -> None:
    raise ClientError(
        {
            "Error": {
                "Code": "AccessDeniedException",
                "Message": f"csms-{function.name} is not authorized to perform: {service}:{operation} "
                f"on resource: {resource} (declared in the use cases' TABLES, shared/grants.py, "
                "or by the function's flags in shared/manifest.py)",
            }
        },
        operation,
    )
