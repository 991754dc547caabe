"""What ships to Lambda imports in one direction only, lazy imports inside functions included:
a block that reached back into the command path, or two use cases that imported each other,
would tie modules that should stand apart (the blocks register themselves instead)."""

from __future__ import annotations

import pytest

from tests.import_cycles import cycles


@pytest.mark.parametrize("package", ["shared", "functions"])
def test_no_module_imports_itself_back(package: str) -> None:
    assert cycles(package) == []
