"""The block table in docs/architecture.md against the tree: every path it names exists, every
module of the layers it covers is named in it, and a block's code carries the block's name."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A module a row may name besides its block's own: the shared parts of a layer, kept by one
# block and used by others (the command path, the feed of station events, maintenance requests).
SHARED = {"answers.py", "maintenance.py", "station_events.py", "commands.py"}


def block_table() -> tuple[list[Path], list[tuple[str, list[list[str]]]]]:
    text = (ROOT / "docs/architecture.md").read_text()
    section = text.split("## Functional blocks", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header, _, *body = rows
    columns = [cell.strip() for cell in header.strip("|").split("|")]
    bases = [ROOT / re.findall(r"`([^`]+/)`", column)[0] for column in columns[1:]]
    table = []
    for row in body:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        # What a cell names in its folder, or in a package of the block's it names: `name.py`, `name/`.
        named = [re.findall(r"`([a-z0-9_]+(?:\.py|/))`", cell) for cell in cells[1:]]
        table.append((cells[0], named))
    return bases, table


def test_every_path_the_table_names_exists():
    bases, table = block_table()
    for block, named in table:
        for base, names in zip(bases, named, strict=True):
            packages = [base / name for name in names if name.endswith("/")]
            for name in names:
                found = [place / name for place in (base, *packages) if (place / name).exists()]
                assert found, f"{block}: {base.relative_to(ROOT)}/{name}"


def test_every_module_of_every_layer_belongs_to_a_row():
    bases, table = block_table()
    for column, base in enumerate(bases):
        named = {name.rstrip("/") for _, cells in table for name in cells[column]}
        present = {
            entry.name.removesuffix(".py")
            for entry in base.iterdir()
            if (entry.suffix == ".py" or (entry / "__init__.py").exists()) and entry.name != "__pycache__"
        }
        present.discard("__init__")
        missing = present - {name.removesuffix(".py") for name in named}
        assert not missing, f"{base.relative_to(ROOT)}: not in the block table: {sorted(missing)}"


def test_a_blocks_code_carries_its_name_in_the_layers_cut_by_block():
    bases, table = block_table()
    by_block = [column for column, base in enumerate(bases) if "data" not in base.parts]
    for block, named in table:
        if block.startswith("("):
            continue
        for column in by_block:
            own = [n for n in named[column] if n.rstrip("/").removesuffix(".py") == block]
            others = [n for n in named[column] if n not in own and n not in SHARED]
            inside = bases[column] / block
            others = [n for n in others if not (inside / n).exists()]
            assert not others, f"{block} names {others} in {bases[column].relative_to(ROOT)}"
