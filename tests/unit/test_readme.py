"""The README tells the truth about what is implemented."""

from pathlib import Path

from functions.ocpp_router.registry import actions_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_the_actions_the_dispatch_table_implements():
    text = README.read_text(encoding="utf-8")
    section = text.split("<!-- actions:start -->\n", 1)[1].split("\n<!-- actions:end -->", 1)[0]
    assert section == actions_markdown(), "run `make readme` to regenerate the table"
