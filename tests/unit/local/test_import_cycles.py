"""The local runtime, its stand-ins and its tools import one another in one direction only, lazy
imports inside functions included: a circle would tie two tools (or the runtime and a tool) so
that neither can change or be read alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.import_cycles import cycles


def test_no_module_of_local_imports_itself_back() -> None:
    assert cycles("local") == []


def test_a_circle_through_a_function_level_import_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "circled"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("def run() -> None:\n    from circled.b import run\n")
    (package / "b.py").write_text("from circled import c\n")
    (package / "c.py").write_text("import circled.a\n")
    (package / "d.py").write_text("from circled import a\n")
    (package / "e.py").write_text("import circled.e\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    assert cycles("circled") == [["circled.a", "circled.b", "circled.c"], ["circled.e"]]
