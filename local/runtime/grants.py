"""What each function was granted, enforced here as IAM enforces it in the cloud: a handler
that reaches a table, an index, the bus, a connection operation, a file's prefix or a secret
its use cases did not declare (shared.grants) gets the AccessDeniedException AWS would answer
(a URL signed for a file it may not reach: the error S3 would answer whoever used the URL), so
that tests catch the declaration missing before a deployment does.

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
from urllib.parse import unquote

from botocore.client import BaseClient
from botocore.exceptions import ClientError
from botocore.signers import RequestSigner

from shared.aws.secrets import PREFIX as SECRETS_PREFIX
from shared.grants import CONNECTION_METHODS, Grants, granted
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

    signing = RequestSigner.generate_presigned_url

    def signed(
        signer: RequestSigner, request_dict: dict[str, Any], operation_name: str, *args: Any, **kwargs: Any
    ) -> Any:
        function = _calling_function()
        if function is not None and signer._service_id.hyphenize() == "s3":
            key = unquote(str(request_dict["url_path"]).lstrip("/"))  # the key alone, whatever the endpoint
            _check(function, "s3", operation_name, {"Key": key})
        return signing(signer, request_dict, operation_name, *args, **kwargs)

    with (
        mock.patch.object(BaseClient, "_make_api_call", checked),
        mock.patch.object(RequestSigner, "generate_presigned_url", signed),
    ):
        yield


@cache
def _by_module() -> dict[str, Function]:
    """Each handler's module, and each package's entry point (`functions/<name>/handler.py`)
    by the package, for its other modules: a package that holds a second entry point (the
    OCPP router's SOAP door) is known by that module alone."""
    found: dict[str, Function] = {}
    for spec in (*ALL_FUNCTIONS, *FTP_FUNCTIONS):
        module = spec.handler.rsplit(".", 1)[0]
        found[module] = spec
        if module.endswith(".handler"):
            found[module.removesuffix(".handler")] = spec
    return found


@cache
def _grants(function: Function) -> Grants:
    return granted(function.uses)


@cache
def _suffixes() -> dict[str, str]:
    """Table name -> the name its record declares (settings are read once)."""
    from shared.data.tables import all_records, suffix_of

    return {record.Meta.table_name: suffix_of(record) for record in all_records()}


def _calling_function() -> Function | None:
    """The outermost handler on the stack: its entry point's module, or else a module of its
    package."""
    modules = _by_module()
    entry = package = None
    frame = sys._getframe(2)
    while frame is not None:
        name: str = frame.f_globals.get("__name__", "")
        if name.startswith("functions."):
            entry = modules.get(name, entry)
            package = modules.get(".".join(name.split(".")[:2]), package)
        frame = frame.f_back  # type: ignore[assignment]
    return entry or package


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


# The connection management API's operations, by the method their IAM resource names.
_CONNECTION_OPERATIONS = {
    "PostToConnection": CONNECTION_METHODS["post"],
    "GetConnection": CONNECTION_METHODS["read"],
    "DeleteConnection": CONNECTION_METHODS["close"],
}
_FILE_READS = frozenset({"GetObject", "HeadObject"})
_FILE_WRITES = frozenset(
    {
        "PutObject",
        "DeleteObject",
        "AbortMultipartUpload",
        "CreateMultipartUpload",
        "UploadPart",
        "CompleteMultipartUpload",
    }
)


def _beyond_the_tables(grants: Grants, service: str, operation: str, params: dict[str, Any]) -> str | None:
    """The resource refused, if any: the bus, a connection operation, a file, a secret."""
    if service == "events":
        return None if grants.bus else "the bus"
    if service == "apigatewaymanagementapi":
        method = _CONNECTION_OPERATIONS.get(operation)
        allowed = {CONNECTION_METHODS[o] for o in grants.connections}
        return None if method in allowed else f"@connections ({method})"
    if service == "s3":
        return _file_refused(grants, operation, params)
    if service == "acm-pca":
        return None if grants.private_ca else "the private CA"
    name = str(params.get("SecretId") or params.get("Name")).removeprefix(SECRETS_PREFIX)
    if operation == "GetSecretValue":
        return None if grants.may_read_secret(name) else f"secret {SECRETS_PREFIX}{name}"
    if operation == "CreateSecret":
        return None if grants.may_make_secret(name) else f"secret {SECRETS_PREFIX}{name}"
    return f"secretsmanager:{operation}"


def _file_refused(grants: Grants, operation: str, params: dict[str, Any]) -> str | None:
    key = str(params.get("Key", ""))
    if operation == "CopyObject":
        source = params["CopySource"]
        source_key = source["Key"] if isinstance(source, dict) else str(source).partition("/")[2]
        if not grants.may_read_file(source_key):
            return f"object {source_key}"
        return None if grants.may_write_file(key) else f"object {key}"
    if operation in _FILE_READS:
        return None if grants.may_read_file(key) else f"object {key}"
    if operation in _FILE_WRITES:
        return None if grants.may_write_file(key) else f"object {key}"
    return f"s3:{operation}"


def _check(function: Function, service: str, operation: str, params: dict[str, Any]) -> None:
    grants = _grants(function)
    if service != "dynamodb":
        refused = _beyond_the_tables(grants, service, operation, params)
        if refused is not None:
            _deny(function, service, operation, refused)
        return
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
                f"on resource: {resource} (declared by the use cases it hosts: GRANTS, shared/grants.py, "
                "and their `uses` in shared/manifest.py)",
            }
        },
        operation,
    )
