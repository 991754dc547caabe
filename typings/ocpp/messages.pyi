# Type information for ocpp.messages (ocpp 2.1.0), the parts the CSMS uses.
from collections.abc import Callable
from typing import Any, ClassVar

from jsonschema import Draft4Validator

class Call:
    message_type_id: ClassVar[int]
    unique_id: str
    action: str
    payload: dict[str, Any]
    def __init__(self, unique_id: str, action: str, payload: dict[str, Any]) -> None: ...
    def to_json(self) -> str: ...

class CallResult:
    message_type_id: ClassVar[int]
    unique_id: str
    payload: dict[str, Any]
    action: str | None
    def __init__(self, unique_id: str, payload: dict[str, Any], action: str | None = None) -> None: ...
    def to_json(self) -> str: ...

class CallError:
    message_type_id: ClassVar[int]
    unique_id: str
    error_code: str
    error_description: str
    error_details: Any
    def __init__(
        self, unique_id: str, error_code: str, error_description: str, error_details: Any = None
    ) -> None: ...
    def to_json(self) -> str: ...

def get_validator(
    message_type_id: int, action: str, ocpp_version: str, parse_float: Callable[..., Any] = ...
) -> Draft4Validator: ...
