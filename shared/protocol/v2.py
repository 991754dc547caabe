"""Shapes that OCPP 2.0.1 and 2.1 messages of several blocks share: id tokens, EVSEs, a
component and variable of the device model, request ids."""

from __future__ import annotations

import random
from typing import Any

from shared.domain.authorization import IdToken
from shared.domain.configuration import variable_key

# The type of the group token in an answer: the list keeps a parent's value only, and a
# group is something the CSMS defines.
GROUP_TOKEN_TYPE = "Central"


def request_id() -> int:
    return random.randint(1, 2**31 - 1)


def key_of(component: dict[str, Any], variable: dict[str, Any], attribute_type: str | None) -> str:
    """A device model variable as the configuration's key (`Component/Variable`, with its
    instances, EVSE and attribute where given)."""
    evse = component.get("evse") or {}
    return variable_key(
        component["name"],
        variable["name"],
        component_instance=component.get("instance"),
        evse_id=evse.get("id"),
        connector_id=evse.get("connectorId"),
        variable_instance=variable.get("instance"),
        attribute_type=attribute_type,
    )


def names(item: dict[str, Any], key: str) -> bool:
    """Whether a SetVariableData or SetVariableResult is of this setting (Component/Variable)."""
    return key_of(item["component"], item["variable"], item.get("attributeType")) == key


def sets(action: str, payload: dict[str, Any], key: str) -> bool:
    """Whether a call sets this setting."""
    data = payload.get("setVariableData") if action == "SetVariables" else None
    return any(names(item, key) for item in data or [])


def component_variable(key: str) -> dict[str, Any]:
    """`Component/Variable`, the configuration endpoint's 2.x key form."""
    component, _, variable = key.partition("/")
    return {"component": {"name": component}, "variable": {"name": variable or component}}


def evse_of(evse_id: int | None, connector_id: int | None) -> dict[str, Any]:
    if evse_id is None:
        return {}
    evse: dict[str, Any] = {"id": evse_id}
    if connector_id is not None:
        evse["connectorId"] = connector_id
    return {"evse": evse}


def id_token_of(token: dict[str, Any]) -> IdToken:
    return IdToken(token["idToken"], token["type"])
