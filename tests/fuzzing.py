"""Seeded frames for fuzzing the router: payloads drawn from each version's `ocpp` schemas, then
mutated (edge values the schema allows, values it does not, missing and unknown fields), and
frames broken at the framing level. Each frame says whether OCPP-J wants it answered."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from local.fleet.samples import schema_of
from shared.protocol.versions import PROFILES, OcppVersion

MAX_MESSAGE_BYTES = 128 * 1024
# Numbers JSON can write but Python's json cannot: placed as tokens into the text.
RAW_NUMBERS = (
    "1e400",
    "-1e400",
    "1e999",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e-400",
    "123456789012345678901234567890",
)
EDGE_DATES = (
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
    "2026-11-24T10:00:00",
    "2026-02-30T10:00:00Z",
    "yesterday",
)
# Sizes, counts, ids and indexes a station may choose within its schema (OCPP integers are 32-bit;
# the router lets through any within 64 bits, and decimals up to 1e30).
STATION_NUMBERS = (0, 1, 9_999, 10_000, 65_535, 1_000_000, 999_999_999, 2**31 - 1, 2**63 - 1)
STATION_REALS = (0.0, 0.001, 1e9, 1e15, 1e30)
TIMES = ("2026-11-24T10:00:00Z", "2026-11-24T12:00:00+02:00", "2026-11-24T10:00:00.123Z")
EDGE_VALUES: tuple[Any, ...] = (
    "",
    " ",
    "x" * 3000,
    "\u00e9\u4e2d\U0001f600",
    "\ud800",
    "\u0000",
    -1,
    0,
    2**31,
    2**63,
    10**40,
    -(10**40),
    1.5,
    1e300,
    -1e-300,
    True,
    None,
    [],
    {},
    [[[[[]]]]],
    *EDGE_DATES,
)


@dataclass(frozen=True)
class Frame:
    text: str
    answered: bool  # OCPP-J: a CALL is answered once; answers and SENDs never are
    message_id: str | None = None


class Fuzzer:
    def __init__(self, seed: int | random.Random) -> None:
        self.rng = seed if isinstance(seed, random.Random) else random.Random(seed)

    # --- Payloads from the schemas ----------------------------------------------------------

    def populated(self, schema: dict[str, Any], root: dict[str, Any], depth: int = 0) -> Any:
        """A payload the schema accepts, with optional fields drawn at random."""
        rng = self.rng
        if "$ref" in schema:
            return self.populated(referred(schema, root), root, depth)
        if "enum" in schema:
            return rng.choice(schema["enum"])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = kind[0]
        if kind == "object" or "properties" in schema:
            properties = schema.get("properties", {})
            required = set(schema.get("required", []))
            return {
                name: self.populated(sub, root, depth + 1)
                for name, sub in properties.items()
                if name in required or (depth < 4 and rng.random() < 0.5)
            }
        if kind == "array":
            low = schema.get("minItems", 0)
            high = min(schema.get("maxItems", low + 2), low + 2)
            return [
                self.populated(schema["items"], root, depth + 1)
                for _ in range(rng.randint(low, max(low, high)))
            ]
        if kind == "string":
            if schema.get("format") == "date-time":
                return rng.choice(TIMES)
            length = rng.randint(max(schema.get("minLength", 1), 1), min(schema.get("maxLength", 20), 20))
            return "".join(rng.choice("ABCDEF0123456789") for _ in range(length))
        if kind == "integer":
            return rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 10)))
        if kind == "number":
            return round(rng.uniform(float(schema.get("minimum", 0)), float(schema.get("maximum", 10000))), 2)
        if kind == "boolean":
            return rng.random() < 0.5
        return None

    def sized(self, schema: dict[str, Any], root: dict[str, Any], depth: int = 0, spread: int = 400) -> Any:
        """A payload the schema accepts, as large as a station may choose: every optional field,
        lists at their schema's maximum (up to `spread` where it has none, fewer deeper in), strings
        at their longest, and numbers at the sizes, counts and ids stations can pick."""
        rng = self.rng
        if "$ref" in schema:
            return self.sized(referred(schema, root), root, depth, spread)
        if "enum" in schema:
            return rng.choice(schema["enum"])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = kind[0]
        if kind == "object" or "properties" in schema:
            return {
                name: self.sized(sub, root, depth + 1, spread)
                for name, sub in schema.get("properties", {}).items()
                if depth < 6 or name in schema.get("required", ())
            }
        if kind == "array":
            count = min(schema.get("maxItems", spread), spread) if depth < 3 else schema.get("minItems", 1)
            return [self.sized(schema["items"], root, depth + 1, max(spread // 20, 2)) for _ in range(count)]
        if kind == "string":
            if schema.get("format") == "date-time":
                return rng.choice(TIMES)
            length = schema.get("maxLength", 50)
            return format(rng.getrandbits(4 * length), f"0{length}X")[:length]
        if kind == "integer":
            low, high = int(schema.get("minimum", -(2**63))), int(schema.get("maximum", 2**63 - 1))
            return rng.choice([n for n in (*STATION_NUMBERS, high) if low <= n <= high] or [low])
        if kind == "number":
            low, high = schema.get("minimum", -1e30), schema.get("maximum", 1e30)
            return rng.choice([n for n in (*STATION_REALS, high) if low <= n <= high] or [low])
        if kind == "boolean":
            return rng.random() < 0.5
        return None

    def sized_frames(self, version: str, count: int) -> Iterator[Frame]:
        """CALLs of every action a station sends, at station-chosen sizes, within the gateway's
        message limit: the numbers a station picks are what the CSMS must bound, not the frame."""
        profile = PROFILES[OcppVersion(version)]
        actions = sorted(a for a in profile.from_charge_point if _has_schema(version, a))
        for n in range(count):
            action = actions[n % len(actions)]
            schema = schema_of(version, action)
            for spread in (400, 100, 20, 4, 1):
                text = json.dumps([2, f"s{n}", action, self.sized(schema, schema, spread=spread)])
                if len(text.encode()) <= MAX_MESSAGE_BYTES:
                    break
            yield Frame(text, True, f"s{n}")

    def mutated(self, payload: Any) -> tuple[Any, list[str]]:
        """The payload with one to three places changed; raw number tokens to put in the text."""
        raws: list[str] = []
        for _ in range(self.rng.randint(1, 3)):
            payload = self._mutate_once(payload, raws)
        return payload, raws

    def _mutate_once(self, payload: Any, raws: list[str]) -> Any:
        rng = self.rng
        places = list(_places(payload))
        path, value = rng.choice(places) if places else ((), payload)
        choice = rng.random()
        if choice < 0.15:
            token = rng.choice(RAW_NUMBERS)
            raws.append(token)
            new: Any = f"@@RAW{len(raws) - 1}@@"
        elif choice < 0.25 and isinstance(value, dict) and value:
            new = dict(value)
            del new[rng.choice(list(new))]
        elif choice < 0.32 and isinstance(value, dict):
            new = {**value, "unknownField": 1}
        elif choice < 0.4 and isinstance(value, list) and value:
            new = value + value  # the same entries twice
        elif choice < 0.5 and isinstance(value, str):
            new = str(value).upper() if rng.random() < 0.5 else value * 50
        else:
            new = rng.choice(EDGE_VALUES)
        return _replace(payload, path, new)

    # --- Frames -------------------------------------------------------------------------------

    def frames(self, version: str, count: int) -> Iterator[Frame]:
        profile = PROFILES[OcppVersion(version)]
        actions = sorted(profile.from_charge_point) + sorted(profile.from_csms)[:5]
        for n in range(count):
            roll = self.rng.random()
            if roll < 0.12:
                yield self.broken_frame(version, n)
                continue
            action = self.rng.choice(actions)
            try:
                schema = schema_of(version, action)
            except FileNotFoundError:  # an action only ever sent as a SEND: no request schema
                schema = {"type": "object"}
            payload: Any = self.populated(schema, schema)
            raws: list[str] = []
            if roll < 0.85:
                payload, raws = self.mutated(payload)
            message_id = f"f{n}"
            text = with_raws([2, message_id, action, payload], raws)
            # A frame over the gateway's message size is refused unread: its id is unknown.
            yield Frame(text, True, message_id if len(text.encode()) <= MAX_MESSAGE_BYTES else None)

    def broken_frame(self, version: str, n: int) -> Frame:
        rng = self.rng
        message_id = f"b{n}"
        kind = rng.randrange(12)
        if kind == 0:
            return Frame("[2, " * 20_000 + "]" * 20_000, True)
        if kind == 1:
            return Frame(
                '[2, "' + message_id + '", "Heartbeat", ' + '{"a": ' * 20_000 + "1" + "}" * 20_001 + "]", True
            )
        if kind == 2:
            text = json.dumps([2, message_id, "Heartbeat", {}])
            return Frame(text[: rng.randrange(1, len(text))], True)
        if kind == 3:
            return Frame(rng.choice(["", "null", "{}", "[]", '"text"', "42", "\x00\xff"]), True)
        if kind == 4:
            return Frame(json.dumps([2, rng.choice([7, 1.5, "", None]), "Heartbeat", {}]), True)
        if kind == 5:  # answers to calls never made, well formed or not: never answered
            return Frame(
                json.dumps(rng.choice([[3, message_id, {}], [3, message_id], [4, message_id, "X"]])), False
            )
        if kind == 6:
            answered = version != "2.1"  # SEND exists in 2.1 only, and is never answered
            return Frame(
                json.dumps(rng.choice([[6, message_id, "Heartbeat", {}], [6, message_id], [6]])), answered
            )
        if kind == 7:
            return Frame(json.dumps([rng.choice([0, 1, 8, 99, -2]), message_id, "Heartbeat", {}]), True)
        if kind == 8:
            return Frame(json.dumps([2, message_id, "Heartbeat"]), True)
        if kind == 9:
            return Frame(json.dumps([2, message_id, "Heartbeat", {}, "extra"]), True)
        if kind == 10:
            return Frame(
                json.dumps([2, message_id, "DataTransfer", {"vendorId": "v", "data": "x" * 140_000}]), True
            )
        return Frame(
            json.dumps([2, message_id, rng.choice(["", "heartbeat", "Heartbeat ", "\u00e9"]), {}]), True
        )


def _has_schema(version: str, action: str) -> bool:
    try:
        schema_of(version, action)
    except FileNotFoundError:
        return False
    return True


def with_raws(value: Any, raws: list[str]) -> str:
    """The value as JSON text, with each raw token placed where `mutated` marked it."""
    text = json.dumps(value)
    for index, token in enumerate(raws):
        text = text.replace(f'"@@RAW{index}@@"', token)
    return text


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    if isinstance(value, dict):
        return {**value, head: _replace(value[head], tuple(rest), new)}
    copy = list(value)
    copy[head] = _replace(copy[head], tuple(rest), new)
    return copy


def referred(schema: dict[str, Any], root: dict[str, Any]) -> Any:
    """The schema a `$ref` names, within its document."""
    target: Any = root
    for part in schema["$ref"].lstrip("#/").split("/"):
        target = target[part]
    return target
