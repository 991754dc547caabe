"""Requests for fuzzing the operator API, drawn with hypothesis from the OpenAPI document it
serves: bodies and parameters its schemas accept, then mutated off them (numbers JSON can write
but no field may hold, deep nesting, long strings, wrong types, missing and unknown fields)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import strategies as st

from tests.fuzzing import Fuzzer, with_raws

# Raw JSON texts a mutation may put anywhere in a body, beside the fuzzer's numbers.
DEEP = "[" * 5_000 + "]" * 5_000
LONG = '"' + "x" * 200_000 + '"'
WHOLE_BODIES = ("", "null", "[]", "1e400", "NaN", '"text"', "{", DEEP, '{"a": ' * 3_000 + "1" + "}" * 3_000)
ODD_PARAMETERS = ("", " ", "-1", "0", "1e400", "NaN", "Infinity", "9" * 40, "x" * 3_000, "\u00e9", "true")
ZONES = (UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), timezone(timedelta(minutes=330)))
ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # with {name} for each path parameter
    spec: dict[str, Any]

    @property
    def name(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: str
    body: str | None


def operations(spec: dict[str, Any]) -> list[Operation]:
    """Every operation the document describes, deletions last so that what the others made
    stays for most of the run."""
    found = [
        Operation(method.upper(), path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]
    return sorted(found, key=lambda op: op.method == "DELETE")


def value_of(schema: dict[str, Any], root: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values the schema accepts (the subset of JSON Schema pydantic writes)."""
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return value_of(target, root)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return st.one_of([value_of(option, root) for option in schema[key]])
    if "allOf" in schema:
        return value_of({k: v for part in schema["allOf"] for k, v in part.items()}, root)
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        low = schema.get("minimum", schema.get("exclusiveMinimum", -(2**70) - 1) + 1)
        high = schema.get("maximum", schema.get("exclusiveMaximum", 2**70 + 1) - 1)
        return st.integers(int(low), int(high))
    if kind == "number":
        return st.floats(
            schema.get("minimum", schema.get("exclusiveMinimum")),
            schema.get("maximum", schema.get("exclusiveMaximum")),
            exclude_min="exclusiveMinimum" in schema,
            exclude_max="exclusiveMaximum" in schema,
            allow_nan=False,
            allow_infinity=False,
        )
    if kind == "string":
        return _text(schema)
    if kind == "array":
        low = schema.get("minItems", 0)
        return st.lists(
            value_of(schema.get("items", {}), root),
            min_size=low,
            max_size=min(schema.get("maxItems", 4), low + 4),
        )
    if kind == "object" or "properties" in schema:
        properties = schema.get("properties", {})
        required = set(schema.get("required", ()))
        extra = schema.get("additionalProperties")
        if not properties and isinstance(extra, dict):
            return st.dictionaries(st.text(min_size=1, max_size=12), value_of(extra, root), max_size=3)
        return st.fixed_dictionaries(
            {name: value_of(sub, root) for name, sub in properties.items() if name in required},
            optional={name: value_of(sub, root) for name, sub in properties.items() if name not in required},
        )
    return ANY_JSON


def _text(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    if schema.get("format") == "date-time":
        return st.datetimes(datetime(1, 1, 2), datetime(9999, 12, 30), timezones=st.sampled_from(ZONES)).map(
            datetime.isoformat
        )
    if schema.get("format") == "date":
        return st.dates().map(lambda day: day.isoformat())
    pattern = schema.get("pattern")
    if pattern is None:
        return st.text(min_size=low, max_size=high if high is not None else 80)
    if pattern.endswith("]+$"):  # one character class: its lengths in the pattern itself
        pattern = f"{pattern[:-2]}{{{max(low, 1)},{high or 80}}}$"
    anchored = pattern.startswith("^") and pattern.endswith("$")
    return (
        st.from_regex(pattern, fullmatch=anchored)
        .map(lambda text: text[:high] if high is not None else text)
        .filter(lambda text: len(text) >= low)
    )


@st.composite
def requests(
    draw: st.DrawFn, operation: Operation, root: dict[str, Any], charge_points: list[str]
) -> Request:
    """A request to the operation: mostly as its schemas say, sometimes off them."""
    off = draw(st.randoms(use_true_random=False))
    path = operation.path
    query: dict[str, str] = {}
    for parameter in operation.spec.get("parameters", []):
        name, where, schema = parameter["name"], parameter["in"], parameter["schema"]
        if name == "wait":  # no station answers here: the least wait a route takes, if it needs one
            if schema.get("minimum", 0) >= 1:
                query[name] = str(int(schema["minimum"]))
            continue
        if where == "path" and name == "charge_point_id" and draw(st.integers(0, 3)):
            value: Any = draw(st.sampled_from(charge_points))
        elif off.random() < 0.1:
            value = off.choice(ODD_PARAMETERS)
        elif where == "query" and not parameter.get("required") and off.random() < 0.4:
            continue
        else:
            value = draw(value_of(schema, root))
        if value is None:
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if where == "path":
            path = path.replace(f"{{{name}}}", quote(text, safe="") or "%20")
        else:
            query[name] = text
    body = None
    if "requestBody" in operation.spec:
        schema = operation.spec["requestBody"]["content"]["application/json"]["schema"]
        payload = draw(value_of(schema, root))
        body = with_raws(payload, [])
        roll = off.random()
        if roll < 0.05:
            body = off.choice(WHOLE_BODIES)
        elif roll < 0.5:
            body = with_raws(*_mutated(payload, off))
    return Request(operation.method, path, urlencode(query), body)


def _mutated(payload: Any, rng: random.Random) -> tuple[Any, list[str]]:
    payload, raws = Fuzzer(rng).mutated(payload)
    places = _keys(payload)
    if places and rng.random() < 0.2:  # nesting, or a string JSON can hold but no field should
        raws.append(rng.choice((DEEP, LONG)))
        payload = _set(payload, rng.choice(places), f"@@RAW{len(raws) - 1}@@")
    return payload, raws


def _keys(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in ((*path, key), *_keys(item, (*path, key)))]
    return []


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    head, *rest = path
    return {**value, head: new if not rest else _set(value[head], tuple(rest), new)}
