"""What the import-linter contracts in pyproject.toml must keep up with as the code grows: a
Lambda function left out of "Lambda functions stand alone" could import another unseen."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def contract(name: str) -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts: list[dict[str, object]] = config["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"] == name)


def test_every_lambda_function_is_in_the_stand_alone_contract() -> None:
    functions = {f"functions.{handler.parent.name}" for handler in (ROOT / "functions").glob("*/handler.py")}
    listed = contract("Lambda functions stand alone")["modules"]

    assert isinstance(listed, list)
    assert sorted(functions - set(listed)) == []
    assert sorted(set(listed) - functions) == []
